#include "poller.hpp"
#include "taskfit/runtime/detail/io_registration.hpp"

#include <cerrno>
#include <sys/epoll.h>
#include <system_error>
#include <unistd.h>

namespace taskfit::detail {
namespace {

class EpollPoller final : public Poller {
public:
  explicit EpollPoller(int wake_fd) : epoll_fd_(::epoll_create1(EPOLL_CLOEXEC)) {
    if (epoll_fd_ < 0)
      throw std::system_error(errno, std::generic_category(), "epoll_create1");
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.ptr = nullptr; // the wake fd
    if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd, &event) != 0)
      throw std::system_error(errno, std::generic_category(), "epoll_ctl(wake fd)");
  }
  ~EpollPoller() override { ::close(epoll_fd_); }

  void add(IoRegistration& registration) override {
    epoll_event event{};
    event.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
    event.data.ptr = &registration;
    if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, registration.fd(), &event) != 0)
      throw std::system_error(errno, std::generic_category(), "epoll_ctl(ADD)");
  }
  void remove(IoRegistration& registration) noexcept override {
    ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, registration.fd(), nullptr);
  }

  bool wait(int timeout_ms) override {
    epoll_event events[256];
    int count = ::epoll_wait(epoll_fd_, events, 256, timeout_ms);
    if (count < 0) {
      if (errno == EINTR)
        return false;
      throw std::system_error(errno, std::generic_category(), "epoll_wait");
    }
    bool woken = false;
    for (int i = 0; i < count; ++i) {
      auto* registration = static_cast<IoRegistration*>(events[i].data.ptr);
      if (registration == nullptr) {
        woken = true;
        continue;
      }
      const std::uint32_t flags = events[i].events;
      const bool failed = (flags & (EPOLLERR | EPOLLHUP)) != 0;
      registration->on_ready(failed || (flags & (EPOLLIN | EPOLLRDHUP)) != 0,
                             failed || (flags & EPOLLOUT) != 0,
                             failed || (flags & EPOLLRDHUP) != 0);
    }
    return woken;
  }

private:
  int epoll_fd_;
};

} // namespace

std::unique_ptr<Poller> make_epoll_poller(int wake_fd) {
  return std::make_unique<EpollPoller>(wake_fd);
}

} // namespace taskfit::detail
