// Regression: a lambda handed to the project's own function template was
// assumed to run inline at the call, although the template's body is read:
// a wrapper that starts a thread with it was reported (a false positive), and
// a wrapper that calls it was reported twice. The body now decides; and a
// lambda it passes on by parameter (to std::for_each, std::invoke) is
// recognised by its type.
// RUN: not %taskfit --checks='-*,blocking-call-in-coroutine' %s -- -std=c++20 -I%inputs | FileCheck %s --implicit-check-not="warning:"
#include "coro.h"

#include <algorithm>
#include <functional>
#include <thread>
#include <vector>

void nap() {
  std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

template <class F>
void run_in_background(F work) {
  std::thread(std::move(work)).detach();
}

template <class F>
void with_retry(F attempt) {
  for (int i = 0; i < 3; ++i)
    attempt();
}

template <class F>
void for_each_row(std::vector<int>& rows, F visit) {
  std::for_each(rows.begin(), rows.end(), visit);
}

template <class F>
void call(F&& f) {
  std::invoke(f);
}

taskfit::Task<void> wrappers(std::vector<int> rows) {
  run_in_background([] { nap(); }); // Runs on its own thread.
  with_retry([] { nap(); });
  // CHECK: :[[@LINE-1]]:3: warning: coroutine 'wrappers' calls 'with_retry', which blocks in
  // CHECK-SAME: 'std::this_thread::sleep_for' (sleep);
  // CHECK-NEXT: {{^}}  with_retry([] { nap(); });
  // CHECK-NEXT: {{^}}  ^
  // CHECK-NEXT: :[[@LINE-20]]:5: note: 'with_retry' calls 'lambda at {{.*}}:[[@LINE-5]]:14' here
  // CHECK-NEXT: :[[@LINE-6]]:19: note: 'lambda at {{.*}}' calls 'nap' here
  // CHECK-NEXT: :[[@LINE-33]]:21: note: 'nap' calls 'std::this_thread::sleep_for', which blocks
  // CHECK-SAME: (sleep): {{.*}}
  for_each_row(rows, [](int) { nap(); });
  // CHECK: :[[@LINE-1]]:3: warning: coroutine 'wrappers' calls 'for_each_row', which blocks in
  // CHECK-SAME: 'std::this_thread::sleep_for' (sleep);
  // CHECK: :[[@LINE-22]]:43: note: 'for_each_row' runs 'lambda at {{.*}}:[[@LINE-3]]:22' here
  call([] { nap(); });
  // CHECK: :[[@LINE-1]]:3: warning: coroutine 'wrappers' calls 'call', which blocks in
  // CHECK-SAME: 'std::this_thread::sleep_for' (sleep);
  // CHECK: :[[@LINE-21]]:15: note: 'call' runs 'lambda at {{.*}}:[[@LINE-3]]:8' here
  with_retry([] {}); // Does not block.
  co_return;
}
