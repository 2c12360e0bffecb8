// Coroutines are roots of their own: awaiting a coroutine that blocks does
// not make the awaiting coroutine block, so the callee's blocking call is
// reported once, in the callee. Any task type of rules/executors.yaml, or an
// in-house type whose coroutines co_await, makes an async coroutine.
// RUN: not %taskfit --checks='-*,blocking-call-in-coroutine' %s -- -std=c++20 -I%inputs | FileCheck %s --implicit-check-not="warning:"
#include "asio.h"
#include "coro.h"

#include <coroutine>
#include <fstream>
#include <string>

taskfit::Task<std::string> load_profile(std::string user) {
  std::ifstream in("/var/lib/app/" + user);
  // CHECK: co-await.cpp:[[@LINE-1]]:17: warning: coroutine 'load_profile' calls
  // CHECK-SAME: 'std::basic_ifstream::basic_ifstream', which blocks (file-io);
  // CHECK-SAME: [blocking-call-in-coroutine]
  co_return user;
}

taskfit::Task<int> render(std::string user) {
  std::string profile = co_await load_profile(user);
  std::string again = co_await load_profile(user);
  co_return static_cast<int>(profile.size() + again.size());
}

taskfit::Task<void> serve() {
  co_await render("ada");
  auto pending = load_profile("bob"); // Creates the task; runs nothing yet.
  co_await pending;
}

// Member coroutines and coroutine lambdas.
struct Session {
  taskfit::Task<void> close() {
    std::ofstream log("/var/log/app/sessions");
    // CHECK: co-await.cpp:[[@LINE-1]]:19: warning: coroutine 'Session::close' calls
    // CHECK-SAME: 'std::basic_ofstream::basic_ofstream', which blocks (file-io);
    co_return;
  }
};

taskfit::Task<void> shutdown(Session& session) {
  auto flush = [&]() -> taskfit::Task<void> {
    std::ofstream log("/var/log/app/flush");
    // CHECK: co-await.cpp:[[@LINE-1]]:19: warning: coroutine 'lambda at
    // CHECK-SAME: co-await.cpp:[[@LINE-3]]:16' calls 'std::basic_ofstream::basic_ofstream',
    // CHECK-SAME: which blocks (file-io);
    co_await session.close();
  };
  co_await flush();
}

// Other task types: asio::awaitable (listed), and an in-house type that the
// rules do not know, recognised because its coroutines co_await.
asio::awaitable<void> asio_handler() {
  std::ifstream in("/etc/app.conf");
  // CHECK: co-await.cpp:[[@LINE-1]]:17: warning: coroutine 'asio_handler' calls
  // CHECK-SAME: 'std::basic_ifstream::basic_ifstream', which blocks (file-io);
  co_await taskfit::sleep(std::chrono::milliseconds(1));
}

namespace acme {
template <class T>
struct Lazy {
  struct promise_type {
    Lazy get_return_object() noexcept;
    std::suspend_always initial_suspend() const noexcept;
    std::suspend_always final_suspend() const noexcept;
    void return_value(T) noexcept;
    void unhandled_exception() noexcept;
  };
};
} // namespace acme

acme::Lazy<int> in_house() {
  co_await taskfit::sleep(std::chrono::milliseconds(1));
  std::ifstream in("/etc/app.conf");
  // CHECK: co-await.cpp:[[@LINE-1]]:17: warning: coroutine 'in_house' calls
  // CHECK-SAME: 'std::basic_ifstream::basic_ifstream', which blocks (file-io);
  co_return 1;
}
