// Handlers posted to an io_context (or its executor, or a strand) run on the
// event loop's thread: a blocking call in them, or in a helper they call,
// stalls every other handler. Posted to a thread_pool, the same work runs
// off the loop: exempt.
// RUN: not %taskfit --checks='-*,blocking-call-on-event-loop' %s -- -std=c++20 -I%inputs | FileCheck %s --implicit-check-not="warning:"
#include "asio.h"
#include "coro.h"

#include <fstream>
#include <functional>
#include <string>
#include <thread>

void write_audit(const std::string& line) {
  std::ofstream log("/var/log/audit.log", std::ios::app);
  log << line;
}
void audit(const std::string& line) {
  write_audit("audit: " + line);
}

void on_tick() {
  std::this_thread::sleep_for(std::chrono::milliseconds(1));
  // CHECK: asio-post.cpp:[[@LINE-1]]:21: warning: 'on_tick' runs on the event loop and calls
  // CHECK-SAME: 'std::this_thread::sleep_for', which blocks (sleep);
  // CHECK-SAME: [blocking-call-on-event-loop]
  // CHECK-NEXT: {{^}}  std::this_thread::sleep_for(std::chrono::milliseconds(1));
  // CHECK-NEXT: {{^}}                    ^
  // CHECK-NEXT: asio-post.cpp:[[@LINE+34]]:9: note: 'on_tick' runs on the event loop: it is
  // CHECK-SAME: passed to 'asio::post' here
}

void on_flush() {
  audit("flush");
}
// CHECK: asio-post.cpp:[[@LINE-2]]:3: warning: 'on_flush' runs on the event loop and calls
// CHECK-SAME: 'audit', which blocks in 'std::basic_ofstream::basic_ofstream' (file-io);
// CHECK-SAME: [blocking-call-on-event-loop]
// CHECK: asio-post.cpp:[[@LINE-20]]:3: note: 'audit' calls 'write_audit' here
// CHECK-NEXT: asio-post.cpp:[[@LINE-25]]:17: note: 'write_audit' calls
// CHECK-SAME: 'std::basic_ofstream::basic_ofstream', which blocks (file-io): {{.*}}
// CHECK-NEXT: asio-post.cpp:[[@LINE+22]]:9: note: 'on_flush' runs on the event loop: it is passed
// CHECK-SAME: to 'asio::post' here

void tidy() {}

void schedule(asio::io_context& io, asio::thread_pool& pool) {
  asio::post(io, [] { std::this_thread::sleep_for(std::chrono::milliseconds(1)); });
  // CHECK: asio-post.cpp:[[@LINE-1]]:41: warning: 'lambda at {{.*}}asio-post.cpp:[[@LINE-1]]:18'
  // CHECK-SAME: runs on the event loop and calls 'std::this_thread::sleep_for', which blocks
  // CHECK-SAME: (sleep); {{.*}} [blocking-call-on-event-loop]
  // CHECK: asio-post.cpp:[[@LINE-4]]:9: note: 'lambda at {{.*}}asio-post.cpp:[[@LINE-4]]:18' runs
  // CHECK-SAME: on the event loop: it is passed to 'asio::post' here
  asio::post(io, [] { audit("posted"); });
  // CHECK: asio-post.cpp:[[@LINE-1]]:23: warning: 'lambda at {{.*}}asio-post.cpp:[[@LINE-1]]:18'
  // CHECK-SAME: runs on the event loop and calls 'audit', which blocks in
  // CHECK-SAME: 'std::basic_ofstream::basic_ofstream' (file-io);
  // CHECK: asio-post.cpp:[[@LINE-39]]:3: note: 'audit' calls 'write_audit' here
  // CHECK-NEXT: asio-post.cpp:[[@LINE-44]]:17: note: 'write_audit' calls
  // CHECK-SAME: 'std::basic_ofstream::basic_ofstream', which blocks (file-io): {{.*}}
  // CHECK-NEXT: asio-post.cpp:[[@LINE-7]]:9: note: 'lambda at {{.*}}' runs on the event loop: it
  // CHECK-SAME: is passed to 'asio::post' here
  asio::post(io, on_tick);
  asio::post(io, std::bind(&on_flush));
  asio::post(io, tidy); // Does not block.
  auto report = [] { write_audit("report"); };
  // CHECK: asio-post.cpp:[[@LINE-1]]:22: warning: 'lambda at {{.*}}asio-post.cpp:[[@LINE-1]]:17'
  // CHECK-SAME: runs on the event loop and calls 'write_audit', which blocks in
  // CHECK-SAME: 'std::basic_ofstream::basic_ofstream' (file-io);
  // CHECK: asio-post.cpp:[[@LINE+2]]:9: note: 'lambda at {{.*}}' runs on the event loop: it is
  // CHECK-SAME: passed to 'asio::dispatch' here
  asio::dispatch(io, report);
  asio::post(io.get_executor(), [] { audit("executor"); });
  // CHECK: asio-post.cpp:[[@LINE-1]]:38: warning: 'lambda at {{.*}}' runs on the event loop and
  // CHECK-SAME: calls 'audit', which blocks in 'std::basic_ofstream::basic_ofstream' (file-io);
  auto strand = asio::make_strand(io);
  asio::post(strand, [] { std::this_thread::sleep_for(std::chrono::milliseconds(1)); });
  // CHECK: asio-post.cpp:[[@LINE-1]]:45: warning: 'lambda at {{.*}}' runs on the event loop and
  // CHECK-SAME: calls 'std::this_thread::sleep_for', which blocks (sleep);
  // Off the loop: a thread pool is sized for blocking work.
  asio::post(pool, [] {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    audit("pooled");
  });
  asio::post(pool, on_tick); // on_tick is reported for the io_context post above.
}

// A handler posted from a coroutine is the loop's handler, not the coroutine's
// inline code; the coroutine itself does not block.
taskfit::Task<void> notify_later(asio::io_context& io) {
  asio::post(io, [] { audit("later"); });
  // CHECK: asio-post.cpp:[[@LINE-1]]:23: warning: 'lambda at {{.*}}' runs on the event loop and
  // CHECK-SAME: calls 'audit', which blocks in 'std::basic_ofstream::basic_ofstream' (file-io);
  co_await taskfit::sleep(std::chrono::milliseconds(1));
}

// Not posted anywhere: runs wherever its caller runs.
void maintenance() {
  std::this_thread::sleep_for(std::chrono::seconds(1));
}
