// A blocking call reached through helpers is reported at the call in the
// coroutine, with the chain of calls as notes. Recursion terminates, and a
// recursive helper that blocks is still reported.
// RUN: not %taskfit --checks='-*,blocking-call-in-coroutine' %s -- -std=c++20 -I%inputs | FileCheck %s --implicit-check-not="warning:"
#include "coro.h"

#include <fstream>
#include <string>
#include <thread>

std::string read_config(const std::string& path) {
  std::ifstream in(path);
  return {};
}

taskfit::Task<void> one_deep() {
  read_config("app.conf");
  // CHECK: helpers.cpp:[[@LINE-1]]:3: warning: coroutine 'one_deep' calls 'read_config', which
  // CHECK-SAME: blocks in 'std::basic_ifstream::basic_ifstream' (file-io); offload the call with
  // CHECK-SAME: co_await taskfit::to_thread(...) or make 'read_config' asynchronous
  // CHECK-SAME: [blocking-call-in-coroutine]
  // CHECK-NEXT: {{^}}  read_config("app.conf");
  // CHECK-NEXT: {{^}}  ^
  // CHECK-NEXT: helpers.cpp:[[@LINE-12]]:17: note: 'read_config' calls
  // CHECK-SAME: 'std::basic_ifstream::basic_ifstream', which blocks (file-io): {{.*}}
  co_return;
}

void backoff(int attempt) {
  std::this_thread::sleep_for(std::chrono::milliseconds(10 * attempt));
}
bool try_send(int attempt) {
  backoff(attempt);
  return attempt > 2;
}
void send_with_retry() {
  for (int attempt = 0; !try_send(attempt); ++attempt) {
  }
}

taskfit::Task<void> several_deep() {
  send_with_retry();
  // CHECK: :[[@LINE-1]]:3: warning: coroutine 'several_deep' calls 'send_with_retry', which
  // CHECK-SAME: blocks in 'std::this_thread::sleep_for' (sleep); offload the call with co_await
  // CHECK-SAME: taskfit::to_thread(...) or make 'send_with_retry' asynchronous
  // CHECK-SAME: [blocking-call-in-coroutine]
  // CHECK: helpers.cpp:[[@LINE-10]]:26: note: 'send_with_retry' calls 'try_send' here
  // CHECK-NEXT: helpers.cpp:[[@LINE-15]]:3: note: 'try_send' calls 'backoff' here
  // CHECK-NEXT: helpers.cpp:[[@LINE-19]]:21: note: 'backoff' calls 'std::this_thread::sleep_for',
  // CHECK-SAME: which blocks (sleep): {{.*}}
  // The same helper called again is another finding, at its own call.
  send_with_retry();
  // CHECK: :[[@LINE-1]]:3: warning: coroutine 'several_deep' calls 'send_with_retry', which
  // CHECK-SAME: blocks in 'std::this_thread::sleep_for' (sleep);
  co_return;
}

// Mutual recursion: the fixed point terminates, with and without blocking.
bool is_even(unsigned n);
bool is_odd(unsigned n) {
  return n != 0 && is_even(n - 1);
}
bool is_even(unsigned n) {
  return n == 0 || is_odd(n - 1);
}

void drain(int depth);
void flush(int depth) {
  if (depth == 0)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  else
    drain(depth - 1);
}
void drain(int depth) {
  flush(depth);
}

taskfit::Task<bool> recursion() {
  bool even = is_even(10);
  drain(3);
  // CHECK: :[[@LINE-1]]:3: warning: coroutine 'recursion' calls 'drain', which blocks in
  // CHECK-SAME: 'std::this_thread::sleep_for' (sleep);
  // CHECK: helpers.cpp:[[@LINE-8]]:3: note: 'drain' calls 'flush' here
  // CHECK-NEXT: helpers.cpp:[[@LINE-14]]:23: note: 'flush' calls 'std::this_thread::sleep_for',
  // CHECK-SAME: which blocks (sleep): {{.*}}
  co_return even;
}

// Constructors and member functions are helpers too.
class Settings {
public:
  explicit Settings(const std::string& path) : text_(read_config(path)) {}
  std::string reload() { return read_config("app.conf"); }
  const std::string& text() const { return text_; }

private:
  std::string text_;
};

taskfit::Task<void> members() {
  Settings settings("app.conf");
  // CHECK: :[[@LINE-1]]:12: warning: coroutine 'members' calls 'Settings::Settings', which blocks
  // CHECK-SAME: in 'std::basic_ifstream::basic_ifstream' (file-io);
  // CHECK: helpers.cpp:[[@LINE-12]]:54: note: 'Settings::Settings' calls 'read_config' here
  // CHECK-NEXT: helpers.cpp:[[@LINE-93]]:17: note: 'read_config' calls
  // CHECK-SAME: 'std::basic_ifstream::basic_ifstream', which blocks (file-io): {{.*}}
  settings.reload();
  // CHECK: :[[@LINE-1]]:12: warning: coroutine 'members' calls 'Settings::reload', which blocks
  // CHECK-SAME: in 'std::basic_ifstream::basic_ifstream' (file-io);
  settings.text();
  co_return;
}
