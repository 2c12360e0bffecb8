#include "taskfit/runtime/fork_server.hpp"

#include "wire.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <span>
#include <sys/mman.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <system_error>
#include <unistd.h>
#include <unordered_map>
#include <vector>

namespace taskfit {

namespace {

struct SpawnRequest {
  std::uint64_t initializer;
  std::uint64_t max_tasks;
  std::uint64_t count; // workers to fork; 3 descriptors each in the message's SCM_RIGHTS: the
                       // worker's end of its channel, the server's end of its events socket, and
                       // its progress counters
};

// Workers per request: 3 descriptors each, within the kernel's 253 per message.
constexpr std::size_t max_workers_per_request = 64;
constexpr std::size_t request_fds = 3 * max_workers_per_request;

[[noreturn]] void fail_errno(const char* what) {
  throw std::system_error(errno, std::generic_category(), what);
}

void reset_signals_for_worker() {
  // The parent may have installed handlers or blocked signals; a worker starts from the defaults
  // so that SIGTERM/SIGINT end it and the pool sees why.
  for (int signal : {SIGCHLD, SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGUSR1, SIGUSR2})
    ::signal(signal, SIG_DFL);
  ::signal(SIGPIPE, SIG_IGN); // a vanished pool shows up as EPIPE on write instead
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
}

// Tells a pool what became of a worker (see ForkServer::WorkerEvent), with `descriptor` if any.
// Never blocks: a pool that has gone, or closed the socket, is not waited for.
void tell(int events, ForkServer::WorkerEvent::Kind kind, std::int32_t value, int descriptor = -1) {
  ForkServer::WorkerEvent event{kind, value};
  iovec part{&event, sizeof event};
  msghdr message{};
  message.msg_iov = &part;
  message.msg_iovlen = 1;
  detail::DescriptorControl control;
  if (descriptor >= 0)
    detail::attach_descriptors(message, control, std::span<const int>(&descriptor, 1));
  while (::sendmsg(events, &message, MSG_DONTWAIT | MSG_NOSIGNAL) < 0 && errno == EINTR) {
  }
}

// What a spare worker is told when it is handed to a pool; its channel and progress counters come
// with it (SCM_RIGHTS).
struct Assignment {
  std::uint64_t initializer;
  std::uint64_t max_tasks;
};

// A worker forked ahead of requests: it has done what every worker does before its first task
// and waits, on `socket`, for the pool it is handed to.
struct Spare {
  pid_t pid;
  int socket;
  int pidfd;
};

// How long the server waits after a request before it forks spares again: a pool starting its
// workers, and a program starting several pools, are not slowed down by forks they do not need.
constexpr std::chrono::milliseconds refill_after_request(2);

// The server: forks workers on request (handing over spares forked in advance first), reaps them
// and tells each one's pool what became of it.
class Server {
public:
  Server(int control, std::size_t spares_wanted)
      : control_(control), spares_wanted_(spares_wanted) {}

  [[noreturn]] void run() {
    // Drop every descriptor inherited from the program (other pools' worker channels above all):
    // a copy held here would keep those workers from ever seeing their pool close them.
    ::close_range(3, static_cast<unsigned>(control_) - 1, 0);
    ::close_range(static_cast<unsigned>(control_) + 1, ~0U, 0);
    sigset_t child_signals;
    sigemptyset(&child_signals);
    sigaddset(&child_signals, SIGCHLD);
    ::sigprocmask(SIG_BLOCK, &child_signals, nullptr);
    children_ = ::signalfd(-1, &child_signals, SFD_CLOEXEC | SFD_NONBLOCK);
    // A pool that closed a worker's events socket must not kill the server with SIGPIPE.
    ::signal(SIGPIPE, SIG_IGN);
    detail::rehearse_worker();

    for (;;) {
      pollfd watched[2] = {{control_, POLLIN, 0}, {children_, POLLIN, 0}};
      if (::poll(watched, 2, refill_timeout_ms()) < 0) {
        if (errno == EINTR)
          continue;
        ::_exit(1);
      }
      if (watched[1].revents != 0) {
        signalfd_siginfo info[16];
        while (::read(children_, info, sizeof info) > 0) {
        }
        reap(WNOHANG);
      }
      if (watched[0].revents != 0) {
        if (!serve_request())
          break; // the program closed us (or died): finish up
      } else if (watched[1].revents == 0) {
        fork_spare(); // quiet for a while: one more spare, then look again
      }
    }

    // Spares end when their sockets close; workers when their pools close their channels. Wait
    // for every one so none is left a zombie.
    for (const Spare& spare : spares_) {
      ::close(spare.socket);
      if (spare.pidfd >= 0)
        ::close(spare.pidfd);
    }
    spares_.clear();
    while (reap(0) > 0 || errno == EINTR) {
    }
    ::_exit(0);
  }

private:
  // Milliseconds until spares should be forked again; -1 when there are enough, or forking one
  // failed (tried again after the next request).
  int refill_timeout_ms() const {
    if (spares_.size() >= spares_wanted_ || !refilling_)
      return -1;
    const auto at = std::max(last_request_ + refill_after_request, last_spare_death_ + backoff_);
    const auto left = at - std::chrono::steady_clock::now();
    return static_cast<int>(std::max<std::chrono::milliseconds::rep>(
        0, std::chrono::ceil<std::chrono::milliseconds>(left).count()));
  }

  // Reaps the children that have exited; returns waitpid's last answer.
  pid_t reap(int options) {
    for (;;) {
      int status = 0;
      pid_t pid = ::waitpid(-1, &status, options);
      if (pid <= 0)
        return pid;
      auto found = event_sockets_.find(pid);
      if (found != event_sockets_.end()) {
        tell(found->second, ForkServer::WorkerEvent::exited, status);
        ::close(found->second);
        event_sockets_.erase(found);
      }
      auto spare = std::find_if(spares_.begin(), spares_.end(),
                                [&](const Spare& candidate) { return candidate.pid == pid; });
      if (spare != spares_.end()) { // a spare that died waiting (killed by hand, OOM...)
        ::close(spare->socket);
        if (spare->pidfd >= 0)
          ::close(spare->pidfd);
        spares_.erase(spare);
        // Its replacement waits longer each time, should spares die as they are made.
        last_spare_death_ = std::chrono::steady_clock::now();
        backoff_ = std::clamp(2 * backoff_, refill_after_request, max_backoff);
      }
    }
  }

  // False when the control socket has ended.
  bool serve_request() {
    SpawnRequest request{};
    iovec vector{&request, sizeof request};
    alignas(cmsghdr) char control_buffer[CMSG_SPACE(request_fds * sizeof(int))];
    msghdr message{};
    message.msg_iov = &vector;
    message.msg_iovlen = 1;
    message.msg_control = control_buffer;
    message.msg_controllen = sizeof control_buffer;
    ssize_t received = ::recvmsg(control_, &message, MSG_CMSG_CLOEXEC);
    if (received <= 0)
      return received < 0 && errno == EINTR;
    last_request_ = std::chrono::steady_clock::now();
    refilling_ = true;
    cmsghdr* header = CMSG_FIRSTHDR(&message);
    if (header == nullptr || header->cmsg_type != SCM_RIGHTS)
      return true;
    const std::size_t fd_count = (header->cmsg_len - CMSG_LEN(0)) / sizeof(int);
    int fds[request_fds];
    std::memcpy(fds, CMSG_DATA(header), std::min(fd_count, request_fds) * sizeof(int));
    if (static_cast<std::size_t>(received) != sizeof request || request.count == 0 ||
        request.count > max_workers_per_request || fd_count != 3 * request.count) {
      for (std::size_t i = 0; i < std::min(fd_count, request_fds); ++i)
        ::close(fds[i]);
      return true;
    }
    // Spares first, all of them: one woken while this server forks would wait for the fork to end
    // (a process woken through a socket is queued on the waker's core).
    std::size_t next = 0;
    for (; next < request.count && hand_to_spare(request, fds + 3 * next); ++next) {
    }
    for (; next < request.count; ++next)
      fork_worker(request, fds, next);
    return true;
  }

  // Hands the worker whose descriptors are `fds` (channel, events, progress) to a spare; false
  // when there is none left.
  bool hand_to_spare(const SpawnRequest& request, const int* fds) {
    while (!spares_.empty()) {
      const Spare spare = spares_.back();
      spares_.pop_back();
      Assignment assignment{request.initializer, request.max_tasks};
      iovec part{&assignment, sizeof assignment};
      msghdr message{};
      message.msg_iov = &part;
      message.msg_iovlen = 1;
      detail::DescriptorControl control;
      const int handed[2] = {fds[0], fds[2]};
      detail::attach_descriptors(message, control, handed);
      const bool sent = ::sendmsg(spare.socket, &message, MSG_NOSIGNAL) ==
                        static_cast<ssize_t>(sizeof assignment);
      ::close(spare.socket);
      if (!sent) { // it died waiting: it is reaped like any child, and the next one is tried
        if (spare.pidfd >= 0)
          ::close(spare.pidfd);
        continue;
      }
      ::close(fds[0]);
      ::close(fds[2]);
      backoff_ = {};
      tell(fds[1], ForkServer::WorkerEvent::started, spare.pid, spare.pidfd);
      if (spare.pidfd >= 0)
        ::close(spare.pidfd);
      event_sockets_[spare.pid] = fds[1];
      return true;
    }
    return false;
  }

  // Forks the worker whose descriptors are fds[3 * index...] (channel, events, progress).
  void fork_worker(const SpawnRequest& request, int* fds, std::size_t index) {
    const int channel = fds[3 * index];
    const int events = fds[3 * index + 1];
    const int progress = fds[3 * index + 2];
    pid_t pid = ::fork();
    const int fork_error = errno;
    if (pid == 0) {
      for (std::size_t other = 3 * index + 1; other < 3 * request.count; ++other)
        if (fds[other] != progress)
          ::close(fds[other]); // the ones before were handed over or closed already
      close_server_descriptors();
      reset_signals_for_worker();
      detail::run_worker(channel, progress, reinterpret_cast<void (*)()>(request.initializer),
                         request.max_tasks);
    }
    ::close(channel);
    ::close(progress);
    if (pid < 0) {
      tell(events, ForkServer::WorkerEvent::failed, fork_error);
      ::close(events);
      return;
    }
    const int pidfd = pidfd_of(pid);
    tell(events, ForkServer::WorkerEvent::started, pid, pidfd);
    if (pidfd >= 0)
      ::close(pidfd);
    event_sockets_[pid] = events;
  }

  void fork_spare() {
    int pair[2];
    if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair) != 0) {
      refilling_ = false;
      return;
    }
    pid_t pid = ::fork();
    if (pid == 0) {
      ::close(pair[0]);
      close_server_descriptors();
      reset_signals_for_worker();
      wait_for_assignment(pair[1]);
    }
    ::close(pair[1]);
    if (pid < 0) {
      ::close(pair[0]);
      refilling_ = false; // the kernel refuses: no more tries until the next request
      return;
    }
    spares_.push_back({pid, pair[0], pidfd_of(pid)});
  }

  // In a forked child: what belongs to the server.
  void close_server_descriptors() {
    ::close(control_);
    ::close(children_);
    for (auto& [other, socket] : event_sockets_)
      ::close(socket);
    for (const Spare& spare : spares_) {
      ::close(spare.socket);
      if (spare.pidfd >= 0)
        ::close(spare.pidfd);
    }
  }

  // A spare's life: its first-task work now, then the wait, then a worker's life.
  [[noreturn]] static void wait_for_assignment(int socket) {
    detail::rehearse_worker();
    Assignment assignment{};
    std::vector<int> handed;
    ssize_t got;
    do {
      got = detail::receive_with_descriptors(socket, &assignment, sizeof assignment, 0, handed);
    } while (got < 0 && errno == EINTR);
    if (got != static_cast<ssize_t>(sizeof assignment) || handed.size() != 2)
      ::_exit(0); // the server has gone: so has any use for this spare
    ::close(socket);
    detail::run_worker(handed[0], handed[1], reinterpret_cast<void (*)()>(assignment.initializer),
                       assignment.max_tasks);
  }

  // A pidfd lets the pool see the worker exit without waiting for this server to wake up and
  // reap it. Made here, by the parent, it cannot name another process: the pid is not free for
  // reuse until the server has reaped it.
  static int pidfd_of(pid_t pid) { return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)); }

  int control_;
  int children_ = -1;
  std::unordered_map<pid_t, int> event_sockets_; // live workers handed to pools
  std::vector<Spare> spares_;
  std::size_t spares_wanted_;
  bool refilling_ = true;
  std::chrono::steady_clock::time_point last_request_{};
  std::chrono::steady_clock::time_point last_spare_death_{};
  std::chrono::milliseconds backoff_{}; // after spares that died waiting, up to max_backoff
  static constexpr std::chrono::milliseconds max_backoff{1000};
};

} // namespace

std::shared_ptr<ForkServer> ForkServer::start() {
  return start(Options{});
}

std::shared_ptr<ForkServer> ForkServer::start(Options options) {
  // Unflushed stdio buffers would be copied into the server and printed again by every worker.
  std::fflush(nullptr);
  int pair[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0)
    fail_errno("socketpair");
  pid_t pid = ::fork();
  if (pid < 0) {
    int error = errno;
    ::close(pair[0]);
    ::close(pair[1]);
    throw std::system_error(error, std::generic_category(), "fork (fork server)");
  }
  if (pid == 0) {
    ::close(pair[0]);
    Server(pair[1], options.spare_workers).run();
  }
  ::close(pair[1]);
  return std::shared_ptr<ForkServer>(new ForkServer(pid, pair[0]));
}

ForkServer::~ForkServer() {
  ::close(control_);
  int status;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
}

namespace {

// The descriptors of a worker being spawned: the pool's ends, and the ends that go to the server.
// Whatever is not handed over is closed.
struct PendingWorker {
  int channel[2] = {-1, -1};
  int events[2] = {-1, -1};
  int progress = -1;

  PendingWorker() {
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, channel) != 0)
      fail_errno("socketpair (worker channel)");
    if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, events) != 0) {
      const int error = errno;
      close_all();
      throw std::system_error(error, std::generic_category(), "socketpair (worker events)");
    }
    // Shared with the worker: how many tasks it has started, which survives its death and tells
    // whether the task without a result was running or never read.
    progress = ::memfd_create("taskfit-worker-progress", MFD_CLOEXEC);
    if (progress < 0 ||
        ::ftruncate(progress, detail::progress_counters * sizeof(std::uint64_t)) != 0) {
      const int error = errno;
      close_all();
      throw std::system_error(error, std::generic_category(), "memfd (worker progress)");
    }
  }
  PendingWorker(const PendingWorker&) = delete;
  PendingWorker& operator=(const PendingWorker&) = delete;
  ~PendingWorker() { close_all(); }

  void close_all() {
    for (int* fd : {&channel[0], &channel[1], &events[0], &events[1], &progress})
      if (*fd >= 0) {
        ::close(*fd);
        *fd = -1;
      }
  }
  ForkServer::Worker release() {
    ForkServer::Worker worker{channel[0], events[0], progress};
    channel[0] = events[0] = progress = -1;
    return worker;
  }
};

} // namespace

std::vector<ForkServer::Worker> ForkServer::spawn_workers(std::size_t count, void (*initializer)(),
                                                          std::size_t max_tasks) {
  std::vector<Worker> workers;
  workers.reserve(count);
  try {
    while (workers.size() < count) {
      const std::size_t batch = std::min(count - workers.size(), max_workers_per_request);
      std::vector<PendingWorker> pending(batch);
      SpawnRequest request{reinterpret_cast<std::uint64_t>(initializer), max_tasks, batch};
      iovec vector{&request, sizeof request};
      alignas(cmsghdr) char control_buffer[CMSG_SPACE(request_fds * sizeof(int))] = {};
      msghdr message{};
      message.msg_iov = &vector;
      message.msg_iovlen = 1;
      message.msg_control = control_buffer;
      message.msg_controllen = CMSG_SPACE(3 * batch * sizeof(int));
      cmsghdr* header = CMSG_FIRSTHDR(&message);
      header->cmsg_level = SOL_SOCKET;
      header->cmsg_type = SCM_RIGHTS;
      header->cmsg_len = CMSG_LEN(3 * batch * sizeof(int));
      int* passed = reinterpret_cast<int*>(CMSG_DATA(header));
      for (std::size_t i = 0; i < batch; ++i) {
        passed[3 * i] = pending[i].channel[1];
        passed[3 * i + 1] = pending[i].events[1];
        passed[3 * i + 2] = pending[i].progress;
      }
      ssize_t sent;
      {
        std::lock_guard lock(mutex_);
        do {
          sent = ::sendmsg(control_, &message, MSG_NOSIGNAL);
        } while (sent < 0 && errno == EINTR);
      }
      if (sent != static_cast<ssize_t>(sizeof request))
        throw std::system_error(sent < 0 ? errno : EPIPE, std::generic_category(),
                                "taskfit: the fork server cannot take requests");
      // The server has its own copies of the ends it was sent; ours close with `pending`.
      for (PendingWorker& worker : pending)
        workers.push_back(worker.release());
    }
  } catch (...) {
    for (Worker& worker : workers) // their workers, if forked, exit when their channels close
      for (int fd : {worker.channel, worker.events, worker.progress})
        ::close(fd);
    throw;
  }
  return workers;
}

} // namespace taskfit
