// --checks selects checks clang-tidy style; --list-checks shows the selection.
// RUN: %taskfit --checks='-*,blocking-call-on-event-loop' %s -- -std=c++20 | FileCheck %s --allow-empty --implicit-check-not="warning:"
// RUN: not %taskfit --checks='-*,blocking-*' %s -- -std=c++20 | FileCheck %s --check-prefix=ON
// RUN: %taskfit --list-checks | FileCheck %s --check-prefix=LIST
// RUN: %taskfit --list-checks --checks='-*,*-on-event-loop' | FileCheck %s --check-prefix=ONE --implicit-check-not=coroutine
#include <coroutine>
#include <unistd.h>

struct Job {
  struct promise_type {
    Job get_return_object() { return {}; }
    std::suspend_never initial_suspend() { return {}; }
    std::suspend_never final_suspend() noexcept { return {}; }
    void return_void() {}
    void unhandled_exception() {}
  };
};
struct Ready {
  bool await_ready() { return true; }
  void await_suspend(std::coroutine_handle<>) {}
  void await_resume() {}
};

Job run() {
  co_await Ready{};
  sleep(1);
  // ON: :[[@LINE-1]]:3: warning: coroutine 'run' calls 'sleep', which blocks (sleep)
}

// LIST: Enabled checks:
// LIST-NEXT: blocking-call-in-coroutine
// LIST-NEXT: blocking-call-on-event-loop
// ONE: Enabled checks:
// ONE-NEXT: blocking-call-on-event-loop
