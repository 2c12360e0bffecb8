#include "process_pool/manager.hpp"

#include "taskfit/runtime/errors.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <optional>
#include <poll.h>
#include <sys/socket.h>
#include <system_error>
#include <unistd.h>
#include <utility>

namespace taskfit::detail {

namespace {

// The epoll data of the manager's wake-up; a worker's descriptors have theirs from epoll_data_of,
// never 0.
constexpr std::uint64_t wakeup_event = 0;

// How often the manager looks at a worker not ready yet whose task has a time limit.
constexpr std::chrono::milliseconds not_ready_recheck{10};

constexpr int max_events_per_wait = 64;

std::string format_seconds(double seconds) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", seconds);
  return text;
}

} // namespace

PoolManager::PoolManager(PoolState& pool)
    : pool_(pool),
      server_(pool.options.fork_server ? pool.options.fork_server : ForkServer::start()) {
  try {
    epoll_fd_ = ::epoll_create1(EPOLL_CLOEXEC);
    if (epoll_fd_ < 0)
      throw std::system_error(errno, std::generic_category(), "taskfit::ProcessPool");
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.u64 = wakeup_event;
    ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, pool_.manager_wakeup.fd(), &event);
    // Workers start now, with the pool, so that the first task does not pay for a fork; the
    // constructor does not wait for them: a task written to a worker's channel waits there until
    // the worker, just forked, reads it. A fork that fails breaks the pool (mark_broken), as
    // Python's does; a fork server that cannot take the request fails the constructor.
    for (const ForkServer::Worker& spawned : server_->spawn_workers(
             pool_.max_workers, pool_.options.initializer, pool_.options.max_tasks_per_child))
      adopt(spawned);
    thread_ = std::thread([this] { run(); });
  } catch (...) {
    release(); // workers exit when their channels close
    throw;
  }
}

PoolManager::~PoolManager() {
  release();
}

void PoolManager::release() noexcept {
  for (auto& worker : pool_.workers)
    worker->unwatch();
  pool_.workers.clear();
  if (epoll_fd_ >= 0)
    ::close(epoll_fd_);
  epoll_fd_ = -1;
}

std::vector<pid_t> PoolManager::worker_pids() {
  std::unique_lock lock(pool_.mutex);
  // Not on the manager thread (a done callback it runs): the wait would be for itself.
  if (std::this_thread::get_id() != thread_.get_id())
    workers_changed_.wait(lock, [this] { return workers_settled(); });
  std::vector<pid_t> pids;
  for (auto& worker : pool_.workers)
    if (!worker->channel_closed && worker->pid > 0)
      pids.push_back(worker->pid);
  return pids;
}

void PoolManager::shutdown(ShutdownOptions options) {
  {
    std::lock_guard lock(pool_.mutex);
    pool_.stopping = true;
    if (options.cancel_futures)
      pool_.cancel_requested = true;
    workers_changed_.notify_all();
  }
  pool_.manager_wakeup.wake_unconditionally();
  if (options.wait && thread_.joinable())
    thread_.join();
}

void PoolManager::read_events(WorkerHandle& worker) {
  if (worker.read_events())
    workers_changed_.notify_all();
}

void PoolManager::retire_if_gone(WorkerHandle& worker) {
  if (worker.retired)
    return;
  if (!worker.channel_closed && worker.gone()) {
    if (worker.reading) {
      worker.wake_reader(); // the thread reading the channel settles it
      return;
    }
    worker.read_answers(pool_.completions);
    worker.channel_closed = true;
  }
  if (worker.channel_closed && worker.status_in())
    retire(worker);
}

// --- the manager thread ---

void PoolManager::run() {
  epoll_event events[max_events_per_wait];
  int wait_ms = -1;
  while (!tend_pool(wait_ms)) {
    const int count = ::epoll_wait(epoll_fd_, events, max_events_per_wait, wait_ms);
    if (count < 0 && errno != EINTR)
      break;
    take_in(events, count);
  }
  end_workers();
}

// Between waits: cancels what shutdown(cancel_futures) left queued, replaces dead workers, hands
// queued calls to idle workers, kills the workers past their time limit, and completes the futures
// settled meanwhile. True once the pool stops with nothing left to do; `wait_ms` is how long the
// next wait may last.
bool PoolManager::tend_pool(int& wait_ms) {
  std::unique_lock lock(pool_.mutex);
  pool_.manager_wakeup.rearm();
  if (pool_.cancel_requested) {
    pool_.cancel_requested = false;
    for (auto& call : pool_.pending)
      pool_.completions.push_back({std::move(call), Completion::Kind::cancel, {}, nullptr});
    pool_.pending.clear();
  }
  replace_workers(lock);
  if (pool_.broken)
    fail_everything(pool_.broken_reason);
  pool_.dispatch();
  pool_.flush_all();
  const bool finished = pool_.stopping && pool_.idle();
  wait_ms = enforce_task_timeout();
  pool_.manager_sleeps_forever = wait_ms < 0;
  ready_.swap(pool_.completions);
  lock.unlock();
  pool_.complete(ready_);
  return finished;
}

// What epoll_wait reported: answers to read, room to write, news of workers' ends.
void PoolManager::take_in(const epoll_event* events, int count) {
  std::unique_lock lock(pool_.mutex);
  pool_.manager_sleeps_forever = false;
  for (int i = 0; i < count; ++i) {
    const std::uint64_t data = events[i].data.u64;
    if (data == wakeup_event) {
      pool_.manager_wakeup.drain();
      continue;
    }
    WorkerHandle* worker = pool_.find_worker(worker_id_of(data));
    if (worker == nullptr)
      continue; // retired since epoll_wait returned (by a thread waiting on a future)
    switch (descriptor_of(data)) {
    case WorkerDescriptor::events:
      read_events(*worker);
      break;
    case WorkerDescriptor::pidfd:
      worker->check_pidfd();
      break;
    default:
      if (worker->channel_closed)
        break;
      // A thread polling this channel for its future reads it (and drains it after).
      if ((events[i].events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) && !worker->reading)
        worker->read_answers(pool_.completions);
      if (events[i].events & EPOLLOUT)
        worker->flush();
    }
  }
  // After every read: a worker's channel end and its status may come in different batches.
  for (std::size_t i = 0; i < pool_.workers.size();) {
    const std::shared_ptr<WorkerHandle> worker = pool_.workers[i];
    retire_if_gone(*worker);
    if (!worker->retired)
      ++i;
  }
  ready_.swap(pool_.completions);
  lock.unlock();
  pool_.complete(ready_);
}

// Ending the channels is the workers' signal to exit; their statuses confirm they have.
void PoolManager::end_workers() {
  std::lock_guard lock(pool_.mutex);
  for (auto& worker : pool_.workers) {
    worker->unwatch();
    ::shutdown(worker->channel, SHUT_RDWR);
  }
  for (auto& worker : pool_.workers) {
    while (!worker->status_in()) {
      pollfd watched[2] = {
          {worker->events, POLLIN, 0},
          {worker->pidfd_checked ? -1 : worker->pidfd, POLLIN, 0}}; // -1: not polled
      ::poll(watched, 2, -1);
      if (watched[1].revents != 0)
        worker->check_pidfd();
      read_events(*worker);
    }
    worker->retired = true;
  }
  pool_.workers.clear();
}

// --- the workers' comings and goings, with the pool's lock held ---

void PoolManager::adopt(const ForkServer::Worker& spawned) {
  pool_.workers.push_back(std::make_shared<WorkerHandle>(++last_worker_id_, spawned, epoll_fd_));
}

// Replaces the workers retired since the last call. Runs after their futures are completed, so
// that a crash is reported without waiting for the request, which is sent with the pool's lock
// released.
void PoolManager::replace_workers(std::unique_lock<AdaptiveMutex>& lock) {
  if (respawns_wanted_ == 0)
    return;
  const std::size_t wanted = std::exchange(respawns_wanted_, 0);
  if (pool_.broken || pool_.stopping)
    return;
  std::vector<ForkServer::Worker> spawned;
  std::string error;
  ++replacing_;
  lock.unlock();
  try {
    spawned = server_->spawn_workers(wanted, pool_.options.initializer,
                                     pool_.options.max_tasks_per_child);
  } catch (const std::exception& failure) {
    error = failure.what();
  }
  lock.lock();
  --replacing_;
  for (const ForkServer::Worker& worker : spawned)
    adopt(worker);
  if (!error.empty() && !pool_.broken)
    mark_broken("taskfit: cannot replace a process pool worker: " + error);
  workers_changed_.notify_all();
}

// No worker on its way: every one has been forked (its pid is known), replacements of the dead
// ones included.
bool PoolManager::workers_settled() const {
  if (pool_.stopping || pool_.broken)
    return true;
  if (respawns_wanted_ != 0 || replacing_ != 0)
    return false;
  return std::all_of(pool_.workers.begin(), pool_.workers.end(),
                     [](const std::shared_ptr<WorkerHandle>& worker) {
                       return worker->pid > 0 || worker->status_in() || worker->channel_closed;
                     });
}

// Settles the worker's work and takes it out of the pool; replace_workers() replaces it.
void PoolManager::retire(WorkerHandle& worker) {
  worker.unwatch();
  worker.retired = true;
  settle_calls(worker);
  ++respawns_wanted_;
  // Only the manager asks for replacements: make sure it wakes for this one, whoever retired it.
  // Now, not after the futures settled here are completed: their callbacks may wait for the
  // replacement (worker_pids(), a requeued task's result()).
  pool_.manager_wakeup.wake();
  // Last: `worker` may be destroyed here.
  std::erase_if(pool_.workers,
                [&](const std::shared_ptr<WorkerHandle>& w) { return w.get() == &worker; });
}

// What a dead worker's end means for the calls it held, or for the whole pool.
void PoolManager::settle_calls(WorkerHandle& worker) {
  if (worker.start_error != 0 && !pool_.broken) {
    mark_broken(std::string("taskfit: cannot start a process pool worker: fork: ") +
                std::strerror(worker.start_error));
  } else if (!worker.init_error.empty() && !pool_.broken) {
    mark_broken("taskfit: a process pool worker's initializer failed: " + worker.init_error);
  } else if (worker.in_initializer() && pool_.options.initializer != nullptr && !pool_.broken) {
    // Every replacement would die the same way: break the pool rather than fork forever.
    mark_broken(worker.describe_end() + " in its initializer");
  } else if (worker.timed_out && !worker.in_flight.empty()) {
    const auto limit = std::chrono::duration<double>(*pool_.options.task_timeout).count();
    fail_running_task(worker, std::make_exception_ptr(TimeoutError(
                                  "taskfit: a process pool task ran longer than its " +
                                  format_seconds(limit) + " s time limit; worker process " +
                                  std::to_string(worker.pid) + " was killed")));
    requeue_unstarted(worker);
  } else if (!worker.in_flight.empty() && !worker.started_unanswered_task()) {
    // It had not started the first unanswered task (it died idle): nothing was running, so
    // every task it held goes to another worker.
    requeue_unstarted(worker);
  } else if (!worker.in_flight.empty()) {
    // Results come back in order, so the first unanswered task is the one it was running;
    // the ones behind it never started and go to other workers.
    fail_running_task(worker, std::make_exception_ptr(BrokenProcessPool(worker.describe_end() +
                                                                        " while running a task")));
    requeue_unstarted(worker);
  }
}

void PoolManager::fail_running_task(WorkerHandle& worker, std::exception_ptr error) {
  RemoteCall running = std::move(worker.in_flight.front());
  worker.in_flight.pop_front();
  pool_.completions.push_back({std::move(running), Completion::Kind::fail, {}, std::move(error)});
}

// Tasks a dead worker held but never started go back to the front of the queue, in order.
void PoolManager::requeue_unstarted(WorkerHandle& worker) {
  while (!worker.in_flight.empty()) {
    pool_.pending.push_front(std::move(worker.in_flight.back()));
    worker.in_flight.pop_back();
  }
}

// Kills the workers whose current task has outlived Options::task_timeout and returns the
// epoll timeout (ms) until the next deadline, -1 for none.
int PoolManager::enforce_task_timeout() {
  if (!pool_.options.task_timeout)
    return -1;
  const auto now = std::chrono::steady_clock::now();
  std::optional<std::chrono::steady_clock::duration> next;
  for (auto& worker : pool_.workers) {
    if (worker->in_flight.empty() || worker->timed_out || worker->channel_closed)
      continue;
    if (worker->pid <= 0 || !worker->initialised()) {
      // Not forked yet, or in its initializer: the task's time starts once the worker is
      // ready to run it. Looked at again shortly.
      worker->running_since = now;
      const std::chrono::steady_clock::duration recheck = not_ready_recheck;
      next = std::min(next.value_or(recheck), recheck);
      continue;
    }
    const auto left = worker->running_since + *pool_.options.task_timeout - now;
    if (left <= std::chrono::steady_clock::duration::zero()) {
      worker->timed_out = true;
      worker->kill();
    } else if (!next || left < *next) {
      next = left;
    }
  }
  if (!next)
    return -1;
  return static_cast<int>(std::chrono::ceil<std::chrono::milliseconds>(*next).count());
}

void PoolManager::mark_broken(const std::string& reason) {
  pool_.broken = true;
  pool_.broken_reason = reason;
  workers_changed_.notify_all();
  fail_everything(reason);
}

// One exception object per future: futures are read on different threads.
void PoolManager::fail_everything(const std::string& reason) {
  for (auto& call : pool_.pending)
    pool_.completions.push_back({std::move(call),
                                 Completion::Kind::fail,
                                 {},
                                 std::make_exception_ptr(BrokenProcessPool(reason))});
  pool_.pending.clear();
  for (auto& worker : pool_.workers)
    worker->abandon(reason, pool_.completions);
}

} // namespace taskfit::detail
