// Categories socket-io, dns and process. A flag or a zero timeout that makes
// the call return at once is not reported (MSG_DONTWAIT, poll(..., 0),
// WNOHANG).
// RUN: not %taskfit --checks='-*,blocking-call-in-coroutine' %s -- -std=c++20 -I%inputs | FileCheck %s --implicit-check-not="warning:"
#include "coro.h"

#include <cstdio>
#include <cstdlib>
#include <netdb.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/wait.h>

taskfit::Task<void> sockets(int fd, const sockaddr* address, socklen_t length) {
  char buffer[512];
  ::connect(fd, address, length);
  // CHECK: :[[@LINE-1]]:5: warning: coroutine 'sockets' calls 'connect', which blocks
  // CHECK-SAME: (socket-io); {{.*}} [blocking-call-in-coroutine]
  int client = ::accept(fd, nullptr, nullptr);
  // CHECK: :[[@LINE-1]]:18: warning: coroutine 'sockets' calls 'accept', which blocks
  // CHECK-SAME: (socket-io);
  ::recv(client, buffer, sizeof buffer, 0);
  // CHECK: :[[@LINE-1]]:5: warning: coroutine 'sockets' calls 'recv', which blocks (socket-io);
  ::send(client, buffer, 10, MSG_NOSIGNAL);
  // CHECK: :[[@LINE-1]]:5: warning: coroutine 'sockets' calls 'send', which blocks (socket-io);
  pollfd readable{fd, POLLIN, 0};
  ::poll(&readable, 1, 1000);
  // CHECK: :[[@LINE-1]]:5: warning: coroutine 'sockets' calls 'poll', which blocks (socket-io);
  epoll_event events[16];
  ::epoll_wait(fd, events, 16, -1);
  // CHECK: :[[@LINE-1]]:5: warning: coroutine 'sockets' calls 'epoll_wait', which blocks
  // CHECK-SAME: (socket-io);
  co_return;
}

// Non-blocking flags and zero timeouts return at once.
taskfit::Task<void> non_blocking_sockets(int fd) {
  char buffer[512];
  ::recv(fd, buffer, sizeof buffer, MSG_DONTWAIT);
  ::send(fd, buffer, 10, MSG_DONTWAIT | MSG_NOSIGNAL);
  pollfd readable{fd, POLLIN, 0};
  ::poll(&readable, 1, 0);
  epoll_event events[16];
  ::epoll_wait(fd, events, 16, 0);
  co_return;
}

taskfit::Task<void> resolve(const char* host) {
  addrinfo* found = nullptr;
  ::getaddrinfo(host, "443", nullptr, &found);
  // CHECK: :[[@LINE-1]]:5: warning: coroutine 'resolve' calls 'getaddrinfo', which blocks (dns);
  // CHECK-SAME: async_resolve{{.*}} [blocking-call-in-coroutine]
  ::gethostbyname(host);
  // CHECK: :[[@LINE-1]]:5: warning: coroutine 'resolve' calls 'gethostbyname', which blocks
  // CHECK-SAME: (dns);
  ::freeaddrinfo(found);
  co_return;
}

taskfit::Task<void> children(pid_t child) {
  std::system("gzip -9 data.bin");
  // CHECK: :[[@LINE-1]]:8: warning: coroutine 'children' calls 'system', which blocks (process);
  // CHECK-SAME: [blocking-call-in-coroutine]
  std::FILE* pipe = ::popen("ls", "r");
  // CHECK: :[[@LINE-1]]:23: warning: coroutine 'children' calls 'popen', which blocks (process);
  ::pclose(pipe);
  // CHECK: :[[@LINE-1]]:5: warning: coroutine 'children' calls 'pclose', which blocks (process);
  int status = 0;
  ::waitpid(child, &status, 0);
  // CHECK: :[[@LINE-1]]:5: warning: coroutine 'children' calls 'waitpid', which blocks (process);
  // Reaping without waiting.
  ::waitpid(child, &status, WNOHANG);
  co_return;
}
