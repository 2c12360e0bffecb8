// Regression: a reactor-style operation waits for the socket to be ready on
// the loop (`socket.async_wait(wait_write, handler)`) and does the I/O in the
// handler, often through the native handle (passing a descriptor with
// sendmsg, a third-party library's call): the socket is ready, so the call
// returns at once. The same call in the handler of any other operation, or on
// another descriptor, still waits. Regression: the socket's own layers hand
// the handler on to a service through a holder (Asio's
// `non_const_lvalue<Handler> handler2(handler)`); that hand-on, when the
// library is project code (vendored), was taken for where the handler runs.
// RUN: not %taskfit --checks='-*,blocking-call-on-event-loop' %s -- -std=c++20 -I%inputs | FileCheck %s --implicit-check-not="warning:"
#include "asio.h"

#include <sys/socket.h>

class Session {
public:
  void send_when_ready() {
    socket_.async_wait(asio::ip::tcp::socket::wait_write, [this](asio::error_code error) {
      if (error)
        return;
      ::send(socket_.native_handle(), "x", 1, 0);
    });
  }

  void send_after_read() {
    socket_.async_read_some(asio::buffer(buffer_, sizeof buffer_),
                            [this](asio::error_code, std::size_t) {
                              ::send(socket_.native_handle(), "x", 1, 0);
                              // CHECK: regression-reactor-style-io.cpp:[[@LINE-1]]:33: warning: 'lambda at {{.*}}' runs on the event loop and calls 'send', which blocks (socket-io);
                            });
  }

  void send_elsewhere_when_ready() {
    socket_.async_wait(asio::ip::tcp::socket::wait_write, [this](asio::error_code) {
      ::send(peer_.native_handle(), "x", 1, 0);
      // CHECK: regression-reactor-style-io.cpp:[[@LINE-1]]:9: warning: 'lambda at {{.*}}' runs on the event loop and calls 'send', which blocks (socket-io);
    });
  }

private:
  asio::ip::tcp::socket socket_;
  asio::ip::tcp::socket peer_;
  char buffer_[64];
};
