// The shared memory areas of large submissions' arguments (detail::Payload): how many are in use,
// and the ones kept for reuse. Guarded by the pool's lock (PoolState::mutex), but for the count
// of those in use, which a submission reads before it takes the lock. Internal.
#pragma once

#include "shared_area.hpp"
#include "taskfit/runtime/detail/payload.hpp"

#include <atomic>
#include <cstddef>
#include <memory>
#include <vector>

namespace taskfit::detail {

class ArgumentAreas {
public:
  // Whether a submission's large arguments may go to an area of their own. Each area in use holds
  // a descriptor here and, while it is sent, in the kernel: beyond max_in_use, large arguments
  // take the socket, so that a deep queue of them does not run the program out of descriptors.
  bool may_take_another() const noexcept {
    return in_use_.load(std::memory_order_relaxed) < max_in_use;
  }
  // With the pool's lock: gives `payload` a spare area to write into, if one is kept.
  void lend_spare(Payload& payload);
  // With the pool's lock, as the call carrying `arguments` is queued.
  void count_in(const Payload& arguments) noexcept;
  // Once the call carrying `arguments` is completed: its area, if it has one, goes to `reusable`.
  void count_out(Payload& arguments, std::vector<std::unique_ptr<SharedArea>>& reusable);
  // With the pool's lock: keeps `areas` for the next large submissions, up to
  // max_reused_area_size in all.
  void keep(std::vector<std::unique_ptr<SharedArea>>& areas);

private:
  static constexpr std::size_t max_in_use = 64;

  std::atomic<std::size_t> in_use_{0};
  std::vector<std::unique_ptr<SharedArea>> spares_;
  std::size_t spares_size_ = 0; // their capacities, in all
};

} // namespace taskfit::detail
