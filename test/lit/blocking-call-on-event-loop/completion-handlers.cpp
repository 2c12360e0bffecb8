// Completion handlers of asynchronous operations (async_read_some, async_read,
// async_wait...) run on the I/O object's event loop. A handler that blocks,
// directly or through a helper, stalls the loop; one that starts the next
// asynchronous operation is how it should be done.
// RUN: not %taskfit --checks='-*,blocking-call-on-event-loop' %s -- -std=c++20 -I%inputs | FileCheck %s --implicit-check-not="warning:"
#include "asio.h"

#include <cstdio>
#include <fstream>
#include <string>

void persist(const char* data, std::size_t size) {
  std::FILE* file = std::fopen("/var/lib/app/inbox", "ab");
  std::fwrite(data, 1, size, file);
  std::fclose(file);
}

class Connection {
public:
  explicit Connection(asio::io_context& io) : timer_(io) {}

  void start_read() {
    socket_.async_read_some(asio::buffer(buffer_, sizeof buffer_),
                            [this](asio::error_code error, std::size_t size) {
                              if (!error)
                                persist(buffer_, size);
                              // CHECK: completion-handlers.cpp:[[@LINE-1]]:33: warning: 'lambda
                              // CHECK-SAME: at {{.*}}completion-handlers.cpp:[[@LINE-4]]:29' runs
                              // CHECK-SAME: on the event loop and calls 'persist', which blocks
                              // CHECK-SAME: in 'fopen' (file-io);
                              // CHECK-SAME: [blocking-call-on-event-loop]
                              // CHECK: completion-handlers.cpp:[[@LINE-19]]:26: note: 'persist'
                              // CHECK-SAME: calls 'fopen', which blocks (file-io): {{.*}}
                              // CHECK-NEXT: completion-handlers.cpp:[[@LINE-11]]:13: note: 'lambda
                              // CHECK-SAME: at {{.*}}' runs on the event loop: it is passed to
                              // CHECK-SAME: 'asio::basic_stream_socket::async_read_some' here
                              start_read();
                            });
  }

  void read_header() {
    asio::async_read(socket_, asio::buffer(buffer_, 16), [this](asio::error_code, std::size_t) {
      int sent = static_cast<int>(socket_.write_some(asio::buffer(buffer_, 16)));
      // CHECK: completion-handlers.cpp:[[@LINE-1]]:43: warning: 'lambda at {{.*}}' runs on the
      // CHECK-SAME: event loop and calls 'asio::basic_stream_socket::write_some', which blocks
      // CHECK-SAME: (socket-io); {{.*}}async_*{{.*}} [blocking-call-on-event-loop]
      // CHECK: completion-handlers.cpp:[[@LINE-5]]:11: note: 'lambda at {{.*}}' runs on the event
      // CHECK-SAME: loop: it is passed to 'asio::async_read' here
      (void)sent;
    });
  }

  void keep_alive() {
    timer_.expires_after(std::chrono::seconds(30));
    timer_.async_wait([this](asio::error_code) {
      timer_.expires_after(std::chrono::seconds(1));
      timer_.wait(); // The synchronous wait inside the handler.
      // CHECK: completion-handlers.cpp:[[@LINE-1]]:14: warning: 'lambda at {{.*}}' runs on the
      // CHECK-SAME: event loop and calls 'asio::basic_waitable_timer::wait', which blocks
      // CHECK-SAME: (sleep); {{.*}}async_wait{{.*}} [blocking-call-on-event-loop]
    });
  }

  // Re-arming the timer from its handler is the asynchronous way.
  void heartbeat() {
    timer_.expires_after(std::chrono::seconds(30));
    timer_.async_wait([this](asio::error_code error) {
      if (!error)
        heartbeat();
    });
  }

private:
  asio::ip::tcp::socket socket_;
  asio::steady_timer timer_;
  char buffer_[1024];
};
