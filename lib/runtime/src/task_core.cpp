#include "taskfit/runtime/detail/task_core.hpp"

#include "event_loop_impl.hpp"
#include "taskfit/runtime/errors.hpp"

#include <utility>

namespace taskfit::detail {

bool TaskCore::request_cancel() noexcept {
  if (finished)
    return false;
  cancel_requested = true;
  if (waiting != nullptr) {
    CancellableWait* wait = std::exchange(waiting, nullptr);
    cancel_requested = false; // delivered by the suspension point itself
    wait->cancel_wait();
  }
  return true;
}

void TaskCore::complete(bool cancelled_before_start) noexcept {
  EventLoop::Impl& impl = loop.impl();
  take_outcome(cancelled_before_start);
  if (cancelled_before_start)
    ended_cancelled = true;
  finished = true;
  waiting = nullptr;
  unlink();
  --impl.live_count;
  while (DoneWaiter* waiter = done_waiters.pop_front())
    waiter->on_task_done(*this);
  release();
}

void ParkIn::await_resume() const {
  if (node_.cancelled)
    throw CancelledError();
}

} // namespace taskfit::detail
