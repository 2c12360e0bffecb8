// Event: asyncio.Event. Tasks wait until another task sets the flag.
#pragma once

#include "taskfit/runtime/detail/task_core.hpp"

#include <coroutine>

namespace taskfit {

class Event {
public:
  bool is_set() const noexcept { return set_; }
  // Wakes every waiting task; later waits return at once until clear().
  void set() {
    set_ = true;
    detail::wake_all(waiters_);
  }
  void clear() noexcept { set_ = false; }

  class Awaiter {
  public:
    explicit Awaiter(Event& event) noexcept : event_(event), park_(event.waiters_) {}
    bool await_ready() const noexcept { return event_.set_; }
    bool await_suspend(std::coroutine_handle<> handle) { return park_.await_suspend(handle); }
    void await_resume() const { park_.await_resume(); }

  private:
    Event& event_;
    detail::ParkIn park_;
  };
  // co_await event.wait(): returns at once when set; a cancellation point otherwise.
  Awaiter wait() noexcept { return Awaiter(*this); }

private:
  bool set_ = false;
  detail::WaitList waiters_;
};

} // namespace taskfit
