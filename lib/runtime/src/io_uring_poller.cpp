// io_uring as a readiness source: one multishot poll per descriptor. Completions carry an id,
// not a pointer, because a poll removed from the ring may still complete once afterwards.
#include "poller.hpp"
#include "taskfit/runtime/detail/io_registration.hpp"

#include <cerrno>
#include <liburing.h>
#include <poll.h>
#include <system_error>
#include <unordered_map>
#include <vector>

namespace taskfit::detail {
namespace {

constexpr std::uint64_t wake_id = 0;
constexpr unsigned poll_mask = POLLIN | POLLOUT | POLLRDHUP | POLLERR | POLLHUP;

class IoUringPoller final : public Poller {
public:
  IoUringPoller(io_uring ring, int wake_fd) : ring_(ring), wake_fd_(wake_fd) {
    arm(wake_fd_, wake_id, POLLIN);
  }
  ~IoUringPoller() override { io_uring_queue_exit(&ring_); }

  void add(IoRegistration& registration) override {
    registrations_[registration.id()] = &registration;
    arm(registration.fd(), registration.id(), poll_mask);
  }
  void remove(IoRegistration& registration) noexcept override {
    if (registrations_.erase(registration.id()) == 0)
      return;
    io_uring_sqe* sqe = next_sqe();
    io_uring_prep_poll_remove(sqe, registration.id());
    io_uring_sqe_set_data64(sqe, removal_marker);
    // Submitted now: the descriptor is closed right after this returns.
    io_uring_submit(&ring_);
  }

  bool wait(int timeout_ms) override {
    io_uring_cqe* cqe = nullptr;
    int result;
    if (timeout_ms < 0) {
      result = io_uring_submit_and_wait(&ring_, 1);
    } else if (timeout_ms == 0) {
      result = io_uring_submit(&ring_);
    } else {
      __kernel_timespec timeout{.tv_sec = timeout_ms / 1000,
                                .tv_nsec = (timeout_ms % 1000) * 1000000LL};
      result = io_uring_submit_and_wait_timeout(&ring_, &cqe, 1, &timeout, nullptr);
    }
    if (result < 0 && result != -ETIME && result != -EINTR && result != -EBUSY)
      throw std::system_error(-result, std::generic_category(), "io_uring wait");

    bool woken = false;
    unsigned head;
    unsigned seen = 0;
    io_uring_for_each_cqe(&ring_, head, cqe) {
      ++seen;
      const std::uint64_t id = io_uring_cqe_get_data64(cqe);
      const bool more = (cqe->flags & IORING_CQE_F_MORE) != 0;
      if (id == removal_marker)
        continue;
      if (id == wake_id) {
        woken = true;
        if (!more)
          rearm_later_.push_back({wake_fd_, wake_id, POLLIN});
        continue;
      }
      auto found = registrations_.find(id);
      if (found == registrations_.end())
        continue; // removed meanwhile
      IoRegistration& registration = *found->second;
      const int events = cqe->res;
      if (events < 0) {
        registration.on_ready(true, true, true);
      } else {
        const bool failed = (events & (POLLERR | POLLHUP)) != 0;
        registration.on_ready(failed || (events & (POLLIN | POLLRDHUP)) != 0,
                              failed || (events & POLLOUT) != 0,
                              failed || (events & POLLRDHUP) != 0);
      }
      if (!more && events >= 0)
        rearm_later_.push_back({registration.fd(), id, poll_mask});
    }
    io_uring_cq_advance(&ring_, seen);
    for (const Rearm& rearm : rearm_later_)
      arm(rearm.fd, rearm.id, rearm.mask);
    rearm_later_.clear();
    return woken;
  }

private:
  static constexpr std::uint64_t removal_marker = ~std::uint64_t{0};
  struct Rearm {
    int fd;
    std::uint64_t id;
    unsigned mask;
  };

  io_uring_sqe* next_sqe() {
    io_uring_sqe* sqe = io_uring_get_sqe(&ring_);
    if (sqe == nullptr) {
      io_uring_submit(&ring_);
      sqe = io_uring_get_sqe(&ring_);
    }
    if (sqe == nullptr)
      throw std::runtime_error("taskfit: io_uring submission queue full");
    return sqe;
  }
  void arm(int fd, std::uint64_t id, unsigned mask) {
    io_uring_sqe* sqe = next_sqe();
    io_uring_prep_poll_multishot(sqe, fd, mask);
    io_uring_sqe_set_data64(sqe, id);
  }

  io_uring ring_;
  int wake_fd_;
  std::unordered_map<std::uint64_t, IoRegistration*> registrations_;
  std::vector<Rearm> rearm_later_;
};

} // namespace

std::unique_ptr<Poller> make_io_uring_poller(int wake_fd) {
  io_uring ring;
  io_uring_params params{};
  if (io_uring_queue_init_params(1024, &ring, &params) < 0)
    return nullptr; // ENOSYS (old kernel), EPERM (seccomp, io_uring_disabled)...
  // Timed waits need IORING_FEAT_EXT_ARG (5.11); multishot poll needs 5.13, which also has it
  // together with IORING_FEAT_NATIVE_WORKERS (5.12): take the latter as the proxy.
  if ((params.features & IORING_FEAT_EXT_ARG) == 0 ||
      (params.features & IORING_FEAT_NATIVE_WORKERS) == 0) {
    io_uring_queue_exit(&ring);
    return nullptr;
  }
  return std::make_unique<IoUringPoller>(ring, wake_fd);
}

} // namespace taskfit::detail
