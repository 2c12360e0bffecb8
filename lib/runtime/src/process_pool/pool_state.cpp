#include "process_pool/pool_state.hpp"

#include "taskfit/runtime/errors.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <mutex>
#include <sys/eventfd.h>
#include <system_error>
#include <unistd.h>
#include <utility>

namespace taskfit::detail {

ManagerWakeup::ManagerWakeup() : fd_(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {
  if (fd_ < 0)
    throw std::system_error(errno, std::generic_category(), "taskfit::ProcessPool");
}

ManagerWakeup::~ManagerWakeup() {
  ::close(fd_);
}

void ManagerWakeup::wake() noexcept {
  if (!pending_.exchange(true, std::memory_order_acq_rel)) {
    std::uint64_t one = 1;
    [[maybe_unused]] auto ignored = ::write(fd_, &one, sizeof one);
  }
}

void ManagerWakeup::wake_unconditionally() noexcept {
  pending_.store(false);
  wake();
}

void ManagerWakeup::rearm() noexcept {
  pending_.store(false, std::memory_order_release);
}

void ManagerWakeup::drain() noexcept {
  std::uint64_t value;
  [[maybe_unused]] auto ignored = ::read(fd_, &value, sizeof value);
}

PoolState::PoolState(ProcessPool::Options options)
    : options(std::move(options)),
      max_workers(this->options.max_workers == 0 ? cpu_count() : this->options.max_workers) {}

void PoolState::submit(RemoteCall call) {
  {
    std::lock_guard lock(mutex);
    if (stopping)
      throw ExecutorShutdown();
    if (broken)
      throw BrokenProcessPool(broken_reason);
    argument_areas.count_in(call.arguments);
    if (try_direct(call))
      return; // a partial write is finished by the manager on the EPOLLOUT edge
    pending.push_back(std::move(call));
  }
  manager_wakeup.wake();
}

void PoolState::complete(std::vector<Completion>& ready) {
  std::vector<std::unique_ptr<SharedArea>> reusable;
  for (Completion& completion : ready) {
    argument_areas.count_out(completion.call.arguments, reusable);
    switch (completion.kind) {
    case Completion::Kind::deliver:
      if (completion.area_owner) {
        completion.call.result->deliver(completion.area_payload);
        completion.area_owner->area_result_read();
      } else {
        completion.call.result->deliver(completion.payload);
      }
      break;
    case Completion::Kind::fail:
      completion.call.result->fail(std::move(completion.error));
      break;
    case Completion::Kind::cancel:
      completion.call.result->cancel();
      break;
    }
  }
  ready.clear();
  if (!reusable.empty()) {
    std::lock_guard lock(mutex);
    argument_areas.keep(reusable);
  }
}

// The submitting thread's short cut: an idle worker and nothing queued before this call.
// Returns false when the call must go through the queue instead.
bool PoolState::try_direct(RemoteCall& call) {
  if (!pending.empty())
    return false;
  for (auto& worker : workers) {
    if (!worker->in_flight.empty() || !worker->out.empty() || !can_take_work(*worker))
      continue;
    if (!call.result->start())
      return true; // cancelled before it was ever queued: nothing to send
    assign(*worker, std::move(call));
    worker->flush();
    return true;
  }
  return false;
}

// Work goes only to idle workers, in batches that split the backlog between them: a long task
// then never holds short ones hostage, and a burst of small tasks still costs one round trip
// per batch rather than per task.
void PoolState::dispatch() {
  if (cancel_requested)
    return; // the manager cancels what is queued first
  std::vector<WorkerHandle*> idle;
  while (!pending.empty()) {
    idle.clear();
    for (auto& worker : workers)
      if (worker->in_flight.empty() && can_take_work(*worker))
        idle.push_back(worker.get());
    if (idle.empty())
      return;
    // The backlog is split between all the workers that can take work, the busy ones (which
    // will be idle soon) and those still being forked (their channels hold it until they read
    // it) included: counting only the idle ones, the first to finish would take all of a short
    // backlog and run it alone while the others finish theirs and wait.
    const auto takers = static_cast<std::size_t>(std::count_if(
        workers.begin(), workers.end(),
        [this](const std::shared_ptr<WorkerHandle>& worker) { return can_take_work(*worker); }));
    const std::size_t share = std::min(std::max<std::size_t>(options.tasks_ahead_per_worker, 1),
                                       (pending.size() + takers - 1) / takers);
    for (WorkerHandle* worker : idle) {
      std::size_t limit = share;
      if (options.max_tasks_per_child != 0)
        limit = std::min(limit, options.max_tasks_per_child - worker->assigned);
      while (limit > 0 && !pending.empty()) {
        RemoteCall call = std::move(pending.front());
        pending.pop_front();
        if (!call.result->start())
          continue; // cancelled while queued
        assign(*worker, std::move(call));
        --limit;
      }
    }
  }
}

void PoolState::flush_all() {
  for (auto& worker : workers)
    if (!worker->out.empty())
      worker->flush();
}

bool PoolState::idle() const {
  if (!pending.empty())
    return false;
  for (auto& worker : workers)
    if (!worker->in_flight.empty())
      return false;
  return true;
}

WorkerHandle* PoolState::find_worker(std::uint64_t id) {
  for (auto& worker : workers)
    if (worker->id == id)
      return worker.get();
  return nullptr;
}

bool PoolState::can_take_work(const WorkerHandle& worker) const {
  return !worker.channel_closed && worker.init_error.empty() &&
         (options.max_tasks_per_child == 0 || worker.assigned < options.max_tasks_per_child);
}

void PoolState::assign(WorkerHandle& worker, RemoteCall call) {
  // A manager asleep with no deadline would never enforce this task's time limit.
  if (worker.in_flight.empty() && options.task_timeout && manager_sleeps_forever) {
    manager_sleeps_forever = false;
    manager_wakeup.wake();
  }
  worker.queue_task(std::move(call));
}

} // namespace taskfit::detail
