// recv, send, read, write, accept and connect block only on a blocking
// descriptor. One shown non-blocking, by how it was made (SOCK_NONBLOCK,
// EFD_NONBLOCK, pipe2(O_NONBLOCK)), by how it was set (fcntl O_NONBLOCK), or
// by its caller checking for EAGAIN, does not block; on the others, the same
// calls still do.
// RUN: not %taskfit --checks='-*,blocking-call-on-event-loop' %s -- -std=c++20 -I%inputs | FileCheck %s --implicit-check-not="warning:"
#include "asio.h"

#include <cerrno>
#include <fcntl.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

asio::io_context loop;

class Connection {
public:
  void open() {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    wake_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    int flags = ::fcntl(peer_, F_GETFL);
    ::fcntl(peer_, F_SETFL, flags | O_NONBLOCK);
    ::pipe2(self_pipe_, O_NONBLOCK | O_CLOEXEC);
  }
  // Made non-blocking in another function: reads return EAGAIN at once.
  void on_readable() {
    char buffer[512];
    ::recv(fd_, buffer, sizeof buffer, 0);
    uint64_t count;
    ::read(wake_, &count, sizeof count);
    ::send(peer_, buffer, 1, 0);
    ::write(self_pipe_[1], "x", 1);
  }
  // Set back to blocking: `~O_NONBLOCK` clears the flag.
  void make_blocking() {
    int flags = ::fcntl(slow_, F_GETFL);
    ::fcntl(slow_, F_SETFL, flags & ~O_NONBLOCK);
  }
  void on_slow() {
    char buffer[512];
    ::recv(slow_, buffer, sizeof buffer, 0);
  }

private:
  int fd_ = -1, wake_ = -1, peer_ = -1, slow_ = -1;
  int self_pipe_[2] = {-1, -1};
};

// A descriptor of unknown origin (a parameter), whose caller expects EAGAIN.
bool drain(int fd) {
  char buffer[256];
  ssize_t n = ::read(fd, buffer, sizeof buffer);
  return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
}

// The same read without that check blocks.
void read_all(int fd) {
  char buffer[256];
  ::read(fd, buffer, sizeof buffer);
}

void handlers(Connection& c, int fd) {
  asio::post(loop, [&] { c.on_readable(); });
  asio::post(loop, [&] { c.on_slow(); });
  // CHECK: nonblocking-descriptors.cpp:[[@LINE-1]]:28: warning: 'lambda at {{.*}}' runs on the event loop and calls 'Connection::on_slow', which blocks in 'recv' (socket-io);
  // CHECK: nonblocking-descriptors.cpp:[[@LINE-25]]:7: note: 'Connection::on_slow' calls 'recv', which blocks (socket-io)
  asio::post(loop, [fd] { drain(fd); });
  asio::post(loop, [fd] { read_all(fd); });
  // CHECK: nonblocking-descriptors.cpp:[[@LINE-1]]:27: warning: 'lambda at {{.*}}' runs on the event loop and calls 'read_all', which blocks in 'read' (file-io);
}
