// ProcessPool is made of parts, after CPython's concurrent/futures/process.py:
//   process_pool/pool_state      what the pool's threads share, and handing calls to workers
//   process_pool/worker_handle   one worker: its channel, its counters, the news of its end
//   process_pool/argument_areas  the shared memory areas of large arguments
//   process_pool/manager         the manager thread: starts, replaces and reaps workers
//   process_pool/result_reader   a thread blocked on a future reads its worker's answer itself
#include "taskfit/runtime/process_pool.hpp"

#include "process_pool/manager.hpp"
#include "process_pool/pool_state.hpp"
#include "process_pool/result_reader.hpp"

#include <mutex>
#include <utility>

namespace taskfit {

struct ProcessPool::Impl {
  explicit Impl(Options options)
      : state(std::move(options)), manager(state), reader(state, manager) {}

  detail::PoolState state;
  detail::PoolManager manager;
  detail::ResultReader reader;
};

ProcessPool::ProcessPool(Options options) : impl_(std::make_shared<Impl>(std::move(options))) {}
ProcessPool::ProcessPool(ProcessPool&&) noexcept = default;

ProcessPool::~ProcessPool() {
  if (impl_)
    shutdown({.wait = true});
}

std::size_t ProcessPool::max_workers() const noexcept {
  return impl_->state.max_workers;
}

std::vector<pid_t> ProcessPool::worker_pids() const {
  return impl_->manager.worker_pids();
}

detail::Payload ProcessPool::argument_payload(bool& shared) {
  shared = impl_->state.argument_areas.may_take_another();
  detail::Payload payload;
  if (!shared)
    return payload;
  std::lock_guard lock(impl_->state.mutex);
  impl_->state.argument_areas.lend_spare(payload);
  return payload;
}

void ProcessPool::enqueue(detail::RemoteCall call) {
  // The future's driver is the reader, as long as the pool's parts exist: a reference to it shares
  // the ownership of the whole Impl.
  call.result->set_wait_driver(std::shared_ptr<detail::WaitDriver>(impl_, &impl_->reader));
  impl_->state.submit(std::move(call));
}

void ProcessPool::shutdown(ShutdownOptions options) {
  impl_->manager.shutdown(options);
}

} // namespace taskfit
