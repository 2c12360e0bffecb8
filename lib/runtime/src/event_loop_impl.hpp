// EventLoop's state. The loop's task bookkeeping (detail::TaskCore) and its I/O registrations
// (detail::IoRegistration) live in files of their own and reach it through EventLoop::impl().
// Internal.
#pragma once

#include "poller.hpp"
#include "taskfit/runtime/detail/intrusive_list.hpp"
#include "taskfit/runtime/detail/loop_inbox.hpp"
#include "taskfit/runtime/detail/task_core.hpp"
#include "taskfit/runtime/detail/timer.hpp"
#include "taskfit/runtime/event_loop.hpp"

#include <coroutine>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <vector>

namespace taskfit {

struct EventLoop::Impl {
  // A task's step or a callback, queued to run on the loop.
  struct Ready {
    detail::TaskCore* core = nullptr;
    std::coroutine_handle<> handle;
    std::function<void()> callback;
  };

  Impl(EventLoop& owner, Backend requested);
  ~Impl();

  // One round: I/O and posts (unless tasks are ready and it is not yet time to look), due timers,
  // then every step that was ready when the round began.
  void run_once();

  EventLoop& owner;
  Backend backend = Backend::epoll;
  int wake_fd = -1;
  std::shared_ptr<detail::LoopInbox> inbox;
  std::unique_ptr<detail::Poller> poller;
  std::deque<Ready> ready;
  std::vector<std::function<void()>> posted;
  detail::TimerHeap timers;
  detail::IntrusiveList<detail::TaskCore> live_tasks;
  std::size_t live_count = 0;
  detail::TaskCore* current = nullptr;
  unsigned steps_since_poll = 0;
  std::uint64_t next_registration_id = 1;
  bool stopping = false;

private:
  void run_step(Ready& item);
  void drain_inbox();
  void fire_due_timers();
  int poll_timeout_ms() const;
  detail::Clock::time_point next_timer_deadline() const;
};

} // namespace taskfit
