// One non-blocking file descriptor watched by the event loop, edge-triggered: readiness flags are
// remembered between events so an operation only parks after it saw EAGAIN.
#pragma once

#include "taskfit/runtime/detail/task_core.hpp"

#include <cstdint>

namespace taskfit {
class EventLoop;
}

namespace taskfit::detail {

class IoRegistration {
public:
  IoRegistration(EventLoop& loop, int fd);
  IoRegistration(const IoRegistration&) = delete;
  IoRegistration& operator=(const IoRegistration&) = delete;
  ~IoRegistration(); // stops watching; parked readers and writers are woken to see the fd gone

  int fd() const noexcept { return fd_; }
  EventLoop& loop() const noexcept { return loop_; }

  // After EAGAIN: parks until the fd becomes readable (writable) again. CancelledError on cancel.
  ParkIn wait_readable() {
    readable_ = false;
    return ParkIn(readers_);
  }
  ParkIn wait_writable() {
    writable_ = false;
    return ParkIn(writers_);
  }
  bool readable() const noexcept { return readable_; }
  bool writable() const noexcept { return writable_; }
  // A read or write that moved fewer bytes than asked drained the socket: the next attempt can park
  // at once instead of paying a syscall for EAGAIN (new data raises a new edge).
  // Not after a hang-up: the end of stream that came with the data raises no further edge.
  void drained_for_reading() noexcept {
    if (!hung_up_)
      readable_ = false;
  }
  void full_for_writing() noexcept { writable_ = false; }

  // Poller side.
  void on_ready(bool readable, bool writable, bool hung_up) noexcept;
  std::uint64_t id() const noexcept { return id_; }

private:
  EventLoop& loop_;
  int fd_;
  std::uint64_t id_;
  bool readable_ = true; // optimistic: try the operation first
  bool writable_ = true;
  bool hung_up_ = false;
  WaitList readers_;
  WaitList writers_;
};

} // namespace taskfit::detail
