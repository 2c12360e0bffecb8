#include "taskfit/runtime/future.hpp"

#include "taskfit/runtime/spin.hpp"

#include <cstdio>

namespace taskfit::detail {

namespace {
// Python logs and ignores exceptions from done callbacks; so do we, rather than terminate.
void run_callback(std::function<void()>& callback) noexcept {
  try {
    callback();
  } catch (const std::exception& error) {
    std::fprintf(stderr, "taskfit: exception in a future's done callback: %s\n", error.what());
  } catch (...) {
    std::fprintf(stderr, "taskfit: exception in a future's done callback\n");
  }
}
} // namespace

bool FutureStateBase::cancel() {
  std::vector<std::function<void()>> callbacks;
  {
    std::lock_guard lock(mutex_);
    Status status = status_.load(std::memory_order_relaxed);
    if (status == Status::cancelled)
      return true;
    if (status != Status::pending)
      return false;
    status_.store(Status::cancelled, std::memory_order_release);
    callbacks.swap(callbacks_);
  }
  finished_.notify_all();
  for (auto& callback : callbacks)
    run_callback(callback);
  return true;
}

bool FutureStateBase::set_running_or_notify_cancel() {
  std::lock_guard lock(mutex_);
  if (status_.load(std::memory_order_relaxed) == Status::cancelled)
    return false;
  status_.store(Status::running, std::memory_order_release);
  return true;
}

void FutureStateBase::wait() const {
  if (done())
    return;
  if (auto driver = driver_.lock()) {
    driver->drive(*this, std::nullopt); // spins on its own channel first
    if (done())
      return;
  } else if (spin_until([this] { return done(); })) {
    return;
  }
  std::unique_lock lock(mutex_);
  finished_.wait(lock, [this] { return done(); });
}

bool FutureStateBase::wait_until(std::chrono::steady_clock::time_point deadline) const {
  if (done())
    return true;
  if (auto driver = driver_.lock()) {
    driver->drive(*this, deadline);
    if (done())
      return true;
  } else if (spin_until([this] { return done(); }, deadline)) {
    return true;
  }
  std::unique_lock lock(mutex_);
  return finished_.wait_until(lock, deadline, [this] { return done(); });
}

std::exception_ptr FutureStateBase::error_after_done() const {
  if (cancelled())
    return std::make_exception_ptr(CancelledError());
  std::lock_guard lock(mutex_);
  return error_;
}

void FutureStateBase::rethrow_if_failed() const {
  if (cancelled())
    throw CancelledError();
  std::exception_ptr error;
  {
    std::lock_guard lock(mutex_);
    error = error_;
  }
  if (error)
    std::rethrow_exception(error);
}

void FutureStateBase::add_callback(std::function<void()> callback) {
  {
    std::lock_guard lock(mutex_);
    if (!done()) {
      callbacks_.push_back(std::move(callback));
      return;
    }
  }
  run_callback(callback);
}

void FutureStateBase::set_exception(std::exception_ptr error) {
  finish(std::move(error));
}

void FutureStateBase::finish(std::exception_ptr error) {
  std::vector<std::function<void()>> callbacks;
  {
    std::lock_guard lock(mutex_);
    if (done())
      return; // cancelled meanwhile, or completed twice by a broken executor
    error_ = std::move(error);
    status_.store(Status::finished, std::memory_order_release);
    callbacks.swap(callbacks_);
  }
  finished_.notify_all();
  for (auto& callback : callbacks)
    run_callback(callback);
}

} // namespace taskfit::detail
