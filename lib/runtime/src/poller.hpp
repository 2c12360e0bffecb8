// The event loop's readiness source: epoll, or io_uring multishot polls. Internal.
#pragma once

#include <cstdint>
#include <memory>

namespace taskfit::detail {

class IoRegistration;

class Poller {
public:
  virtual ~Poller() = default;
  virtual void add(IoRegistration& registration) = 0;
  virtual void remove(IoRegistration& registration) noexcept = 0;
  // Waits up to timeout_ms (-1: forever, 0: just look) and reports readiness to the registrations.
  // Returns true when the wake fd fired.
  virtual bool wait(int timeout_ms) = 0;
};

std::unique_ptr<Poller> make_epoll_poller(int wake_fd);
// Null when io_uring is unavailable (old kernel, seccomp, io_uring_disabled...).
std::unique_ptr<Poller> make_io_uring_poller(int wake_fd);

} // namespace taskfit::detail
