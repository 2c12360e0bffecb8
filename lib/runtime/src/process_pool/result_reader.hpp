// A thread blocked on a process pool's future (detail::WaitDriver) reads the answer from the
// channel of the worker running the call itself, instead of sleeping until the manager has read
// it and then waking up: a round trip then costs no wake-up of the manager. An event loop awaiting
// the future does the same between its own work (poll). Internal.
#pragma once

#include "process_pool/manager.hpp"
#include "process_pool/pool_state.hpp"
#include "process_pool/worker_handle.hpp"
#include "taskfit/runtime/future.hpp"
#include "taskfit/runtime/spin.hpp"

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>

namespace taskfit::detail {

class ResultReader final : public WaitDriver {
public:
  ResultReader(PoolState& pool, PoolManager& manager) noexcept : pool_(pool), manager_(manager) {}

  void drive(const FutureStateBase& state,
             std::optional<std::chrono::steady_clock::time_point> deadline) override;
  void poll(const FutureStateBase& state) override;

private:
  void read_worker(WorkerHandle& worker, const FutureStateBase& state,
                   std::optional<std::chrono::steady_clock::time_point> deadline,
                   std::unique_lock<AdaptiveMutex>& lock);
  std::shared_ptr<WorkerHandle> holder_of(const FutureStateBase& state);

  PoolState& pool_;
  PoolManager& manager_;
  AdaptiveSpin answer_spin_; // threads waiting on their workers' answers
};

} // namespace taskfit::detail
