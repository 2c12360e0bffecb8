// A small mock of standalone Asio: the names rules/executors.yaml and
// rules/blocking.yaml match (asio::post with its executor argument, async_*
// completion handlers, synchronous socket and timer calls), nothing more.
// Real Asio is exercised by the end-to-end tests in test/e2e.
#ifndef TASKFIT_LIT_ASIO_H
#define TASKFIT_LIT_ASIO_H

#include <chrono>
#include <coroutine>
#include <cstddef>
#include <system_error>

namespace asio {

using error_code = std::error_code;

class io_context {
public:
  class basic_executor_type {};
  using executor_type = basic_executor_type;
  executor_type get_executor() noexcept;
  std::size_t run();
  std::size_t run_one();
  std::size_t poll();
  bool stopped() const noexcept;
};

template <class Executor>
class executor_work_guard {
public:
  explicit executor_work_guard(const Executor& executor) noexcept;
};

template <class ExecutionContext>
executor_work_guard<typename ExecutionContext::executor_type>
make_work_guard(ExecutionContext& context);

class thread_pool {
public:
  void join();
};

template <class Executor>
class strand {};

template <class ExecutionContext>
strand<typename ExecutionContext::executor_type> make_strand(ExecutionContext& context);

// Handlers are templates over lambda types, so they need bodies to be used.
template <class Executor, class Handler>
void post(Executor&, Handler&&) {}
template <class Executor, class Handler>
void post(const Executor&, Handler&&) {}
template <class Executor, class Handler>
void dispatch(Executor&, Handler&&) {}

class mutable_buffer {};
class const_buffer {
public:
  const_buffer() = default;
  const_buffer(const mutable_buffer&) {}
};
const_buffer buffer(const void* data, std::size_t size);
mutable_buffer buffer(void* data, std::size_t size);

namespace detail {
template <class T>
struct non_const_lvalue {
  explicit non_const_lvalue(T& t) : value(t) {}
  T& value;
};
struct reactive_socket_service {
  template <class Handler>
  void async_wait(int, Handler&) {}
};
} // namespace detail

// Readiness waits and the native handle live on the socket base, as in Asio,
// whose initiation hands the handler on to its service through a holder.
template <class Protocol>
class basic_socket {
public:
  enum wait_type { wait_read, wait_write, wait_error };
  int native_handle();
  template <class Handler>
  void async_wait(wait_type w, Handler&& handler) {
    detail::non_const_lvalue<Handler> handler2(handler);
    service_.async_wait(w, handler2.value);
  }

private:
  detail::reactive_socket_service service_;
};

template <class Protocol>
class basic_stream_socket : public basic_socket<Protocol> {
public:
  std::size_t read_some(const mutable_buffer& buffer);
  std::size_t write_some(const const_buffer& buffer);
  template <class Handler>
  void async_read_some(const mutable_buffer&, Handler&&) {}
  template <class Handler>
  void async_write_some(const const_buffer&, Handler&&) {}
};

template <class Clock>
class basic_waitable_timer {
public:
  explicit basic_waitable_timer(io_context& context);
  void expires_after(typename Clock::duration duration);
  void wait();
  template <class Handler>
  void async_wait(Handler&&) {}
};
using steady_timer = basic_waitable_timer<std::chrono::steady_clock>;

namespace ip {
class tcp {
public:
  using socket = basic_stream_socket<tcp>;
};
} // namespace ip

// The coroutine task type of asio::co_spawn.
template <class T = void>
class awaitable {
public:
  struct promise_type {
    awaitable get_return_object() noexcept;
    std::suspend_always initial_suspend() const noexcept;
    std::suspend_always final_suspend() const noexcept;
    void return_void() noexcept;
    void unhandled_exception() noexcept;
  };
  bool await_ready() const noexcept;
  void await_suspend(std::coroutine_handle<>) noexcept;
  void await_resume();
};

struct use_awaitable_t {};
inline constexpr use_awaitable_t use_awaitable;
struct detached_t {};
inline constexpr detached_t detached;

template <class Executor, class Awaitable, class Token>
void co_spawn(Executor&, Awaitable&&, Token&&) {}

template <class Stream, class Buffer, class Handler>
void async_read(Stream&, const Buffer&, Handler&&) {}
template <class Stream, class Buffer, class Handler>
void async_write(Stream&, const Buffer&, Handler&&) {}
template <class Stream, class Buffer>
std::size_t read(Stream& stream, const Buffer& buffer);

} // namespace asio

#endif
