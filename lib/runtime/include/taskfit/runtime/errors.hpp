// The runtime's failure modes, after Python's concurrent.futures and asyncio exceptions.
#pragma once

#include <cstddef>
#include <exception>
#include <stdexcept>
#include <string>
#include <vector>

namespace taskfit {

// result(timeout), wait_for(aw, timeout) and map(..., {.timeout}) ran out of time.
class TimeoutError : public std::runtime_error {
public:
  TimeoutError() : std::runtime_error("taskfit: operation timed out") {}
  explicit TimeoutError(const std::string& what) : std::runtime_error(what) {}
};

// A future or task was cancelled; inside a coroutine it is thrown at a suspension point.
class CancelledError : public std::runtime_error {
public:
  CancelledError() : std::runtime_error("taskfit: cancelled") {}
  explicit CancelledError(const std::string& what) : std::runtime_error(what) {}
};

// result() or exception() was asked of a task that has not finished (asyncio.InvalidStateError).
class InvalidStateError : public std::logic_error {
public:
  explicit InvalidStateError(const std::string& what) : std::logic_error(what) {}
};

// A process-pool worker died (signal, exit, OOM kill) while running the task, or the pool cannot
// start workers any more; what() names the signal or exit status.
class BrokenProcessPool : public std::runtime_error {
public:
  explicit BrokenProcessPool(const std::string& what) : std::runtime_error(what) {}
};

// A task raised an exception inside a worker process. The exception object cannot cross the
// process boundary, so its dynamic type name and message do.
class RemoteError : public std::runtime_error {
public:
  RemoteError(std::string type_name, std::string message)
      : std::runtime_error(type_name + ": " + message), type_name_(std::move(type_name)),
        message_(std::move(message)) {}
  const std::string& type_name() const noexcept { return type_name_; }
  const std::string& message() const noexcept { return message_; }

private:
  std::string type_name_;
  std::string message_;
};

// Several tasks of a TaskGroup failed; every failure is kept (Python's ExceptionGroup).
class ExceptionGroup : public std::runtime_error {
public:
  explicit ExceptionGroup(std::vector<std::exception_ptr> exceptions)
      : std::runtime_error(describe(exceptions)), exceptions_(std::move(exceptions)) {}
  const std::vector<std::exception_ptr>& exceptions() const noexcept { return exceptions_; }

private:
  static std::string describe(const std::vector<std::exception_ptr>& exceptions);
  std::vector<std::exception_ptr> exceptions_;
};

// Queue::put_nowait on a full queue and Queue::get_nowait on an empty one.
class QueueFull : public std::runtime_error {
public:
  QueueFull() : std::runtime_error("taskfit: queue is full") {}
};
class QueueEmpty : public std::runtime_error {
public:
  QueueEmpty() : std::runtime_error("taskfit: queue is empty") {}
};

// Stream::read_exactly met the end of the stream first; partial() holds what did arrive.
class IncompleteReadError : public std::runtime_error {
public:
  IncompleteReadError(std::string partial, std::size_t expected)
      : std::runtime_error("taskfit: " + std::to_string(partial.size()) + " bytes read of " +
                           std::to_string(expected) + " expected"),
        partial_(std::move(partial)) {}
  const std::string& partial() const noexcept { return partial_; }

private:
  std::string partial_;
};

// An executor that was shut down refuses new work (Python raises RuntimeError).
class ExecutorShutdown : public std::runtime_error {
public:
  ExecutorShutdown() : std::runtime_error("taskfit: cannot schedule new work after shutdown") {}
};

// Readable name of an exception's dynamic type and its message, for RemoteError and logs.
std::string describe_exception(const std::exception_ptr& error);
std::string exception_type_name(const std::exception_ptr& error);

} // namespace taskfit
