// sendmsg sends the bytes its iovecs point at: an iovec set in the same
// function (by initialiser or by assigning iov_base) names the payload.
// RUN: not %taskfit --checks='-*,non-serialisable-process-payload' %s -- -std=c++20 | FileCheck %s --implicit-check-not="error:" --implicit-check-not="warning:"
#include <string>
#include <sys/socket.h>
#include <sys/uio.h>

struct Plain {
  int id;
  double price;
};

struct Owning {
  int id;
  std::string name;
};

void send_plain(int fd, const Plain& plain) {
  iovec iov{const_cast<Plain*>(&plain), sizeof plain};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  sendmsg(fd, &msg, 0);
}

void send_owning(int fd, Owning& owning) {
  iovec iov;
  iov.iov_base = &owning;
  iov.iov_len = sizeof owning;
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  sendmsg(fd, &msg, 0);
  // CHECK: :[[@LINE-1]]:3: error: argument 2 of 'sendmsg' (through its iovec) of type 'Owning' cannot cross a process boundary: 'Owning::name' is 'std::string' (owns memory: its bytes point into this process's heap) [non-serialisable-process-payload]
}

void send_owning_in_list(int fd, Owning& owning, Plain& header) {
  iovec parts[2] = {{&header, sizeof header}, {&owning, sizeof owning}};
  msghdr msg{};
  msg.msg_iov = parts;
  msg.msg_iovlen = 2;
  sendmsg(fd, &msg, 0);
  // CHECK: :[[@LINE-1]]:3: error: argument 2 of 'sendmsg' (through its iovec) of type 'Owning' cannot cross a process boundary: 'Owning::name' is 'std::string'
}
