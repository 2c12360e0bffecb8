// Future<R> and Promise<R>: the result of work running elsewhere (concurrent.futures.Future).
// Thread-safe; a Future can be waited on from any thread or co_awaited from an EventLoop task
// without blocking the loop.
#pragma once

#include "taskfit/runtime/detail/loop_inbox.hpp"
#include "taskfit/runtime/detail/task_core.hpp"
#include "taskfit/runtime/errors.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <coroutine>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <type_traits>
#include <utility>
#include <vector>

namespace taskfit {

template <class R>
class Future;
template <class R>
class Promise;

namespace detail {

class FutureStateBase;

// Lets a thread about to block on a future do the work that completes it instead of sleeping
// until another thread has done it (a process pool's waiting thread reads its worker's answer
// itself). drive() returns when the future is done, the deadline has passed, or the thread
// cannot help; the caller then sleeps on the future as usual.
class WaitDriver {
public:
  virtual void drive(const FutureStateBase& state,
                     std::optional<std::chrono::steady_clock::time_point> deadline) = 0;
  // Completes the state if its answer is already there, without blocking.
  virtual void poll(const FutureStateBase& state) = 0;

protected:
  ~WaitDriver() = default;
};

// Everything about a future that does not depend on its value type.
class FutureStateBase {
public:
  enum class Status : std::uint8_t { pending, running, finished, cancelled };

  FutureStateBase() = default;
  FutureStateBase(const FutureStateBase&) = delete;
  FutureStateBase& operator=(const FutureStateBase&) = delete;
  virtual ~FutureStateBase() = default;

  bool done() const noexcept {
    Status status = status_.load(std::memory_order_acquire);
    return status == Status::finished || status == Status::cancelled;
  }
  bool cancelled() const noexcept {
    return status_.load(std::memory_order_acquire) == Status::cancelled;
  }
  bool running() const noexcept {
    return status_.load(std::memory_order_acquire) == Status::running;
  }

  // Succeeds only while the work has not started (Python semantics); true if already cancelled.
  bool cancel();
  // Executor side: moves pending -> running; false when the future was cancelled meanwhile.
  bool set_running_or_notify_cancel();

  void wait() const;
  // False on timeout.
  bool wait_until(std::chrono::steady_clock::time_point deadline) const;

  // After done(): the stored exception, or CancelledError as exception_ptr when cancelled.
  std::exception_ptr error_after_done() const;
  // Throws CancelledError or the stored exception; returns when a value is there.
  void rethrow_if_failed() const;

  // Runs `callback` once the future is done: right away on this thread when it already is,
  // otherwise on the thread that completes it.
  void add_callback(std::function<void()> callback);

  void set_exception(std::exception_ptr error);

  // Executor side, before the future is shared with another thread.
  void set_wait_driver(std::weak_ptr<WaitDriver> driver) noexcept { driver_ = std::move(driver); }
  bool has_wait_driver() const noexcept { return !driver_.expired(); }
  void poll_wait_driver() const {
    if (auto driver = driver_.lock())
      driver->poll(*this);
  }

protected:
  // Marks the future finished (value already stored by the derived class) and runs callbacks.
  void finish(std::exception_ptr error);

private:
  mutable std::mutex mutex_;
  mutable std::condition_variable finished_;
  std::atomic<Status> status_{Status::pending};
  std::exception_ptr error_;
  std::vector<std::function<void()>> callbacks_;
  std::weak_ptr<WaitDriver> driver_;
};

template <class R>
class FutureState final : public FutureStateBase {
public:
  template <class... Args>
  void set_value(Args&&... args) {
    if constexpr (!std::is_void_v<R>)
      value_.emplace(std::forward<Args>(args)...);
    finish(nullptr);
  }
  // Precondition: done() and no error.
  std::add_lvalue_reference_t<R> value() noexcept
    requires(!std::is_void_v<R>)
  {
    return *value_;
  }

private:
  struct NoValue {};
  std::conditional_t<std::is_void_v<R>, NoValue, std::optional<R>> value_;
};

// Sits between a future's completion (any thread) and the task awaiting it (loop thread).
// Lives in shared ownership so a completion that arrives after the task gave up finds it alive.
class FutureWaitLink final : public CancellableWait {
public:
  FutureWaitLink(TaskCore& core, std::coroutine_handle<> handle,
                 std::shared_ptr<FutureStateBase> state)
      : core_(&core), handle_(handle), state_(std::move(state)) {}

  void cancel_wait() noexcept override {
    // Python's wrap_future: cancelling the awaiting task tries to cancel the future too.
    state_->cancel();
    abandoned_ = true;
    cancelled_ = true;
    wake(*core_, handle_);
  }
  // Loop thread: the future is done.
  void complete() noexcept {
    if (abandoned_)
      return;
    abandoned_ = true;
    wake(*core_, handle_);
  }
  void abandon() noexcept { abandoned_ = true; }
  bool cancelled() const noexcept { return cancelled_; }

private:
  TaskCore* core_;
  std::coroutine_handle<> handle_;
  std::shared_ptr<FutureStateBase> state_;
  bool abandoned_ = false;
  bool cancelled_ = false;
};

// co_await future: parks the task, resumes it from the loop when the future completes.
template <class R>
class FutureAwaiter {
public:
  explicit FutureAwaiter(std::shared_ptr<FutureState<R>> state) : state_(std::move(state)) {}
  FutureAwaiter(const FutureAwaiter&) = delete;
  FutureAwaiter& operator=(const FutureAwaiter&) = delete;
  ~FutureAwaiter() {
    if (link_)
      link_->abandon();
  }

  bool await_ready() const noexcept { return state_->done(); }
  bool await_suspend(std::coroutine_handle<> handle) {
    TaskCore& core = require_task_core("co_await Future");
    if (core.take_cancel_request()) {
      state_->cancel();
      cancelled_ = true;
      return false;
    }
    link_ = std::make_shared<FutureWaitLink>(core, handle, state_);
    core.waiting = link_.get();
    std::shared_ptr<LoopInbox> inbox = current_loop_inbox();
    const bool pollable = state_->has_wait_driver();
    inbox->expect_post(pollable ? state_ : nullptr);
    state_->add_callback([link = link_, inbox, polled = pollable ? state_.get() : nullptr] {
      inbox->post([link, loop_inbox = inbox.get(), polled] {
        loop_inbox->expected_post_arrived(polled);
        link->complete();
      });
    });
    return true;
  }
  decltype(auto) await_resume() {
    if (cancelled_ || (link_ && link_->cancelled()))
      throw CancelledError();
    state_->rethrow_if_failed();
    if constexpr (std::is_void_v<R>)
      return;
    else
      return static_cast<R&>(state_->value());
  }

private:
  std::shared_ptr<FutureState<R>> state_;
  std::shared_ptr<FutureWaitLink> link_;
  bool cancelled_ = false;
};

} // namespace detail

template <class R>
class Future {
public:
  using value_type = R;
  using result_reference = std::add_lvalue_reference_t<R>;

  Future() = default;
  bool valid() const noexcept { return state_ != nullptr; }

  bool done() const noexcept { return state_->done(); }
  bool running() const noexcept { return state_->running(); }
  bool cancelled() const noexcept { return state_->cancelled(); }
  // Cancels the work if it has not started; true when the future ends up cancelled.
  bool cancel() { return state_->cancel(); }

  // Blocks until done; returns the value or throws the task's exception / CancelledError. The
  // reference stays valid while any copy of this Future lives.
  result_reference result() const {
    state_->wait();
    return value_after_done();
  }
  template <class Rep, class Period>
  result_reference result(std::chrono::duration<Rep, Period> timeout) const {
    if (!state_->wait_until(std::chrono::steady_clock::now() + timeout))
      throw TimeoutError();
    return value_after_done();
  }

  // The task's exception (null when it succeeded); throws CancelledError when cancelled.
  std::exception_ptr exception() const {
    state_->wait();
    return exception_after_done();
  }
  template <class Rep, class Period>
  std::exception_ptr exception(std::chrono::duration<Rep, Period> timeout) const {
    if (!state_->wait_until(std::chrono::steady_clock::now() + timeout))
      throw TimeoutError();
    return exception_after_done();
  }

  // Calls callback(future) once done: at once if it already is, else on the completing thread.
  template <class Callback>
  void add_done_callback(Callback callback) const {
    state_->add_callback([callback = std::move(callback), self = *this]() mutable {
      if constexpr (std::is_invocable_v<Callback&, Future>)
        callback(self);
      else
        callback();
    });
  }

  detail::FutureAwaiter<R> operator co_await() const { return detail::FutureAwaiter<R>(state_); }

  // Identity, so futures can be kept in sets and compared like Python's.
  friend bool operator==(const Future& a, const Future& b) noexcept { return a.state_ == b.state_; }
  const detail::FutureStateBase* identity() const noexcept { return state_.get(); }

private:
  friend class Promise<R>;
  explicit Future(std::shared_ptr<detail::FutureState<R>> state) : state_(std::move(state)) {}

  result_reference value_after_done() const {
    state_->rethrow_if_failed();
    if constexpr (std::is_void_v<R>)
      return;
    else
      return state_->value();
  }
  std::exception_ptr exception_after_done() const {
    if (state_->cancelled())
      throw CancelledError();
    return state_->error_after_done();
  }

  std::shared_ptr<detail::FutureState<R>> state_;
};

// The producing side of a Future, for executors and adapters.
template <class R>
class Promise {
public:
  Promise() : state_(std::make_shared<detail::FutureState<R>>()) {}

  Future<R> get_future() const { return Future<R>(state_); }
  bool set_running_or_notify_cancel() { return state_->set_running_or_notify_cancel(); }
  template <class... Args>
  void set_value(Args&&... args) {
    state_->set_value(std::forward<Args>(args)...);
  }
  void set_exception(std::exception_ptr error) { state_->set_exception(std::move(error)); }
  bool done() const noexcept { return state_->done(); }
  // Before the future is shared: see detail::WaitDriver.
  void set_wait_driver(std::weak_ptr<detail::WaitDriver> driver) noexcept {
    state_->set_wait_driver(std::move(driver));
  }
  const detail::FutureStateBase* identity() const noexcept { return state_.get(); }

  // Runs `work` and stores its result or exception (skipped when the future was cancelled).
  template <class Work>
  void run(Work&& work) {
    if (!set_running_or_notify_cancel())
      return;
    try {
      if constexpr (std::is_void_v<R>) {
        std::forward<Work>(work)();
        set_value();
      } else {
        set_value(std::forward<Work>(work)());
      }
    } catch (...) {
      set_exception(std::current_exception());
    }
  }

private:
  std::shared_ptr<detail::FutureState<R>> state_;
};

} // namespace taskfit
