// Regression: when the executor rule that matched was a glob
// (`asio::*::async_*`, `asio::async_*`), the note said the handler "is passed
// to 'asio::*::async_*' here". It names the function called.
// RUN: not %taskfit --checks='-*,blocking-call-on-event-loop' %s -- -std=c++20 -I%inputs | FileCheck %s --implicit-check-not="warning:"
#include "asio.h"

#include <thread>

void read_next(asio::ip::tcp::socket& socket, char* data) {
  socket.async_read_some(asio::buffer(data, 64), [](asio::error_code, std::size_t) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    // CHECK: :[[@LINE-1]]:23: warning: 'lambda at {{.*}}' runs on the event loop and calls
    // CHECK-SAME: 'std::this_thread::sleep_for', which blocks (sleep);
    // CHECK-NEXT: {{^}}    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    // CHECK-NEXT: {{^}}                      ^
    // CHECK-NEXT: :[[@LINE-6]]:10: note: 'lambda at {{.*}}' runs on the event loop: it is passed
    // CHECK-SAME: to 'asio::basic_stream_socket::async_read_some' here
  });
  asio::async_read(socket, asio::buffer(data, 64), [](asio::error_code, std::size_t) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
    // CHECK: :[[@LINE-1]]:23: warning: 'lambda at {{.*}}' runs on the event loop and calls
    // CHECK-SAME: 'std::this_thread::sleep_for', which blocks (sleep);
    // CHECK: :[[@LINE-4]]:9: note: 'lambda at {{.*}}' runs on the event loop: it is passed to
    // CHECK-SAME: 'asio::async_read' here
  });
}
