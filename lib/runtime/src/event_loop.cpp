#include "taskfit/runtime/event_loop.hpp"

#include "poller.hpp"
#include "taskfit/runtime/detail/io_registration.hpp"
#include "taskfit/runtime/detail/loop_inbox.hpp"
#include "taskfit/runtime/detail/timer.hpp"
#include "taskfit/runtime/future.hpp"
#include "taskfit/runtime/sleep.hpp"
#include "taskfit/runtime/spin.hpp"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <stdexcept>
#include <string>
#include <sys/eventfd.h>
#include <system_error>
#include <unistd.h>
#include <vector>

namespace taskfit {

namespace {
thread_local EventLoop* running_loop = nullptr;

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
  void fire() noexcept override;
  std::function<void()> callback_;
  EventLoop* loop = nullptr;
};
} // namespace

struct EventLoop::Impl {
  struct Ready {
    detail::TaskCore* core = nullptr;
    std::coroutine_handle<> handle;
    std::function<void()> callback;
  };

  explicit Impl(EventLoop& owner, Backend requested) : owner(owner) {
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
  ~Impl() {
    inbox->close();
    poller.reset();
    ::close(wake_fd);
  }

  void run_step(Ready& item) {
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

  void drain_inbox() {
    std::uint64_t count;
    [[maybe_unused]] auto ignored = ::read(wake_fd, &count, sizeof count);
    inbox->drain(posted);
    for (auto& callback : posted)
      ready.push_back(Ready{nullptr, {}, std::move(callback)});
    posted.clear();
  }

  void fire_due_timers() {
    if (timers.empty())
      return;
    const auto now = detail::Clock::now();
    while (!timers.empty() && timers.top()->deadline <= now) {
      detail::TimerNode* node = timers.top();
      timers.remove(*node);
      node->fire();
    }
  }

  int poll_timeout_ms() const {
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

  detail::Clock::time_point next_timer_deadline() const {
    return timers.empty() ? detail::Clock::time_point::max() : timers.top()->deadline;
  }

  void run_once() {
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
};

namespace {
void CallbackTimer::fire() noexcept {
  // The timer is owned by the callback that runs it.
  loop->call_soon([self = std::shared_ptr<CallbackTimer>(this)] { self->callback_(); });
}
} // namespace

EventLoop::EventLoop(Options options)
    : impl_(std::make_unique<Impl>(*this, options.backend.value_or(backend_from_environment()))) {}

EventLoop::~EventLoop() {
  // Newest first: children park in queues and events that live in their parents' frames.
  std::vector<detail::TaskCore*> unfinished;
  while (detail::TaskCore* core = impl_->live_tasks.pop_front())
    unfinished.push_back(core);
  EventLoop* previous = std::exchange(running_loop, this);
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
  running_loop = previous;
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
  EventLoop* previous = std::exchange(running_loop, this);
  struct Restore {
    EventLoop* previous;
    ~Restore() { running_loop = previous; }
  } restore{previous};
  impl_->stopping = false;
  while (!core.finished)
    impl_->run_once();
}

void EventLoop::cancel_all_and_wait() {
  EventLoop* previous = std::exchange(running_loop, this);
  struct Restore {
    EventLoop* previous;
    ~Restore() { running_loop = previous; }
  } restore{previous};
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
  EventLoop* previous = std::exchange(running_loop, this);
  struct Restore {
    EventLoop* previous;
    ~Restore() { running_loop = previous; }
  } restore{previous};
  impl_->stopping = false;
  while (!impl_->stopping)
    impl_->run_once();
}

void EventLoop::stop() {
  impl_->stopping = true;
}

namespace detail {

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

void ParkIn::await_resume() const {
  if (node_.cancelled)
    throw CancelledError();
}

bool TaskDoneAwaiterBase::await_suspend(std::coroutine_handle<> handle) {
  TaskCore& core = require_task_core("co_await TaskHandle");
  waiter_ = &core;
  handle_ = handle;
  if (core.take_cancel_request()) {
    cancel_forwarded_ = true;
    awaited_.request_cancel();
    if (awaited_.finished)
      return false;
  } else {
    core.waiting = this;
  }
  awaited_.done_waiters.push_back(*this);
  return true;
}

void TaskDoneAwaiterBase::cancel_wait() noexcept {
  // Stay parked until the awaited task has ended; on_task_done() resumes us.
  cancel_forwarded_ = true;
  awaited_.request_cancel();
}

// LoopInbox

bool LoopInbox::post(std::function<void()> callback) {
  {
    std::lock_guard lock(mutex_);
    if (closed_)
      return false;
    posted_.push_back(std::move(callback));
    if (notified_.exchange(true, std::memory_order_acq_rel))
      return true;
    // Written under the lock so close() cannot free the fd in between.
    std::uint64_t one = 1;
    [[maybe_unused]] auto ignored = ::write(wake_fd_, &one, sizeof one);
  }
  return true;
}

void LoopInbox::drain(std::vector<std::function<void()>>& into) {
  std::lock_guard lock(mutex_);
  notified_.store(false, std::memory_order_release);
  into.swap(posted_);
}

void LoopInbox::close() {
  std::vector<std::function<void()>> dropped;
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
    dropped.swap(posted_);
  }
}

std::shared_ptr<LoopInbox> current_loop_inbox() {
  if (running_loop == nullptr)
    throw std::logic_error("taskfit: no EventLoop is running on this thread");
  return running_loop->impl().inbox;
}

// Timers

void TimerHeap::push(TimerNode& node) {
  node.sequence = next_sequence_++;
  nodes_.push_back(&node);
  node.heap_index = nodes_.size() - 1;
  sift_up(node.heap_index);
}

void TimerHeap::remove(TimerNode& node) noexcept {
  if (!node.scheduled())
    return;
  const std::size_t index = node.heap_index;
  TimerNode* last = nodes_.back();
  nodes_.pop_back();
  node.heap_index = static_cast<std::size_t>(-1);
  if (last == &node)
    return;
  place(index, last);
  sift_up(index);
  sift_down(last->heap_index);
}

void TimerHeap::sift_up(std::size_t index) noexcept {
  TimerNode* node = nodes_[index];
  while (index > 0) {
    std::size_t parent = (index - 1) / 2;
    if (!earlier(node, nodes_[parent]))
      break;
    place(index, nodes_[parent]);
    index = parent;
  }
  place(index, node);
}

void TimerHeap::sift_down(std::size_t index) noexcept {
  TimerNode* node = nodes_[index];
  const std::size_t size = nodes_.size();
  for (;;) {
    std::size_t child = 2 * index + 1;
    if (child >= size)
      break;
    if (child + 1 < size && earlier(nodes_[child + 1], nodes_[child]))
      ++child;
    if (!earlier(nodes_[child], node))
      break;
    place(index, nodes_[child]);
    index = child;
  }
  place(index, node);
}

// Sleep and yield

SleepAwaiter::~SleepAwaiter() {
  if (scheduled() && core_ != nullptr)
    core_->loop.impl().timers.remove(*this);
}

bool SleepAwaiter::await_suspend(std::coroutine_handle<> handle) {
  TaskCore& core = require_task_core("taskfit::sleep");
  if (core.take_cancel_request()) {
    cancelled_ = true;
    return false;
  }
  core_ = &core;
  handle_ = handle;
  if (delay_ <= std::chrono::nanoseconds::zero()) {
    schedule_resume(core, handle); // sleep(0) is a plain yield
    return true;
  }
  deadline = Clock::now() + delay_;
  core.loop.impl().timers.push(*this);
  core.waiting = this;
  return true;
}

void SleepAwaiter::await_resume() const {
  if (cancelled_)
    throw CancelledError();
  if (core_ != nullptr && delay_ <= std::chrono::nanoseconds::zero() &&
      core_->take_cancel_request())
    throw CancelledError();
}

void SleepAwaiter::fire() noexcept {
  wake(*core_, handle_);
}

void SleepAwaiter::cancel_wait() noexcept {
  core_->loop.impl().timers.remove(*this);
  cancelled_ = true;
  wake(*core_, handle_);
}

void YieldAwaiter::await_suspend(std::coroutine_handle<> handle) {
  core_ = &require_task_core("taskfit::yield");
  schedule_resume(*core_, handle);
}

void YieldAwaiter::await_resume() const {
  if (core_ != nullptr && core_->take_cancel_request())
    throw CancelledError();
}

// I/O registrations

IoRegistration::IoRegistration(EventLoop& loop, int fd)
    : loop_(loop), fd_(fd), id_(loop.impl().next_registration_id++) {
  loop.impl().poller->add(*this);
}

IoRegistration::~IoRegistration() {
  loop_.impl().poller->remove(*this);
  readable_ = writable_ = true;
  wake_all(readers_);
  wake_all(writers_);
}

void IoRegistration::on_ready(bool readable, bool writable, bool hung_up) noexcept {
  hung_up_ = hung_up_ || hung_up;
  if (readable) {
    readable_ = true;
    wake_all(readers_);
  }
  if (writable) {
    writable_ = true;
    wake_all(writers_);
  }
}

} // namespace detail
} // namespace taskfit
