#include "taskfit/runtime/event_loop.hpp"

#include "event_loop_impl.hpp"
#include "poller.hpp"
#include "taskfit/runtime/future.hpp"
#include "taskfit/runtime/spin.hpp"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <sys/eventfd.h>
#include <system_error>
#include <unistd.h>
#include <utility>
#include <vector>

namespace taskfit {

namespace {
thread_local EventLoop* running_loop = nullptr;

// Makes `loop` the one running on this thread (EventLoop::current()) for a scope, and gives a
// loop run from inside another's callback back to the outer one after.
class RunningLoopScope {
public:
  explicit RunningLoopScope(EventLoop* loop) noexcept
      : previous_(std::exchange(running_loop, loop)) {}
  RunningLoopScope(const RunningLoopScope&) = delete;
  RunningLoopScope& operator=(const RunningLoopScope&) = delete;
  ~RunningLoopScope() { running_loop = previous_; }

private:
  EventLoop* previous_;
};

// Polling the kernel costs a syscall; while tasks are ready, look for I/O only this often.
constexpr unsigned steps_between_io_polls = 64;

EventLoop::Backend backend_from_environment() {
  const char* name = std::getenv("TASKFIT_EVENT_LOOP_BACKEND");
  if (name == nullptr)
    return EventLoop::Backend::epoll;
  std::string value(name);
  if (value == "io_uring")
    return EventLoop::Backend::io_uring;
  if (value == "auto" || value == "automatic")
    return EventLoop::Backend::automatic;
  return EventLoop::Backend::epoll;
}

class CallbackTimer final : public detail::TimerNode {
public:
  explicit CallbackTimer(std::function<void()> callback) : callback_(std::move(callback)) {}
  void fire() noexcept override {
    // The timer is owned by the callback that runs it.
    loop->call_soon([self = std::shared_ptr<CallbackTimer>(this)] { self->callback_(); });
  }
  std::function<void()> callback_;
  EventLoop* loop = nullptr;
};
} // namespace

EventLoop::Impl::Impl(EventLoop& owner, Backend requested) : owner(owner) {
  wake_fd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (wake_fd < 0)
    throw std::system_error(errno, std::generic_category(), "eventfd");
  inbox = std::make_shared<detail::LoopInbox>(wake_fd);
  if (requested != Backend::epoll)
    poller = detail::make_io_uring_poller(wake_fd);
  if (poller) {
    backend = Backend::io_uring;
  } else {
    poller = detail::make_epoll_poller(wake_fd);
    backend = Backend::epoll;
  }
}

EventLoop::Impl::~Impl() {
  inbox->close();
  poller.reset();
  ::close(wake_fd);
}

void EventLoop::Impl::run_step(Ready& item) {
  if (item.core == nullptr) {
    current = nullptr;
    try {
      item.callback();
    } catch (const std::exception& error) {
      std::fprintf(stderr, "taskfit: exception in event loop callback: %s\n", error.what());
    } catch (...) {
      std::fprintf(stderr, "taskfit: exception in event loop callback\n");
    }
    return;
  }
  detail::TaskCore& core = *item.core;
  if (!core.started) {
    core.started = true;
    if (core.take_cancel_request()) {
      core.complete(true); // Python: a task cancelled before its first step never runs
      return;
    }
  }
  current = &core;
  item.handle.resume();
  current = nullptr;
  if (!core.finished && core.root().done())
    core.complete(false);
}

void EventLoop::Impl::drain_inbox() {
  std::uint64_t count;
  [[maybe_unused]] auto ignored = ::read(wake_fd, &count, sizeof count);
  inbox->drain(posted);
  for (auto& callback : posted)
    ready.push_back(Ready{nullptr, {}, std::move(callback)});
  posted.clear();
}

void EventLoop::Impl::fire_due_timers() {
  if (timers.empty())
    return;
  const auto now = detail::Clock::now();
  while (!timers.empty() && timers.top()->deadline <= now) {
    detail::TimerNode* node = timers.top();
    timers.remove(*node);
    node->fire();
  }
}

int EventLoop::Impl::poll_timeout_ms() const {
  if (!ready.empty() || stopping)
    return 0;
  if (timers.empty())
    return -1;
  const auto wait = timers.top()->deadline - detail::Clock::now();
  if (wait <= std::chrono::nanoseconds::zero())
    return 0;
  // Round up: waking early would spin until the deadline.
  return static_cast<int>(std::chrono::ceil<std::chrono::milliseconds>(wait).count());
}

detail::Clock::time_point EventLoop::Impl::next_timer_deadline() const {
  return timers.empty() ? detail::Clock::time_point::max() : timers.top()->deadline;
}

void EventLoop::Impl::run_once() {
  if (ready.empty() || ++steps_since_poll >= steps_between_io_polls) {
    steps_since_poll = 0;
    int timeout_ms = poll_timeout_ms();
    if (timeout_ms != 0 && inbox->expecting_posts() &&
        detail::spin_until(
            [this] {
              if (inbox->has_posts())
                return true;
              for (const auto& state : inbox->pollable())
                state->poll_wait_driver();
              return inbox->has_posts();
            },
            next_timer_deadline()))
      timeout_ms = 0;
    if (poller->wait(timeout_ms)) {
      drain_inbox();
    } else if (inbox->has_posts()) {
      drain_inbox();
    }
  } else if (inbox->has_posts()) {
    drain_inbox();
  }
  fire_due_timers();
  for (std::size_t count = ready.size(); count > 0 && !ready.empty(); --count) {
    Ready item = std::move(ready.front());
    ready.pop_front();
    run_step(item);
  }
}

EventLoop::EventLoop(Options options)
    : impl_(std::make_unique<Impl>(*this, options.backend.value_or(backend_from_environment()))) {}

EventLoop::~EventLoop() {
  // Newest first: children park in queues and events that live in their parents' frames.
  std::vector<detail::TaskCore*> unfinished;
  while (detail::TaskCore* core = impl_->live_tasks.pop_front())
    unfinished.push_back(core);
  RunningLoopScope running(this);
  for (auto it = unfinished.rbegin(); it != unfinished.rend(); ++it) {
    detail::TaskCore& core = **it;
    core.finished = true;
    core.ended_cancelled = true;
    core.waiting = nullptr;
    core.take_outcome(true);
    while (core.done_waiters.pop_front() != nullptr) {
    }
    core.release();
  }
  impl_->ready.clear();
  // Timers left behind belong to call_later callbacks (sleeps died with their frames).
  while (!impl_->timers.empty()) {
    detail::TimerNode* node = impl_->timers.top();
    impl_->timers.remove(*node);
    delete static_cast<CallbackTimer*>(node);
  }
}

EventLoop* EventLoop::current() noexcept {
  return running_loop;
}
EventLoop::Backend EventLoop::backend() const noexcept {
  return impl_->backend;
}
std::size_t EventLoop::unfinished_tasks() const noexcept {
  return impl_->live_count;
}

void EventLoop::adopt(detail::TaskCore& core) {
  core.add_reference(); // the loop's own, released when the task completes
  impl_->live_tasks.push_back(core);
  ++impl_->live_count;
  impl_->ready.push_back(Impl::Ready{&core, core.root(), {}});
}

void EventLoop::run_until_done(detail::TaskCore& core) {
  RunningLoopScope running(this);
  impl_->stopping = false;
  while (!core.finished)
    impl_->run_once();
}

void EventLoop::cancel_all_and_wait() {
  RunningLoopScope running(this);
  impl_->stopping = false;
  // Cancel once, then let every task run its clean-up (which may await) to the end; tasks spawned
  // by clean-up code are cancelled in the next round.
  while (impl_->live_count > 0) {
    std::vector<detail::TaskCore*> round;
    impl_->live_tasks.for_each([&](detail::TaskCore& core) {
      core.add_reference();
      round.push_back(&core);
    });
    for (detail::TaskCore* core : round)
      core->request_cancel();
    auto unfinished = [&] {
      for (detail::TaskCore* core : round)
        if (!core->finished)
          return true;
      return false;
    };
    while (unfinished())
      impl_->run_once();
    for (detail::TaskCore* core : round)
      core->release();
  }
}

void EventLoop::call_soon(std::function<void()> callback) {
  impl_->ready.push_back(Impl::Ready{nullptr, {}, std::move(callback)});
}

bool EventLoop::call_soon_threadsafe(std::function<void()> callback) {
  return impl_->inbox->post(std::move(callback));
}

void EventLoop::call_later(std::chrono::nanoseconds delay, std::function<void()> callback) {
  auto timer = std::make_unique<CallbackTimer>(std::move(callback));
  timer->loop = this;
  timer->deadline = detail::Clock::now() + delay;
  impl_->timers.push(*timer.release());
}

void EventLoop::run_forever() {
  RunningLoopScope running(this);
  impl_->stopping = false;
  while (!impl_->stopping)
    impl_->run_once();
}

void EventLoop::stop() {
  impl_->stopping = true;
}

// The loop's side of what the awaitables ask of the loop running their task (declared with them,
// in task_core.hpp and loop_inbox.hpp): it is this thread's running loop.
namespace detail {

TaskCore* current_task_core() noexcept {
  return running_loop == nullptr ? nullptr : running_loop->impl().current;
}

TaskCore& require_task_core(const char* awaitable) {
  TaskCore* core = current_task_core();
  if (core == nullptr)
    throw std::logic_error(std::string("taskfit: ") + awaitable +
                           " must be awaited inside a taskfit::Task running on an EventLoop");
  return *core;
}

void schedule_resume(TaskCore& core, std::coroutine_handle<> handle) {
  core.loop.impl().ready.push_back(EventLoop::Impl::Ready{&core, handle, {}});
}

void add_timer(EventLoop& loop, TimerNode& timer) {
  loop.impl().timers.push(timer);
}
void remove_timer(EventLoop& loop, TimerNode& timer) noexcept {
  loop.impl().timers.remove(timer);
}

std::shared_ptr<LoopInbox> current_loop_inbox() {
  if (running_loop == nullptr)
    throw std::logic_error("taskfit: no EventLoop is running on this thread");
  return running_loop->impl().inbox;
}

} // namespace detail
} // namespace taskfit
