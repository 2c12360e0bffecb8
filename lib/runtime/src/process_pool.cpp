#include "taskfit/runtime/process_pool.hpp"

#include "adaptive_mutex.hpp"
#include "exit_status.hpp"
#include "shared_area.hpp"
#include "taskfit/runtime/spin.hpp"
#include "wire.hpp"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <deque>
#include <fcntl.h>
#include <mutex>
#include <poll.h>
#include <signal.h>
#include <span>
#include <string>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <system_error>
#include <thread>
#include <unistd.h>
#include <utility>
#include <vector>

namespace taskfit {

namespace {

std::string format_seconds(double seconds) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", seconds);
  return text;
}

std::string describe_wait_status(pid_t pid, bool known, int status) {
  std::string text = pid > 0 ? "taskfit: worker process " + std::to_string(pid)
                             : std::string("taskfit: a worker process");
  if (!known)
    return text + " ended (its exit status is unknown: the fork server is gone)";
  if (WIFSIGNALED(status)) {
    const int signal = WTERMSIG(status);
    const char* abbreviation = ::sigabbrev_np(signal);
    return text + " was terminated by signal " + std::to_string(signal) + " (SIG" +
           (abbreviation != nullptr ? abbreviation : "?") + ")";
  }
  if (WIFEXITED(status))
    return text + " exited with status " + std::to_string(WEXITSTATUS(status));
  return text + " ended with wait status " + std::to_string(status);
}

struct Worker : std::enable_shared_from_this<Worker> {
  std::uint64_t id = 0; // names it in epoll events: a retired worker's stale event finds nothing
  pid_t pid = -1;       // once the fork server has told it (ForkServer::WorkerEvent::started)
  int channel = -1;
  int events = -1; // ForkServer::WorkerEvent messages
  int pidfd = -1;  // with `started`, where the kernel has pidfds: readable once the worker exits
  bool pidfd_checked = false;  // it was readable and the status was looked for in /proc
  bool status_watched = false; // events (and the pidfd, unchecked) are in the manager's epoll set
  int start_error = 0;         // errno of a fork that failed (ForkServer::WorkerEvent::failed)
  bool watched = false;        // channel and events are in the manager's epoll set
  std::uint32_t interest = 0;  // the channel's events there
  std::string out;
  std::size_t out_offset = 0;
  std::string in;
  std::deque<detail::RemoteCall> in_flight;
  // Counters shared with the worker (detail::ProgressCounter): still readable after it died, the
  // tasks it started say whether the first unanswered task was running or never read.
  std::atomic<std::uint64_t>* counters = nullptr;
  // Large payloads: a task's own shared area goes with its frame (the descriptors of the frames in
  // `out` not sent yet, with their offsets there); results come through the worker's area, whose
  // descriptor comes with its first large result.
  std::deque<std::pair<std::size_t, int>> out_descriptors;
  detail::SharedArea from_worker;
  std::uint64_t answered = 0;
  std::size_t assigned = 0;
  // When the first unanswered task was sent or the previous one answered: its running time.
  std::chrono::steady_clock::time_point running_since;
  bool timed_out = false; // killed for exceeding Options::task_timeout
  bool channel_closed = false;
  bool status_known = false;
  bool status_lost = false;
  int status = 0;
  std::string init_error;
  // A thread waiting on one of its futures is polling its descriptors (outside the lock): they
  // stay open until the last reference to the worker is gone.
  // While it does, only that thread reads the channel (no lost wake-up: what the manager read
  // would not wake it), and whoever completes its futures otherwise pokes `reader_wake`.
  bool reading = false;
  int reader_wake = -1;
  bool retired = false; // settled and out of `workers`

  Worker() = default;
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;
  ~Worker() {
    if (counters != nullptr)
      ::munmap(counters, detail::progress_counters * sizeof(std::uint64_t));
    for (int fd : {channel, events, pidfd})
      if (fd >= 0)
        ::close(fd);
  }
  // Whether all there is to know of its end is known: it exited, was never forked, or the fork
  // server went away before telling.
  bool status_in() const { return status_known || status_lost || start_error != 0; }
  // Whether the process is certainly gone (all it wrote is in the channel already).
  bool gone() const { return status_known || start_error != 0; }
};

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

void poke(int eventfd) {
  std::uint64_t one = 1;
  if (eventfd >= 0) [[maybe_unused]]
    auto ignored = ::write(eventfd, &one, sizeof one);
}

// epoll data of the pool's own wake-up eventfd; a worker's descriptors are (id << 2) | one of
// these, ids from 1.
constexpr std::uint64_t wake_event = 0;
enum WorkerDescriptor : std::uint64_t { channel_event = 0, events_event = 1, pidfd_event = 2 };

} // namespace

// Everything about the workers is guarded by one mutex, held briefly. The submitting thread writes
// a task straight to an idle worker (no hop through the manager thread). The manager thread
// watches every worker's channel and exit status; a thread blocked on a future reads the answer
// from its worker's channel itself (WaitDriver), so a round trip costs no wake-up of the manager.
// Futures are completed outside the lock, because their callbacks may run user code that submits
// again.
struct ProcessPool::Impl final : detail::WaitDriver {
  // A future to complete once the lock is released.
  struct Completion {
    detail::RemoteCall call;
    enum class Kind { deliver, fail, cancel } kind;
    std::string payload;
    std::exception_ptr error;
    // A result read where it is, in the worker's shared area (which `area_owner` keeps mapped);
    // the worker may write the area again once it has been delivered.
    std::shared_ptr<Worker> area_owner = nullptr;
    std::string_view area_payload = {};
  };

  explicit Impl(Options options)
      : options(std::move(options)),
        max_workers(this->options.max_workers == 0 ? detail::cpu_count()
                                                   : this->options.max_workers) {
    server = this->options.fork_server ? this->options.fork_server : ForkServer::start();
    try {
      wake_fd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
      epoll_fd = ::epoll_create1(EPOLL_CLOEXEC);
      if (wake_fd < 0 || epoll_fd < 0)
        throw std::system_error(errno, std::generic_category(), "taskfit::ProcessPool");
      epoll_event event{};
      event.events = EPOLLIN;
      event.data.u64 = wake_event;
      ::epoll_ctl(epoll_fd, EPOLL_CTL_ADD, wake_fd, &event);
    } catch (...) {
      release();
      throw;
    }
    // Workers start now, with the pool, so that the first task does not pay for a fork; the
    // constructor does not wait for them: a task written to a worker's channel waits there until
    // the worker, just forked, reads it. A fork that fails breaks the pool (mark_broken), as
    // Python's does; a fork server that cannot take the request fails the constructor.
    try {
      for (const ForkServer::Worker& spawned : server->spawn_workers(
               max_workers, this->options.initializer, this->options.max_tasks_per_child))
        adopt(spawned);
      manager = std::thread([this] { manage(); });
    } catch (...) {
      release(); // workers exit when their channels close
      throw;
    }
  }

  ~Impl() { release(); }

  void release() noexcept {
    for (auto& worker : workers)
      unwatch(*worker);
    workers.clear();
    if (epoll_fd >= 0)
      ::close(epoll_fd);
    if (wake_fd >= 0)
      ::close(wake_fd);
    epoll_fd = wake_fd = -1;
  }

  void wake_manager() {
    if (!notified.exchange(true, std::memory_order_acq_rel)) {
      std::uint64_t one = 1;
      [[maybe_unused]] auto ignored = ::write(wake_fd, &one, sizeof one);
    }
  }

  void complete(std::vector<Completion>& completions) {
    std::vector<std::unique_ptr<detail::SharedArea>> areas;
    for (Completion& completion : completions) {
      if (completion.call.arguments.in_shared_area())
        argument_areas.fetch_sub(1, std::memory_order_relaxed);
      if (auto area = completion.call.arguments.take_area())
        areas.push_back(std::move(area));
      switch (completion.kind) {
      case Completion::Kind::deliver:
        if (completion.area_owner) {
          completion.call.result->deliver(completion.area_payload);
          release_area(*completion.area_owner);
        } else {
          completion.call.result->deliver(completion.payload);
        }
        break;
      case Completion::Kind::fail:
        completion.call.result->fail(std::move(completion.error));
        break;
      case Completion::Kind::cancel:
        completion.call.result->cancel();
        break;
      }
    }
    completions.clear();
    if (!areas.empty())
      keep_areas(areas);
  }

  // The shared areas of large arguments are kept for the next large submissions, up to
  // max_reused_area_size in all: a new area costs a memfd, a mapping and a fault for every page
  // written, and the workers' mappings of a reused one are already there (a map of 20 chunks of
  // 200 KB made 20 new areas each time).
  void keep_areas(std::vector<std::unique_ptr<detail::SharedArea>>& areas) {
    std::lock_guard lock(mutex);
    for (auto& area : areas)
      if (spare_areas_size + area->capacity() <= detail::max_reused_area_size) {
        spare_areas_size += area->capacity();
        spare_areas.push_back(std::move(area));
      }
  }

  // The pool has read the worker's last result from its shared area: the worker may write it again.
  static void release_area(Worker& worker) {
    if (worker.counters != nullptr)
      worker.counters[detail::area_results_read].fetch_add(1, std::memory_order_release);
  }

  // --- everything below runs with `mutex` held ---

  void adopt(const ForkServer::Worker& spawned) {
    auto worker = std::make_shared<Worker>();
    worker->id = ++last_worker_id;
    worker->channel = spawned.channel;
    worker->events = spawned.events;
    void* shared = ::mmap(nullptr, detail::progress_counters * sizeof(std::uint64_t),
                          PROT_READ | PROT_WRITE, MAP_SHARED, spawned.progress, 0);
    ::close(spawned.progress);
    if (shared != MAP_FAILED)
      worker->counters = static_cast<std::atomic<std::uint64_t>*>(shared);
    ::fcntl(worker->channel, F_SETFL, ::fcntl(worker->channel, F_GETFL) | O_NONBLOCK);
    epoll_event event{};
    worker->interest = event.events = EPOLLIN | EPOLLRDHUP | EPOLLET;
    event.data.u64 = (worker->id << 2) | channel_event;
    ::epoll_ctl(epoll_fd, EPOLL_CTL_ADD, worker->channel, &event);
    worker->watched = true;
    watch_status(*worker);
    workers.push_back(std::move(worker));
  }

  // Replaces the workers retired since the last call. Runs after their futures are completed, so
  // that a crash is reported without waiting for the request, which is sent with the pool's lock
  // released.
  void replace_workers(std::unique_lock<detail::AdaptiveMutex>& lock) {
    if (respawns_wanted == 0)
      return;
    const std::size_t wanted = std::exchange(respawns_wanted, 0);
    if (broken || stopping)
      return;
    std::vector<ForkServer::Worker> spawned;
    std::string error;
    ++replacing;
    lock.unlock();
    try {
      spawned = server->spawn_workers(wanted, options.initializer, options.max_tasks_per_child);
    } catch (const std::exception& failure) {
      error = failure.what();
    }
    lock.lock();
    --replacing;
    for (const ForkServer::Worker& worker : spawned)
      adopt(worker);
    if (!error.empty() && !broken)
      mark_broken("taskfit: cannot replace a process pool worker: " + error);
    workers_changed.notify_all();
  }

  // No worker on its way: every one has been forked (its pid is known), replacements of the dead
  // ones included.
  bool workers_settled() const {
    if (stopping || broken)
      return true;
    if (respawns_wanted != 0 || replacing != 0)
      return false;
    return std::all_of(workers.begin(), workers.end(), [](const std::shared_ptr<Worker>& worker) {
      return worker->pid > 0 || worker->status_in() || worker->channel_closed;
    });
  }

  // What the manager waits for on a worker's channel: its answers, unless a waiting thread reads
  // them (the manager would wake up for nothing), and room to write only while a write is
  // unfinished (else every task a worker reads would wake it) and no waiting thread finishes it.
  // Edge-triggered: adding an event that is already there reports it at once, so nothing is missed.
  void update_interest(Worker& worker) {
    watch_status(worker);
    if (!worker.watched || worker.channel_closed)
      return;
    std::uint32_t wanted = EPOLLET;
    if (!worker.reading)
      wanted |= EPOLLIN | EPOLLRDHUP;
    if (!worker.out.empty() && !worker.reading)
      wanted |= EPOLLOUT;
    if (wanted == worker.interest)
      return;
    epoll_event event{};
    event.events = wanted;
    event.data.u64 = (worker.id << 2) | channel_event;
    if (::epoll_ctl(epoll_fd, EPOLL_CTL_MOD, worker.channel, &event) == 0)
      worker.interest = wanted;
  }

  // Takes the worker's descriptors out of the epoll set; they are closed with the Worker.
  void unwatch(Worker& worker) {
    if (!worker.watched)
      return;
    ::epoll_ctl(epoll_fd, EPOLL_CTL_DEL, worker.channel, nullptr);
    worker.watched = false;
    watch_status(worker);
  }

  // The manager watches what tells of a worker's end (its events socket, and its pidfd until that
  // has been looked at) while the end is not known, even while a thread reads the worker's
  // channel: that thread polls them only once the channel has ended (each descriptor more in its
  // polls, spinning, makes every round trip slower), and a worker that died while a process it
  // forked holds the channel open is seen by the manager, which wakes the reader.
  void watch_status(Worker& worker) {
    const bool wanted = worker.watched && !worker.status_in();
    if (wanted == worker.status_watched)
      return;
    watch(wanted, worker, worker.events, events_event);
    if (worker.pidfd >= 0 && !worker.pidfd_checked)
      watch(wanted, worker, worker.pidfd, pidfd_event);
    worker.status_watched = wanted;
  }

  // Adds `fd` to the manager's epoll set (level-triggered input), or takes it out.
  void watch(bool add, const Worker& worker, int fd, WorkerDescriptor what) {
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.u64 = (worker.id << 2) | what;
    ::epoll_ctl(epoll_fd, add ? EPOLL_CTL_ADD : EPOLL_CTL_DEL, fd, &event);
  }

  Worker* find_worker(std::uint64_t id) {
    for (auto& worker : workers)
      if (worker->id == id)
        return worker.get();
    return nullptr;
  }

  // One exception object per future: futures are read on different threads.
  void fail_everything(const std::string& reason) {
    for (auto& call : pending)
      completions.push_back({std::move(call),
                             Completion::Kind::fail,
                             {},
                             std::make_exception_ptr(BrokenProcessPool(reason))});
    pending.clear();
    for (auto& worker : workers) {
      if (worker->in_flight.empty() && worker->out.empty())
        continue;
      if (worker->reading)
        poke(worker->reader_wake);
      for (auto& call : worker->in_flight) {
        // The worker may still be reading the arguments: their area is not reused.
        call.arguments.take_area();
        completions.push_back({std::move(call),
                               Completion::Kind::fail,
                               {},
                               std::make_exception_ptr(BrokenProcessPool(reason))});
      }
      worker->in_flight.clear();
      // What is not written yet names areas just let go: the worker gets nothing more, it ends.
      worker->out.clear();
      worker->out_offset = 0;
      worker->out_descriptors.clear();
      if (!worker->channel_closed)
        ::shutdown(worker->channel, SHUT_WR);
    }
  }

  bool can_take_work(const Worker& worker) const {
    return !worker.channel_closed && worker.init_error.empty() &&
           (options.max_tasks_per_child == 0 || worker.assigned < options.max_tasks_per_child);
  }

  void assign(Worker& worker, detail::RemoteCall call) {
    detail::FrameHeader header{detail::FrameKind::task, 0,
                               reinterpret_cast<std::uint64_t>(call.invoker),
                               call.arguments.size()};
    // The arguments stay with the call: if the worker dies first, another one needs them.
    if (call.arguments.in_shared_area()) {
      header.flags = detail::frame_in_shared_area;
      header.area = call.arguments.area()->identity();
      worker.out_descriptors.emplace_back(worker.out.size(), call.arguments.area()->fd());
      worker.out.append(reinterpret_cast<const char*>(&header), sizeof header);
    } else {
      worker.out.append(reinterpret_cast<const char*>(&header), sizeof header);
      worker.out.append(call.arguments.bytes());
    }
    if (worker.in_flight.empty()) {
      worker.running_since = std::chrono::steady_clock::now();
      // A manager asleep with no deadline would never enforce this task's time limit.
      if (options.task_timeout && manager_sleeps_forever) {
        manager_sleeps_forever = false;
        wake_manager();
      }
    }
    worker.in_flight.push_back(std::move(call));
    ++worker.assigned;
  }

  // The submitting thread's short cut: an idle worker and nothing queued before this call.
  // Returns false when the call must go through the queue instead.
  bool try_direct(detail::RemoteCall& call) {
    if (!pending.empty())
      return false;
    for (auto& worker : workers) {
      if (!worker->in_flight.empty() || !worker->out.empty() || !can_take_work(*worker))
        continue;
      if (!call.result->start())
        return true; // cancelled before it was ever queued: nothing to send
      assign(*worker, std::move(call));
      flush(*worker);
      return true;
    }
    return false;
  }

  // Work goes only to idle workers, in batches that split the backlog between them: a long task
  // then never holds short ones hostage, and a burst of small tasks still costs one round trip
  // per batch rather than per task.
  void dispatch() {
    if (cancel_requested)
      return; // the manager cancels what is queued first
    std::vector<Worker*> idle;
    while (!pending.empty()) {
      idle.clear();
      for (auto& worker : workers)
        if (worker->in_flight.empty() && can_take_work(*worker))
          idle.push_back(worker.get());
      if (idle.empty())
        return;
      // The backlog is split between all the workers that can take work, the busy ones (which
      // will be idle soon) and those still being forked (their channels hold it until they read
      // it) included: counting only the idle ones, the first to finish would take all of a short
      // backlog and run it alone while the others finish theirs and wait.
      const auto takers = static_cast<std::size_t>(std::count_if(
          workers.begin(), workers.end(),
          [this](const std::shared_ptr<Worker>& worker) { return can_take_work(*worker); }));
      const std::size_t share = std::min(std::max<std::size_t>(options.tasks_ahead_per_worker, 1),
                                         (pending.size() + takers - 1) / takers);
      for (Worker* worker : idle) {
        std::size_t limit = share;
        if (options.max_tasks_per_child != 0)
          limit = std::min(limit, options.max_tasks_per_child - worker->assigned);
        while (limit > 0 && !pending.empty()) {
          detail::RemoteCall call = std::move(pending.front());
          pending.pop_front();
          if (!call.result->start())
            continue; // cancelled while queued
          assign(*worker, std::move(call));
          --limit;
        }
      }
    }
  }

  void flush(Worker& worker) {
    while (worker.out_offset < worker.out.size() && !worker.channel_closed) {
      // The descriptors of the frames not sent yet go with the first of their bytes, or before:
      // the worker takes them in order. As many as one message carries; the bytes stop short of
      // the first frame whose descriptor has to wait for the next message.
      int descriptors[detail::max_descriptors_per_message];
      std::size_t count = 0;
      std::size_t end = worker.out.size();
      for (const auto& [offset, descriptor] : worker.out_descriptors) {
        if (count == detail::max_descriptors_per_message) {
          end = offset;
          break;
        }
        descriptors[count++] = descriptor;
      }
      iovec part{worker.out.data() + worker.out_offset, end - worker.out_offset};
      msghdr message{};
      message.msg_iov = &part;
      message.msg_iovlen = 1;
      detail::DescriptorControl control;
      detail::attach_descriptors(message, control, std::span<const int>(descriptors, count));
      ssize_t written = ::sendmsg(worker.channel, &message, MSG_NOSIGNAL);
      if (written < 0) {
        if (errno == EINTR)
          continue;
        // EAGAIN: the EPOLLOUT edge calls us again; EPIPE: the read side sees the death. The
        // kernel refusing the message itself (no memory, too many descriptors in flight) would
        // refuse it again at every edge: the worker is ended, and its end settles its tasks.
        if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EPIPE && errno != ECONNRESET)
          ::shutdown(worker.channel, SHUT_RDWR);
        break;
      }
      worker.out_descriptors.erase(worker.out_descriptors.begin(),
                                   worker.out_descriptors.begin() +
                                       static_cast<std::ptrdiff_t>(count)); // sent with the bytes
      worker.out_offset += static_cast<std::size_t>(written);
    }
    if (worker.out_offset == worker.out.size()) {
      worker.out.clear();
      worker.out_offset = 0;
    }
    update_interest(worker);
  }

  void flush_all() {
    for (auto& worker : workers)
      if (!worker->out.empty())
        flush(*worker);
  }

  void read_results(Worker& worker) {
    char buffer[1 << 16];
    std::vector<int> areas;
    for (;;) {
      // The worker sends one descriptor: its results' area, with the first large result.
      areas.clear();
      ssize_t got =
          detail::receive_with_descriptors(worker.channel, buffer, sizeof buffer, 0, areas);
      for (int area : areas)
        worker.from_worker.adopt(area);
      if (got > 0) {
        worker.in.append(buffer, static_cast<std::size_t>(got));
        if (worker.in.size() > (1u << 20))
          parse_frames(worker); // keep big results from piling up twice
        // Even after a short read, read on until EAGAIN: a worker that answers and exits at once
        // (a failed initializer) raises one edge for both, and its end would never be seen.
        continue;
      }
      if (got < 0 && errno == EINTR)
        continue;
      if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        break;
      worker.channel_closed = true; // EOF or reset: the worker is gone
      break;
    }
    parse_frames(worker);
  }

  void parse_frames(Worker& worker) {
    std::size_t offset = 0;
    for (;;) {
      if (worker.in.size() - offset < sizeof(detail::FrameHeader))
        break;
      detail::FrameHeader header;
      std::memcpy(&header, worker.in.data() + offset, sizeof header);
      const std::uint64_t on_socket = detail::socket_payload_size(header);
      if (worker.in.size() - offset - sizeof header < on_socket) {
        worker.in.reserve(offset + sizeof header + on_socket);
        break;
      }
      if (on_socket == header.size) {
        handle_frame(worker, header.kind,
                     std::string_view(worker.in.data() + offset + sizeof header, header.size));
      } else {
        // A result is delivered from the area, outside the lock (the worker does not write it
        // again until then, so it is neither changed nor remapped meanwhile); anything else is
        // handled now.
        const char* bytes = worker.from_worker.view(header.size);
        const bool held =
            bytes != nullptr &&
            handle_frame(worker, header.kind, std::string_view(bytes, header.size), true);
        if (bytes == nullptr)
          handle_frame(worker, detail::FrameKind::error,
                       unreadable_area_error(worker, header.size));
        if (!held)
          release_area(worker);
      }
      offset += sizeof header + on_socket;
    }
    worker.in.erase(0, offset);
  }

  // An error frame's payload for a result the pool could not map (the kernel refused).
  static std::string unreadable_area_error(const Worker& worker, std::uint64_t size) {
    std::string payload;
    detail::append_serialized(payload, std::string("taskfit::SharedMemoryError"),
                              "taskfit: cannot map the " + std::to_string(size) +
                                  "-byte result of worker process " + std::to_string(worker.pid));
    return payload;
  }

  static std::pair<std::string, std::string> decode_error(std::string_view payload) {
    std::string type, message;
    try {
      detail::deserialize(payload, type, message);
    } catch (...) {
      type = "unknown";
    }
    return {type, message};
  }

  // True when the completion reads `payload` in the worker's shared area later.
  bool handle_frame(Worker& worker, detail::FrameKind kind, std::string_view payload,
                    bool in_area = false) {
    if (kind == detail::FrameKind::init_failed) {
      auto [type, message] = decode_error(payload);
      worker.init_error = type + ": " + message;
      return false;
    }
    if (worker.in_flight.empty())
      return false; // protocol confusion; cannot happen with our own workers
    detail::RemoteCall call = std::move(worker.in_flight.front());
    worker.in_flight.pop_front();
    ++worker.answered;
    worker.running_since = std::chrono::steady_clock::now();
    if (kind == detail::FrameKind::result && in_area) {
      completions.push_back({std::move(call),
                             Completion::Kind::deliver,
                             {},
                             nullptr,
                             worker.shared_from_this(),
                             payload});
      return true;
    }
    if (kind == detail::FrameKind::result) {
      completions.push_back(
          {std::move(call), Completion::Kind::deliver, std::string(payload), nullptr});
    } else {
      auto [type, message] = decode_error(payload);
      completions.push_back(
          {std::move(call),
           Completion::Kind::fail,
           {},
           std::make_exception_ptr(RemoteError(std::move(type), std::move(message)))});
    }
    return false;
  }

  // Reads what the fork server has told of the worker so far (ForkServer::WorkerEvent).
  void read_events(Worker& worker) {
    std::vector<int> descriptors;
    while (!worker.status_in()) {
      ForkServer::WorkerEvent event{};
      descriptors.clear();
      const ssize_t got = detail::receive_with_descriptors(worker.events, &event, sizeof event,
                                                           MSG_DONTWAIT, descriptors);
      if (got < 0 && errno == EINTR)
        continue;
      if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        break;
      int pidfd = -1;
      if (got != static_cast<ssize_t>(sizeof event)) {
        worker.status_lost = true; // the server is gone
      } else if (event.kind == ForkServer::WorkerEvent::started) {
        worker.pid = event.value;
        if (!descriptors.empty() && worker.pidfd < 0)
          pidfd = worker.pidfd = descriptors.front();
        workers_changed.notify_all();
      } else if (event.kind == ForkServer::WorkerEvent::failed) {
        worker.start_error = event.value > 0 ? event.value : EAGAIN;
      } else if (event.kind == ForkServer::WorkerEvent::exited) {
        worker.status_known = true;
        worker.status = event.value;
      }
      for (int descriptor : descriptors)
        if (descriptor != pidfd)
          ::close(descriptor);
      if (pidfd >= 0 && worker.status_watched)
        watch(true, worker, pidfd, pidfd_event);
    }
    watch_status(worker); // no more once the end is known
  }

  // Precondition: the worker's pidfd is readable, it has exited. Its status, read from /proc
  // before the fork server has woken up to report it, if the kernel shows it.
  void check_pidfd(Worker& worker) {
    if (worker.pidfd_checked || worker.status_in())
      return;
    if (worker.status_watched) // readable from now on: not watched again
      watch(false, worker, worker.pidfd, pidfd_event);
    worker.pidfd_checked = true;
    if (const auto status = detail::read_exit_status(worker.pid, worker.pidfd)) {
      worker.status_known = true;
      worker.status = *status;
      watch_status(worker);
    }
  }

  // Settles a worker once both its channel and its exit status are in. A worker known to be gone
  // has written all it ever will: its channel is drained and taken as closed, even if a process
  // it forked still holds the other end.
  void retire_if_gone(Worker& worker) {
    if (worker.retired)
      return;
    if (!worker.channel_closed && worker.gone()) {
      if (worker.reading) {
        poke(worker.reader_wake); // the thread reading the channel settles it
        return;
      }
      read_results(worker);
      worker.channel_closed = true;
    }
    if (worker.channel_closed && worker.status_in())
      retire(worker);
  }

  // Whether the worker's initializer (if any) has returned.
  static bool worker_initialised(const Worker& worker) {
    return worker.counters == nullptr ||
           worker.counters[detail::initialised].load(std::memory_order_acquire) != 0;
  }

  // How often the manager looks at a worker not ready yet whose task has a time limit.
  static constexpr std::chrono::milliseconds not_ready_recheck{10};

  // Kills a worker (SIGKILL); its death is then settled like any other, in retire().
  static void kill_worker(const Worker& worker) {
    if (worker.pidfd >= 0 &&
        ::syscall(SYS_pidfd_send_signal, worker.pidfd, SIGKILL, nullptr, 0) == 0)
      return;
    if (worker.pid > 0)
      ::kill(worker.pid, SIGKILL);
  }

  // Settles the worker's work and takes it out of the pool; replace_workers() replaces it.
  void retire(Worker& worker) {
    unwatch(worker);
    worker.retired = true;
    const bool initialised = worker_initialised(worker);
    // A worker that died before it called the initializer (a spare killed as it was handed over,
    // say) is not the initializer's fault.
    const bool in_initializer =
        !initialised &&
        (worker.counters == nullptr ||
         worker.counters[detail::initializer_started].load(std::memory_order_acquire) != 0);
    if (worker.start_error != 0 && !broken) {
      mark_broken(std::string("taskfit: cannot start a process pool worker: fork: ") +
                  std::strerror(worker.start_error));
    } else if (!worker.init_error.empty() && !broken) {
      mark_broken("taskfit: a process pool worker's initializer failed: " + worker.init_error);
    } else if (in_initializer && options.initializer != nullptr && !broken) {
      // Every replacement would die the same way: break the pool rather than fork forever.
      mark_broken(describe_wait_status(worker.pid, worker.status_known, worker.status) +
                  " in its initializer");
    } else if (worker.timed_out && !worker.in_flight.empty()) {
      detail::RemoteCall running = std::move(worker.in_flight.front());
      worker.in_flight.pop_front();
      const auto limit = std::chrono::duration<double>(*options.task_timeout).count();
      completions.push_back(
          {std::move(running),
           Completion::Kind::fail,
           {},
           std::make_exception_ptr(TimeoutError(
               "taskfit: a process pool task ran longer than its " + format_seconds(limit) +
               " s time limit; worker process " + std::to_string(worker.pid) + " was killed"))});
      requeue_unstarted(worker);
    } else if (!worker.in_flight.empty() && worker.counters != nullptr &&
               worker.counters[detail::tasks_started].load(std::memory_order_acquire) <=
                   worker.answered) {
      // It had not started the first unanswered task (it died idle): nothing was running, so
      // every task it held goes to another worker.
      requeue_unstarted(worker);
    } else if (!worker.in_flight.empty()) {
      // Results come back in order, so the first unanswered task is the one it was running;
      // the ones behind it never started and go to other workers.
      detail::RemoteCall running = std::move(worker.in_flight.front());
      worker.in_flight.pop_front();
      completions.push_back(
          {std::move(running),
           Completion::Kind::fail,
           {},
           std::make_exception_ptr(BrokenProcessPool(
               describe_wait_status(worker.pid, worker.status_known, worker.status) +
               " while running a task"))});
      requeue_unstarted(worker);
    }
    ++respawns_wanted;
    // Only the manager asks for replacements: make sure it wakes for this one, whoever retired it.
    // Now, not after the futures settled here are completed: their callbacks may wait for the
    // replacement (worker_pids(), a requeued task's result()).
    wake_manager();
    // Last: `worker` may be destroyed here.
    std::erase_if(workers, [&](const std::shared_ptr<Worker>& w) { return w.get() == &worker; });
  }

  // Tasks a dead worker held but never started go back to the front of the queue, in order.
  void requeue_unstarted(Worker& worker) {
    while (!worker.in_flight.empty()) {
      pending.push_front(std::move(worker.in_flight.back()));
      worker.in_flight.pop_back();
    }
  }

  // Kills the workers whose current task has outlived Options::task_timeout and returns the
  // epoll timeout (ms) until the next deadline, -1 for none.
  int enforce_task_timeout() {
    if (!options.task_timeout)
      return -1;
    const auto now = std::chrono::steady_clock::now();
    std::optional<std::chrono::steady_clock::duration> next;
    for (auto& worker : workers) {
      if (worker->in_flight.empty() || worker->timed_out || worker->channel_closed)
        continue;
      if (worker->pid <= 0 || !worker_initialised(*worker)) {
        // Not forked yet, or in its initializer: the task's time starts once the worker is
        // ready to run it. Looked at again shortly.
        worker->running_since = now;
        const std::chrono::steady_clock::duration recheck = not_ready_recheck;
        next = std::min(next.value_or(recheck), recheck);
        continue;
      }
      const auto left = worker->running_since + *options.task_timeout - now;
      if (left <= std::chrono::steady_clock::duration::zero()) {
        worker->timed_out = true;
        kill_worker(*worker);
      } else if (!next || left < *next) {
        next = left;
      }
    }
    if (!next)
      return -1;
    return static_cast<int>(std::chrono::ceil<std::chrono::milliseconds>(*next).count());
  }

  void mark_broken(const std::string& reason) {
    broken = true;
    broken_reason = reason;
    workers_changed.notify_all();
    fail_everything(reason);
  }

  bool idle() const {
    if (!pending.empty())
      return false;
    for (auto& worker : workers)
      if (!worker->in_flight.empty())
        return false;
    return true;
  }

  // --- a thread blocked on a future (detail::WaitDriver) ---

  // Reads the answer from the channel of the worker running the call, instead of sleeping until
  // the manager has read it and then waking up. One thread at a time reads a worker this way
  // (others, and calls still queued, leave it to the manager); the manager leaves that channel
  // alone meanwhile, and the reader drains it under the lock before it leaves, so no edge of the
  // manager's edge-triggered epoll is lost.
  void drive(const detail::FutureStateBase& state,
             std::optional<std::chrono::steady_clock::time_point> deadline) override {
    std::vector<Completion> ready;
    timespec timeout{};
    std::unique_lock lock(mutex);
    while (!state.done()) {
      std::shared_ptr<Worker> worker = holder_of(state);
      if (!worker)
        return;
      retire_if_gone(*worker); // gone, and the other side of the lock has not settled it yet
      if (!worker->retired) {
        // Death shows as the end of the channel, then as the worker's exit (its pidfd, then the
        // status the fork server sends). A large task still being written goes out from here
        // too, as the worker reads it.
        pollfd watched[4];
        nfds_t count = 0;
        int events_at = -1, pidfd_at = -1;
        if (!worker->channel_closed) {
          watched[count++] = {worker->channel,
                              static_cast<short>(POLLIN | (worker->out.empty() ? 0 : POLLOUT)), 0};
        }
        if (worker->channel_closed && !worker->status_in()) {
          events_at = static_cast<int>(count);
          watched[count++] = {worker->events, POLLIN, 0};
          if (worker->pidfd >= 0 && !worker->pidfd_checked) {
            pidfd_at = static_cast<int>(count);
            watched[count++] = {worker->pidfd, POLLIN, 0};
          }
        }
        const int wake_at = static_cast<int>(count);
        watched[count++] = {thread_wake_fd(), POLLIN, 0};
        worker->reading = true;
        worker->reader_wake = watched[wake_at].fd;
        update_interest(*worker);
        lock.unlock();
        // Spin first (see spin.hpp): the answer of a short task comes before a wake-up would.
        const timespec now_only{};
        int ready_count = 0;
        const auto waiting_since = std::chrono::steady_clock::now();
        const detail::Spin spin = answer_spin.spin_until(
            [&] {
              ready_count = ::ppoll(watched, count, &now_only, nullptr);
              return ready_count != 0 || state.done();
            },
            deadline.value_or(std::chrono::steady_clock::time_point::max()));
        if (ready_count == 0 && !state.done()) {
          ready_count = ::ppoll(watched, count, time_left(deadline, timeout), nullptr);
          if (spin == detail::Spin::spent)
            answer_spin.slept(std::chrono::steady_clock::now() - waiting_since);
        }
        auto fired = [&](int at) { return ready_count > 0 && at >= 0 && watched[at].revents != 0; };
        if (fired(wake_at)) {
          std::uint64_t value;
          [[maybe_unused]] auto ignored = ::read(watched[wake_at].fd, &value, sizeof value);
        }
        lock.lock();
        worker->reading = false;
        if (!worker->retired) {
          if (!worker->channel_closed && !worker->out.empty())
            flush(*worker);
          if (!worker->channel_closed)
            read_results(*worker);
          if (fired(events_at))
            read_events(*worker);
          if (fired(pidfd_at))
            check_pidfd(*worker);
          // After the read: given back with data still there, the manager would wake for it.
          update_interest(*worker);
          retire_if_gone(*worker);
        }
      }
      worker.reset();
      // A worker that answered is idle: what is queued goes to it first. Then the futures, with
      // the lock released; once this thread's is done it returns without taking the lock again
      // (the manager, woken to replace a worker that died, may hold it a while).
      dispatch();
      flush_all();
      if (!completions.empty()) {
        ready.swap(completions);
        lock.unlock();
        complete(ready);
        if (state.done())
          return;
        lock.lock();
      }
      if (deadline && std::chrono::steady_clock::now() >= *deadline)
        return;
    }
  }

  // An event loop awaiting the call, between its own work: reads the answer if it is there (the
  // manager would otherwise read it, one wake-up later). A death is left to the manager.
  void poll(const detail::FutureStateBase& state) override {
    std::vector<Completion> ready;
    std::unique_lock lock(mutex);
    std::shared_ptr<Worker> worker = holder_of(state);
    if (!worker || worker->channel_closed)
      return;
    read_results(*worker);
    retire_if_gone(*worker);
    worker.reset();
    // Only the loop's own future is completed here: other futures' done callbacks (user code,
    // which may block) must not run on the loop thread. The manager completes those.
    auto own = std::find_if(completions.begin(), completions.end(), [&](const Completion& done) {
      return done.call.result->identity() == &state;
    });
    if (own != completions.end()) {
      ready.push_back(std::move(*own));
      completions.erase(own);
    }
    if (!completions.empty())
      wake_manager();
    dispatch();
    flush_all();
    lock.unlock();
    complete(ready);
  }

  // ppoll's timeout until `deadline` (null: none).
  static timespec* time_left(std::optional<std::chrono::steady_clock::time_point> deadline,
                             timespec& timeout) {
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

  // The live worker running or holding the call, unless another thread already reads it.
  std::shared_ptr<Worker> holder_of(const detail::FutureStateBase& state) {
    for (auto& worker : workers) {
      if (worker->reading || worker->retired)
        continue;
      for (auto& call : worker->in_flight)
        if (call.result->identity() == &state)
          return worker;
    }
    return nullptr;
  }

  // --- the manager thread ---

  void manage() {
    std::vector<Completion> ready;
    epoll_event events[64];
    int wait_ms = -1;
    for (;;) {
      {
        std::unique_lock lock(mutex);
        notified.store(false, std::memory_order_release);
        if (cancel_requested) {
          cancel_requested = false;
          for (auto& call : pending)
            completions.push_back({std::move(call), Completion::Kind::cancel, {}, nullptr});
          pending.clear();
        }
        replace_workers(lock);
        if (broken)
          fail_everything(broken_reason);
        dispatch();
        flush_all();
        const bool finished = stopping && idle();
        wait_ms = enforce_task_timeout();
        manager_sleeps_forever = wait_ms < 0;
        ready.swap(completions);
        lock.unlock();
        complete(ready);
        if (finished)
          break;
      }

      int count = ::epoll_wait(epoll_fd, events, 64, wait_ms);
      if (count < 0 && errno != EINTR)
        break;

      std::unique_lock lock(mutex);
      manager_sleeps_forever = false;
      for (int i = 0; i < count; ++i) {
        const std::uint64_t data = events[i].data.u64;
        if (data == wake_event) {
          std::uint64_t value;
          [[maybe_unused]] auto ignored = ::read(wake_fd, &value, sizeof value);
          continue;
        }
        Worker* worker = find_worker(data >> 2);
        if (worker == nullptr)
          continue; // retired since epoll_wait returned (by a thread waiting on a future)
        switch (data & 3) {
        case events_event:
          read_events(*worker);
          break;
        case pidfd_event:
          check_pidfd(*worker);
          break;
        default:
          if (worker->channel_closed)
            break;
          // A thread polling this channel for its future reads it (and drains it after).
          if ((events[i].events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) && !worker->reading)
            read_results(*worker);
          if (events[i].events & EPOLLOUT)
            flush(*worker);
        }
      }
      // After every read: a worker's channel end and its status may come in different batches.
      for (std::size_t i = 0; i < workers.size();) {
        const std::shared_ptr<Worker> worker = workers[i];
        retire_if_gone(*worker);
        if (!worker->retired)
          ++i;
      }
      ready.swap(completions);
      lock.unlock();
      complete(ready);
    }

    // Ending the channels is the workers' signal to exit; their statuses confirm they have.
    std::lock_guard lock(mutex);
    for (auto& worker : workers) {
      unwatch(*worker);
      ::shutdown(worker->channel, SHUT_RDWR);
    }
    for (auto& worker : workers) {
      while (!worker->status_in()) {
        pollfd watched[2] = {
            {worker->events, POLLIN, 0},
            {worker->pidfd_checked ? -1 : worker->pidfd, POLLIN, 0}}; // -1: not polled
        ::poll(watched, 2, -1);
        if (watched[1].revents != 0)
          check_pidfd(*worker);
        read_events(*worker);
      }
      worker->retired = true;
    }
    workers.clear();
  }

  Options options;
  std::size_t max_workers;
  std::shared_ptr<ForkServer> server;
  int wake_fd = -1;
  int epoll_fd = -1;
  std::thread manager;
  std::atomic<bool> notified{false};
  detail::AdaptiveSpin answer_spin; // threads waiting on their workers' answers
  // Submissions whose arguments are in a shared area of their own, not completed yet: each holds
  // a descriptor here and, while it is sent, in the kernel. Beyond max_argument_areas, large
  // arguments take the socket, so that a deep queue of them does not run the program out of
  // descriptors.
  std::atomic<std::size_t> argument_areas{0};
  static constexpr std::size_t max_argument_areas = 64;

  mutable detail::AdaptiveMutex mutex; // guards everything below
  std::deque<detail::RemoteCall> pending;
  std::vector<std::unique_ptr<detail::SharedArea>> spare_areas;
  std::size_t spare_areas_size = 0; // their capacities, in all
  std::vector<std::shared_ptr<Worker>> workers;
  std::vector<Completion> completions;
  std::uint64_t last_worker_id = 0;
  std::size_t respawns_wanted = 0;
  bool manager_sleeps_forever = false;         // in epoll_wait without a task_timeout deadline
  std::condition_variable_any workers_changed; // a worker came (first ones, replacements)
  std::size_t replacing = 0;                   // threads asking the fork server for replacements
  bool stopping = false;
  bool cancel_requested = false;
  bool broken = false;
  std::string broken_reason;
};

ProcessPool::ProcessPool(Options options) : impl_(std::make_shared<Impl>(std::move(options))) {}
ProcessPool::ProcessPool(ProcessPool&&) noexcept = default;

ProcessPool::~ProcessPool() {
  if (impl_)
    shutdown({.wait = true});
}

std::size_t ProcessPool::max_workers() const noexcept {
  return impl_->max_workers;
}

std::vector<pid_t> ProcessPool::worker_pids() const {
  std::unique_lock lock(impl_->mutex);
  // Not on the manager thread (a done callback it runs): the wait would be for itself.
  if (std::this_thread::get_id() != impl_->manager.get_id())
    impl_->workers_changed.wait(lock, [this] { return impl_->workers_settled(); });
  std::vector<pid_t> pids;
  for (auto& worker : impl_->workers)
    if (!worker->channel_closed && worker->pid > 0)
      pids.push_back(worker->pid);
  return pids;
}

detail::Payload ProcessPool::argument_payload(bool& shared) {
  shared = impl_->argument_areas.load(std::memory_order_relaxed) < Impl::max_argument_areas;
  detail::Payload payload;
  if (!shared)
    return payload;
  std::lock_guard lock(impl_->mutex);
  if (!impl_->spare_areas.empty()) {
    impl_->spare_areas_size -= impl_->spare_areas.back()->capacity();
    payload.give_area(std::move(impl_->spare_areas.back()));
    impl_->spare_areas.pop_back();
  }
  return payload;
}

void ProcessPool::enqueue(detail::RemoteCall call) {
  Impl& impl = *impl_;
  call.result->set_wait_driver(impl_);
  {
    std::lock_guard lock(impl.mutex);
    if (impl.stopping)
      throw ExecutorShutdown();
    if (impl.broken)
      throw BrokenProcessPool(impl.broken_reason);
    if (call.arguments.in_shared_area())
      impl.argument_areas.fetch_add(1, std::memory_order_relaxed);
    if (impl.try_direct(call))
      return; // a partial write is finished by the manager on the EPOLLOUT edge
    impl.pending.push_back(std::move(call));
  }
  impl.wake_manager();
}

void ProcessPool::shutdown(ShutdownOptions options) {
  Impl& impl = *impl_;
  {
    std::lock_guard lock(impl.mutex);
    impl.stopping = true;
    if (options.cancel_futures)
      impl.cancel_requested = true;
    impl.workers_changed.notify_all();
  }
  impl.notified.store(false);
  impl.wake_manager();
  if (options.wait && impl.manager.joinable())
    impl.manager.join();
}

} // namespace taskfit
