#include "process_pool/result_reader.hpp"

#include <algorithm>
#include <cstdint>
#include <ctime>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include <utility>
#include <vector>

namespace taskfit::detail {

namespace {

using TimePoint = std::chrono::steady_clock::time_point;

// An eventfd per thread that waits on process-pool futures: how it is told to stop polling a
// worker's channel when its future was completed some other way.
int thread_wake_fd() {
  struct Holder {
    int fd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    ~Holder() {
      if (fd >= 0)
        ::close(fd);
    }
  };
  thread_local Holder holder;
  return holder.fd;
}

// ppoll's timeout until `deadline` (null: none).
timespec* time_left(std::optional<TimePoint> deadline, timespec& timeout) {
  if (!deadline)
    return nullptr;
  const auto left = std::max(*deadline - std::chrono::steady_clock::now(),
                             std::chrono::steady_clock::duration::zero());
  const auto seconds = std::chrono::floor<std::chrono::seconds>(left);
  timeout.tv_sec = static_cast<time_t>(seconds.count());
  timeout.tv_nsec = static_cast<long>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(left - seconds).count());
  return &timeout;
}

// What a waiting thread polls for its worker, and what of it fired.
struct WorkerPoll {
  pollfd watched[4];
  nfds_t count = 0;
  int events_at = -1;
  int pidfd_at = -1;
  int wake_at = -1;
  int ready_count = 0;

  bool fired(int at) const { return ready_count > 0 && at >= 0 && watched[at].revents != 0; }
};

// Death shows as the end of the channel, then as the worker's exit (its pidfd, then the status
// the fork server sends). A large task still being written goes out from here too, as the worker
// reads it.
WorkerPoll what_to_poll(const WorkerHandle& worker) {
  WorkerPoll poll;
  if (!worker.channel_closed) {
    poll.watched[poll.count++] = {
        worker.channel, static_cast<short>(POLLIN | (worker.out.empty() ? 0 : POLLOUT)), 0};
  }
  if (worker.channel_closed && !worker.status_in()) {
    poll.events_at = static_cast<int>(poll.count);
    poll.watched[poll.count++] = {worker.events, POLLIN, 0};
    if (worker.pidfd >= 0 && !worker.pidfd_checked) {
      poll.pidfd_at = static_cast<int>(poll.count);
      poll.watched[poll.count++] = {worker.pidfd, POLLIN, 0};
    }
  }
  poll.wake_at = static_cast<int>(poll.count);
  poll.watched[poll.count++] = {thread_wake_fd(), POLLIN, 0};
  return poll;
}

// Without the lock: until something of `poll` fires, `state` is done or `deadline` has passed.
// Spins first (see spin.hpp): the answer of a short task comes before a wake-up would.
void wait_for_answer(WorkerPoll& poll, AdaptiveSpin& answer_spin, const FutureStateBase& state,
                     std::optional<TimePoint> deadline) {
  const timespec now_only{};
  const auto waiting_since = std::chrono::steady_clock::now();
  const Spin spin = answer_spin.spin_until(
      [&] {
        poll.ready_count = ::ppoll(poll.watched, poll.count, &now_only, nullptr);
        return poll.ready_count != 0 || state.done();
      },
      deadline.value_or(TimePoint::max()));
  if (poll.ready_count == 0 && !state.done()) {
    timespec timeout{};
    poll.ready_count = ::ppoll(poll.watched, poll.count, time_left(deadline, timeout), nullptr);
    if (spin == Spin::spent)
      answer_spin.slept(std::chrono::steady_clock::now() - waiting_since);
  }
  if (poll.fired(poll.wake_at)) {
    std::uint64_t value;
    [[maybe_unused]] auto ignored = ::read(poll.watched[poll.wake_at].fd, &value, sizeof value);
  }
}

} // namespace

// One thread at a time reads a worker this way (others, and calls still queued, leave it to the
// manager); the manager leaves that channel alone meanwhile, and the reader drains it under the
// lock before it leaves, so no edge of the manager's edge-triggered epoll is lost.
void ResultReader::drive(const FutureStateBase& state, std::optional<TimePoint> deadline) {
  std::vector<Completion> ready;
  std::unique_lock lock(pool_.mutex);
  while (!state.done()) {
    std::shared_ptr<WorkerHandle> worker = holder_of(state);
    if (!worker)
      return;
    manager_.retire_if_gone(*worker); // gone, and the other side of the lock has not settled it yet
    if (!worker->retired)
      read_worker(*worker, state, deadline, lock);
    worker.reset();
    // A worker that answered is idle: what is queued goes to it first. Then the futures, with
    // the lock released; once this thread's is done it returns without taking the lock again
    // (the manager, woken to replace a worker that died, may hold it a while).
    pool_.dispatch();
    pool_.flush_all();
    if (!pool_.completions.empty()) {
      ready.swap(pool_.completions);
      lock.unlock();
      pool_.complete(ready);
      if (state.done())
        return;
      lock.lock();
    }
    if (deadline && std::chrono::steady_clock::now() >= *deadline)
      return;
  }
}

// Waits, with the lock released, until the worker's channel or end has news for this thread (or
// another thread tells it to stop), then takes in the news with the lock held again.
void ResultReader::read_worker(WorkerHandle& worker, const FutureStateBase& state,
                               std::optional<TimePoint> deadline,
                               std::unique_lock<AdaptiveMutex>& lock) {
  WorkerPoll poll = what_to_poll(worker);
  worker.reading = true;
  worker.reader_wake = poll.watched[poll.wake_at].fd;
  worker.update_interest();
  lock.unlock();
  wait_for_answer(poll, answer_spin_, state, deadline);
  lock.lock();
  worker.reading = false;
  if (worker.retired)
    return;
  if (!worker.channel_closed && !worker.out.empty())
    worker.flush();
  if (!worker.channel_closed)
    worker.read_answers(pool_.completions);
  if (poll.fired(poll.events_at))
    manager_.read_events(worker);
  if (poll.fired(poll.pidfd_at))
    worker.check_pidfd();
  // After the read: given back with data still there, the manager would wake for it.
  worker.update_interest();
  manager_.retire_if_gone(worker);
}

// An event loop awaiting the call, between its own work: reads the answer if it is there (the
// manager would otherwise read it, one wake-up later). A death is left to the manager.
void ResultReader::poll(const FutureStateBase& state) {
  std::vector<Completion> ready;
  std::unique_lock lock(pool_.mutex);
  std::shared_ptr<WorkerHandle> worker = holder_of(state);
  if (!worker || worker->channel_closed)
    return;
  worker->read_answers(pool_.completions);
  manager_.retire_if_gone(*worker);
  worker.reset();
  // Only the loop's own future is completed here: other futures' done callbacks (user code,
  // which may block) must not run on the loop thread. The manager completes those.
  auto own =
      std::find_if(pool_.completions.begin(), pool_.completions.end(),
                   [&](const Completion& done) { return done.call.result->identity() == &state; });
  if (own != pool_.completions.end()) {
    ready.push_back(std::move(*own));
    pool_.completions.erase(own);
  }
  if (!pool_.completions.empty())
    pool_.manager_wakeup.wake();
  pool_.dispatch();
  pool_.flush_all();
  lock.unlock();
  pool_.complete(ready);
}

// The live worker running or holding the call, unless another thread already reads it.
std::shared_ptr<WorkerHandle> ResultReader::holder_of(const FutureStateBase& state) {
  for (auto& worker : pool_.workers) {
    if (worker->reading || worker->retired)
      continue;
    for (auto& call : worker->in_flight)
      if (call.result->identity() == &state)
        return worker;
  }
  return nullptr;
}

} // namespace taskfit::detail
