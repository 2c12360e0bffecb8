// A function marked [[clang::annotate("taskfit::event_loop")]] is an event
// loop entry point (a framework's callback the analyser cannot see being
// registered): it and the helpers it calls run on the loop.
// RUN: not %taskfit --config=%inputs/all-lock-waits.yaml --checks='-*,blocking-call-on-event-loop' %s -- -std=c++20 -I%inputs | FileCheck %s --implicit-check-not="warning:"
#include <mutex>
#include <string>
#include <unistd.h>

std::mutex registry_mutex;

void record_peer(const std::string& peer) {
  std::lock_guard<std::mutex> lock(registry_mutex);
  (void)peer;
}
void on_accept_helper(const std::string& peer) {
  record_peer(peer);
}

[[clang::annotate("taskfit::event_loop")]] void on_accept(int fd) {
  on_accept_helper("peer");
  // CHECK: entry-points.cpp:[[@LINE-1]]:3: warning: 'on_accept' runs on the event loop and calls
  // CHECK-SAME: 'on_accept_helper', which blocks in 'std::lock_guard::lock_guard' (sync-wait);
  // CHECK-SAME: [blocking-call-on-event-loop]
  // CHECK-NEXT: {{^}}  on_accept_helper("peer");
  // CHECK-NEXT: {{^}}  ^
  // CHECK-NEXT: entry-points.cpp:[[@LINE-10]]:3: note: 'on_accept_helper' calls 'record_peer'
  // CHECK-SAME: here
  // CHECK-NEXT: entry-points.cpp:[[@LINE-16]]:31: note: 'record_peer' calls
  // CHECK-SAME: 'std::lock_guard::lock_guard', which blocks (sync-wait): {{.*}}
  // CHECK-NEXT: entry-points.cpp:[[@LINE-11]]:49: note: 'on_accept' is marked as an event-loop
  // CHECK-SAME: entry point
  char byte;
  ::read(fd, &byte, 1);
  // CHECK: entry-points.cpp:[[@LINE-1]]:5: warning: 'on_accept' runs on the event loop and calls
  // CHECK-SAME: 'read', which blocks (file-io);
}

// The annotation on a declaration marks the definition too.
[[clang::annotate("taskfit::event_loop")]] void on_timer();
void on_timer() {
  ::usleep(10);
}
// CHECK: entry-points.cpp:[[@LINE-2]]:5: warning: 'on_timer' runs on the event loop and calls
// CHECK-SAME: 'usleep', which blocks (sleep);

[[clang::annotate("taskfit::event_loop")]] void on_ready(int fd) {
  (void)fd;
}

// Unmarked: runs wherever its caller runs.
void worker(int fd) {
  on_accept_helper(std::to_string(fd));
}
