// Seastar's reactor: a plain function returning seastar::future runs on the
// reactor, and so do the continuations given to then() and finally(). Work
// handed to the reactor's syscall thread pool runs off it. A coroutine
// returning seastar::future is a coroutine: the other check reports it.
// RUN: not %taskfit --checks='-*,blocking-*' %s -- -std=c++20 -I%inputs | FileCheck %s --implicit-check-not="warning:"
#include "seastar.h"

#include <fstream>
#include <string>
#include <unistd.h>

std::string read_manifest() {
  std::ifstream in("/etc/app/manifest");
  return {};
}

seastar::future<std::string> load_manifest() {
  return seastar::make_ready_future(read_manifest());
  // CHECK: seastar.cpp:[[@LINE-1]]:37: warning: 'load_manifest' runs on the event loop and calls
  // CHECK-SAME: 'read_manifest', which blocks in 'std::basic_ifstream::basic_ifstream' (file-io);
  // CHECK-SAME: [blocking-call-on-event-loop]
  // CHECK-NEXT: {{^}}  return seastar::make_ready_future(read_manifest());
  // CHECK-NEXT: {{^}}                                    ^
  // CHECK-NEXT: seastar.cpp:[[@LINE-11]]:17: note: 'read_manifest' calls
  // CHECK-SAME: 'std::basic_ifstream::basic_ifstream', which blocks (file-io): {{.*}}
  // CHECK-NEXT: seastar.cpp:[[@LINE-9]]:30: note: 'load_manifest' returns 'seastar::future', so
  // CHECK-SAME: it runs on the reactor
}

seastar::future<> flush_and_pause() {
  ::fsync(3);
  // CHECK: seastar.cpp:[[@LINE-1]]:5: warning: 'flush_and_pause' runs on the event loop and calls
  // CHECK-SAME: 'fsync', which blocks (file-io);
  return seastar::sleep(std::chrono::milliseconds(1));
}

seastar::future<> tick() {
  return seastar::sleep(std::chrono::milliseconds(1));
}

seastar::future<> chain() {
  return tick()
      .then([] { ::usleep(100); })
      // CHECK: seastar.cpp:[[@LINE-1]]:20: warning: 'lambda at {{.*}}seastar.cpp:[[@LINE-1]]:13'
      // CHECK-SAME: runs on the event loop and calls 'usleep', which blocks (sleep);
      // CHECK: seastar.cpp:[[@LINE-3]]:8: note: 'lambda at {{.*}}' runs on the event loop: it is
      // CHECK-SAME: passed to 'seastar::future::then' here
      .finally([] { read_manifest(); });
  // CHECK: seastar.cpp:[[@LINE-1]]:21: warning: 'lambda at {{.*}}seastar.cpp:[[@LINE-1]]:16' runs
  // CHECK-SAME: on the event loop and calls 'read_manifest', which blocks in
  // CHECK-SAME: 'std::basic_ifstream::basic_ifstream' (file-io);
  // CHECK: seastar.cpp:[[@LINE-4]]:8: note: 'lambda at {{.*}}' runs on the event loop: it is
  // CHECK-SAME: passed to 'seastar::future::finally' here
}

// The syscall thread pool is where blocking calls belong.
seastar::future<> offloaded(seastar::thread_pool& syscalls) {
  return syscalls.submit([] {
    read_manifest();
    ::fsync(3);
  });
}

seastar::future<std::string> as_coroutine() {
  co_await tick();
  std::string manifest = read_manifest();
  // CHECK: seastar.cpp:[[@LINE-1]]:26: warning: coroutine 'as_coroutine' calls 'read_manifest',
  // CHECK-SAME: which blocks in 'std::basic_ifstream::basic_ifstream' (file-io);
  // CHECK-SAME: [blocking-call-in-coroutine]
  co_return manifest;
}

// Not a reactor function: returns a plain value.
std::size_t manifest_size() {
  return read_manifest().size();
}
