// ProcessPool: Python's ProcessPoolExecutor. Isolation (a crash or leak stays in the worker) and
// CPU parallelism for work whose inputs and results are values. Functions are named at compile
// time, submit<&fn>(args...), because closures cannot cross a process boundary; arguments and
// results must be taskfit::Transferable and travel through cereal binary archives.
//
// Failure semantics:
//  - an exception thrown by fn comes back as RemoteError (its dynamic type name and message);
//  - a worker that dies (signal, _exit, OOM kill) fails the future it was running with
//    BrokenProcessPool naming the signal or exit status; work queued behind it is handed to other
//    workers, the dead worker is replaced and the pool keeps serving;
//  - with Options::task_timeout, a worker still running one task when the time is up is killed
//    (SIGKILL) and replaced; that task's future fails with TimeoutError, the rest are unaffected;
//  - an initializer that throws breaks the pool: every pending and later future fails with
//    BrokenProcessPool (as in Python), since every replacement would fail the same way.
#pragma once

#include "taskfit/runtime/detail/executor_map.hpp"
#include "taskfit/runtime/detail/payload.hpp"
#include "taskfit/runtime/detail/serialization.hpp"
#include "taskfit/runtime/errors.hpp"
#include "taskfit/runtime/executor_options.hpp"
#include "taskfit/runtime/fork_server.hpp"
#include "taskfit/runtime/future.hpp"
#include "taskfit/runtime/thread_pool.hpp"
#include "taskfit/runtime/transferable.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <ranges>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace taskfit {

namespace detail {

// Runs in the worker: reads arguments from `in`, calls the function, writes the result to `out`.
// Passed to workers as a plain address: they are forks of the same executable image.
using RemoteInvoker = void (*)(std::string_view in, std::streambuf& out);

// What a function parameter travels as: values by value, const T& as T. T& (writes would be lost)
// stays a reference so that the Transferable check rejects it.
template <class Param>
using payload_type_t = std::conditional_t<std::is_lvalue_reference_v<Param> &&
                                              !std::is_const_v<std::remove_reference_t<Param>>,
                                          Param, std::remove_cvref_t<Param>>;

template <class Signature>
struct remote_function_traits {
  static constexpr bool is_function = false;
};
template <class R, class... Params>
struct remote_function_traits<R (*)(Params...)> {
  static constexpr bool is_function = true;
  using result = R;
  using payload = std::tuple<payload_type_t<Params>...>;
  static constexpr std::size_t arity = sizeof...(Params);
  using first_param = std::tuple_element_t<0, std::tuple<payload_type_t<Params>..., void>>;
  static constexpr bool check() {
    bool transferable = (require_transferable<payload_type_t<Params>> && ...);
    if constexpr (!std::is_void_v<R>)
      transferable = transferable && require_transferable<R>;
    return transferable;
  }
};
template <class R, class... Params>
struct remote_function_traits<R (*)(Params...) noexcept>
    : remote_function_traits<R (*)(Params...)> {};

// An argument as the type it travels as: itself when it already has that type (serialized where
// it is, not copied first), converted otherwise.
template <class Payload, class Arg>
decltype(auto) as_payload(Arg&& argument) {
  if constexpr (std::is_same_v<std::remove_cvref_t<Arg>, Payload>)
    return static_cast<const Payload&>(argument);
  else
    return Payload(std::forward<Arg>(argument));
}

// The arguments of a call to a function taking `Payloads`, serialized one after the other (the
// worker reads them back the same way, into a tuple's elements).
template <class Payloads, class... Args, std::size_t... Index>
void serialize_arguments(std::streambuf& out, std::index_sequence<Index...>, Args&&... args) {
  if constexpr (sizeof...(Args) > 0)
    append_serialized(
        out, as_payload<std::tuple_element_t<Index, Payloads>>(std::forward<Args>(args))...);
}

template <auto Function>
void invoke_remote(std::string_view in, std::streambuf& out) {
  using Traits = remote_function_traits<decltype(Function)>;
  typename Traits::payload arguments;
  if constexpr (Traits::arity > 0)
    std::apply([&](auto&... values) { deserialize(in, values...); }, arguments);
  if constexpr (std::is_void_v<typename Traits::result>) {
    std::apply(Function, std::move(arguments));
  } else {
    append_serialized(out, std::apply(Function, std::move(arguments)));
  }
}

template <auto Function>
void invoke_remote_chunk(std::string_view in, std::streambuf& out) {
  using Traits = remote_function_traits<decltype(Function)>;
  std::vector<typename Traits::first_param> inputs;
  deserialize(in, inputs);
  std::vector<typename Traits::result> results;
  results.reserve(inputs.size());
  for (auto& input : inputs)
    results.push_back(Function(std::move(input)));
  append_serialized(out, results);
}

// Where a result goes once it is back in the parent: type-erased over the result type.
class RemoteResult {
public:
  virtual ~RemoteResult() = default;
  virtual bool start() = 0; // false when the future was cancelled before dispatch
  virtual void deliver(std::string_view bytes) noexcept = 0;
  virtual void fail(std::exception_ptr error) noexcept = 0;
  virtual void cancel() noexcept = 0;
  // The future's state, which the thread waiting on it names when it offers to read its answer.
  virtual const FutureStateBase* identity() const noexcept = 0;
  virtual void set_wait_driver(std::weak_ptr<WaitDriver> driver) noexcept = 0;
};

template <class R>
class PromiseResult final : public RemoteResult {
public:
  explicit PromiseResult(Promise<R> promise) : promise_(std::move(promise)) {}
  bool start() override { return promise_.set_running_or_notify_cancel(); }
  void deliver(std::string_view bytes) noexcept override {
    try {
      if constexpr (std::is_void_v<R>) {
        promise_.set_value();
      } else {
        R value{};
        deserialize(bytes, value);
        promise_.set_value(std::move(value));
      }
    } catch (...) {
      promise_.set_exception(std::current_exception());
    }
  }
  void fail(std::exception_ptr error) noexcept override {
    promise_.set_exception(std::move(error));
  }
  void cancel() noexcept override { promise_.get_future().cancel(); }
  const FutureStateBase* identity() const noexcept override { return promise_.identity(); }
  void set_wait_driver(std::weak_ptr<WaitDriver> driver) noexcept override {
    promise_.set_wait_driver(std::move(driver));
  }

private:
  Promise<R> promise_;
};

struct RemoteCall {
  RemoteInvoker invoker = nullptr;
  Payload arguments;
  std::unique_ptr<RemoteResult> result;
};

} // namespace detail

class ProcessPool {
public:
  struct Options {
    std::size_t max_workers = 0;             // 0: one per core
    std::size_t max_tasks_per_child = 0;     // 0: workers live as long as the pool
    void (*initializer)() = nullptr;         // runs once in each worker before its first task
    std::shared_ptr<ForkServer> fork_server; // null: the pool starts its own, now
    // Most tasks sent to one worker before it answers: amortises the round trip of small tasks.
    // 1 suits long tasks of uneven length, which batches would leave stuck behind a slow one.
    std::size_t tasks_ahead_per_worker = 32;
    // Longest a worker may run one task before it is killed: guards against tasks that hang.
    std::optional<std::chrono::nanoseconds> task_timeout;
  };

  ProcessPool() : ProcessPool(Options{}) {}
  explicit ProcessPool(Options options);
  ProcessPool(ProcessPool&&) noexcept;
  ProcessPool& operator=(ProcessPool&&) = delete;
  ~ProcessPool(); // shutdown({.wait = true})

  // Runs Function(args...) in a worker. Closures are refused at compile time: see the overload
  // below. Throws ExecutorShutdown after shutdown(), BrokenProcessPool when the pool is broken.
  template <auto Function, class... Args>
  auto submit(Args&&... args) {
    using Traits = detail::remote_function_traits<decltype(Function)>;
    static_assert(Traits::is_function,
                  "taskfit::ProcessPool::submit<&fn>: fn must be a plain function (not a member "
                  "function, lambda or functor): workers find it by its address in the program");
    constexpr bool transferable = Traits::check(); // the diagnostics name the offending type
    using Result = typename Traits::result;
    if constexpr (!transferable) {
      return Future<Result>(); // unreachable: compilation has failed; avoids follow-on errors
    } else {
      static_assert(sizeof...(Args) == Traits::arity,
                    "taskfit::ProcessPool::submit<&fn>(args...): one argument per parameter of fn");
      detail::RemoteCall call;
      call.invoker = &detail::invoke_remote<Function>;
      bool shared = false;
      call.arguments = argument_payload(shared);
      detail::PayloadWriter writer(call.arguments, shared);
      detail::serialize_arguments<typename Traits::payload>(
          writer, std::make_index_sequence<Traits::arity>(), std::forward<Args>(args)...);
      Promise<Result> promise;
      Future<Result> future = promise.get_future();
      call.result = std::make_unique<detail::PromiseResult<Result>>(std::move(promise));
      enqueue(std::move(call));
      return future;
    }
  }

  // Refuses callables such as lambdas (and function pointers passed at run time) with a message
  // naming their type.
  template <class Callable, class... Args>
  void submit(Callable&&, Args&&...) {
    static_assert(detail::require_transferable<std::remove_cvref_t<Callable>>,
                  "taskfit::ProcessPool::submit: a closure cannot cross a process boundary; use "
                  "submit<&function>(args...)");
  }

  // Function applied to every input in the workers, `chunksize` inputs per message; results in
  // input order. The first failing chunk's exception is rethrown and unstarted chunks cancelled.
  template <auto Function, std::ranges::input_range Inputs>
  auto map(Inputs&& inputs, MapOptions options = {}) {
    using Traits = detail::remote_function_traits<decltype(Function)>;
    static_assert(Traits::is_function && Traits::arity == 1,
                  "taskfit::ProcessPool::map<&fn>: fn must be a plain function of one parameter");
    static_assert(!std::is_void_v<typename Traits::result>,
                  "taskfit::ProcessPool::map<&fn>: fn must return a value");
    constexpr bool transferable = Traits::check(); // the diagnostics name the offending type
    using Input = typename Traits::first_param;
    using Result = typename Traits::result;
    if constexpr (!transferable) {
      return std::vector<Result>(); // unreachable: compilation has failed
    } else {
      return detail::map_in_chunks<Input, Result>(
          std::forward<Inputs>(inputs), options, [&](const std::vector<Input>& chunk) {
            detail::RemoteCall call;
            call.invoker = &detail::invoke_remote_chunk<Function>;
            bool shared = false;
            call.arguments = argument_payload(shared);
            detail::PayloadWriter writer(call.arguments, shared);
            detail::append_serialized(writer, chunk);
            Promise<std::vector<Result>> promise;
            Future<std::vector<Result>> future = promise.get_future();
            call.result =
                std::make_unique<detail::PromiseResult<std::vector<Result>>>(std::move(promise));
            enqueue(std::move(call));
            return future;
          });
    }
  }

  // wait: block until queued work is done and workers have exited. cancel_futures: cancel work
  // not yet handed to a worker.
  void shutdown(ShutdownOptions options = {});

  std::size_t max_workers() const noexcept;
  // Process ids of the live workers (diagnostics and tests), once the workers being forked (at
  // the start, or to replace dead ones) are in.
  std::vector<pid_t> worker_pids() const;

private:
  struct Impl;
  void enqueue(detail::RemoteCall call);
  // An empty payload for a submission's arguments, with the shared area of a large one the pool
  // is done with, if any; `shared` tells whether large arguments may go to shared memory (the
  // pool bounds the areas in use: each holds a descriptor).
  detail::Payload argument_payload(bool& shared);

  std::shared_ptr<Impl> impl_;
};

} // namespace taskfit
