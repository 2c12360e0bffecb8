#include "taskfit/runtime/fork_server.hpp"

#include "wire.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <system_error>
#include <unistd.h>
#include <unordered_map>

namespace taskfit {

namespace {

struct SpawnRequest {
  std::uint64_t initializer;
  std::uint64_t max_tasks;
  std::uint64_t count; // workers to fork; 3 descriptors each in the message's SCM_RIGHTS
};

// Workers per request: 3 descriptors each, within the kernel's 253 per message.
constexpr std::size_t max_workers_per_request = 64;
constexpr std::size_t request_fds = 3 * max_workers_per_request;

[[noreturn]] void fail_errno(const char* what) {
  throw std::system_error(errno, std::generic_category(), what);
}

bool write_all(int fd, const void* data, std::size_t size) {
  const char* bytes = static_cast<const char*>(data);
  while (size > 0) {
    ssize_t written = ::write(fd, bytes, size);
    if (written < 0) {
      if (errno == EINTR)
        continue;
      return false;
    }
    bytes += written;
    size -= static_cast<std::size_t>(written);
  }
  return true;
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

// The server: forks workers on request, reaps them and reports each wait status to its pool.
[[noreturn]] void serve(int control) {
  // Drop every descriptor inherited from the program (other pools' worker channels above all):
  // a copy held here would keep those workers from ever seeing their pool close them.
  ::close_range(3, static_cast<unsigned>(control) - 1, 0);
  ::close_range(static_cast<unsigned>(control) + 1, ~0U, 0);
  sigset_t child_signals;
  sigemptyset(&child_signals);
  sigaddset(&child_signals, SIGCHLD);
  ::sigprocmask(SIG_BLOCK, &child_signals, nullptr);
  int children = ::signalfd(-1, &child_signals, SFD_CLOEXEC | SFD_NONBLOCK);
  // A pool that closed a status pipe before reading it must not kill the server with SIGPIPE.
  ::signal(SIGPIPE, SIG_IGN);
  std::unordered_map<pid_t, int> status_pipes;
  bool accepting = true;

  auto reap = [&](int options) {
    for (;;) {
      int status = 0;
      pid_t pid = ::waitpid(-1, &status, options);
      if (pid <= 0)
        return pid;
      auto found = status_pipes.find(pid);
      if (found != status_pipes.end()) {
        write_all(found->second, &status, sizeof status);
        ::close(found->second);
        status_pipes.erase(found);
      }
    }
  };

  while (accepting) {
    pollfd watched[2] = {{control, POLLIN, 0}, {children, POLLIN, 0}};
    if (::poll(watched, 2, -1) < 0) {
      if (errno == EINTR)
        continue;
      ::_exit(1);
    }
    if (watched[1].revents != 0) {
      signalfd_siginfo info[16];
      while (::read(children, info, sizeof info) > 0) {
      }
      reap(WNOHANG);
    }
    if (watched[0].revents == 0)
      continue;

    SpawnRequest request{};
    iovec vector{&request, sizeof request};
    alignas(cmsghdr) char control_buffer[CMSG_SPACE(request_fds * sizeof(int))];
    msghdr message{};
    message.msg_iov = &vector;
    message.msg_iovlen = 1;
    message.msg_control = control_buffer;
    message.msg_controllen = sizeof control_buffer;
    ssize_t received = ::recvmsg(control, &message, MSG_CMSG_CLOEXEC);
    if (received <= 0) {
      if (received < 0 && errno == EINTR)
        continue;
      accepting = false; // the program closed us (or died): finish up
      break;
    }
    cmsghdr* header = CMSG_FIRSTHDR(&message);
    if (header == nullptr || header->cmsg_type != SCM_RIGHTS)
      continue;
    const std::size_t fd_count = (header->cmsg_len - CMSG_LEN(0)) / sizeof(int);
    int fds[request_fds];
    std::memcpy(fds, CMSG_DATA(header), std::min(fd_count, request_fds) * sizeof(int));
    if (static_cast<std::size_t>(received) != sizeof request || request.count == 0 ||
        request.count > max_workers_per_request || fd_count != 3 * request.count) {
      for (std::size_t i = 0; i < std::min(fd_count, request_fds); ++i)
        ::close(fds[i]);
      continue;
    }

    for (std::size_t i = 0; i < request.count; ++i) {
      const int channel = fds[3 * i];
      const int status_pipe = fds[3 * i + 1];
      const int progress = fds[3 * i + 2];
      pid_t pid = ::fork();
      if (pid == 0) {
        ::close(control);
        ::close(children);
        for (std::size_t other = 0; other < 3 * request.count; ++other)
          if (fds[other] != channel && fds[other] != progress)
            ::close(fds[other]);
        for (auto& [other, pipe] : status_pipes)
          ::close(pipe);
        reset_signals_for_worker();
        detail::run_worker(channel, progress, reinterpret_cast<void (*)()>(request.initializer),
                           request.max_tasks);
      }
      ::close(channel);
      ::close(progress);
      if (pid < 0)
        ::close(status_pipe);
      else
        status_pipes[pid] = status_pipe;
      // Each pid as soon as it is known: the pool gives the first worker work while the next
      // one is forked.
      write_all(control, &pid, sizeof pid);
    }
  }

  // Workers end when their pool closes their channels; wait for every one so none is a zombie.
  while (!status_pipes.empty()) {
    if (reap(0) < 0 && errno == ECHILD)
      break;
  }
  ::_exit(0);
}

} // namespace

std::shared_ptr<ForkServer> ForkServer::start() {
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
    serve(pair[1]);
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

ForkServer::Worker ForkServer::spawn_worker(void (*initializer)(), std::size_t max_tasks) {
  return spawn_workers(1, initializer, max_tasks).front();
}

namespace {

// The descriptors of workers being spawned: the pool's ends, and the worker's ends that go to
// the server. Whatever is not handed over is closed.
struct PendingWorker {
  int channel[2] = {-1, -1};
  int status_pipe[2] = {-1, -1};
  int progress = -1;

  PendingWorker() {
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, channel) != 0)
      fail_errno("socketpair (worker)");
    if (::pipe2(status_pipe, O_CLOEXEC) != 0) {
      close_all();
      fail_errno("pipe (worker status)");
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
    for (int* fd : {&channel[0], &channel[1], &status_pipe[0], &status_pipe[1], &progress})
      if (*fd >= 0) {
        ::close(*fd);
        *fd = -1;
      }
  }
  ForkServer::Worker release(pid_t pid) {
    ForkServer::Worker worker{pid, channel[0], status_pipe[0], progress};
    channel[0] = status_pipe[0] = progress = -1;
    return worker;
  }
};

} // namespace

std::vector<ForkServer::Worker> ForkServer::spawn_workers(std::size_t count, void (*initializer)(),
                                                          std::size_t max_tasks) {
  std::vector<Worker> workers;
  workers.reserve(count);
  try {
    spawn_workers(count, initializer, max_tasks,
                  [&](const Worker& worker) { workers.push_back(worker); });
  } catch (...) {
    for (Worker& worker : workers)
      for (int fd : {worker.channel, worker.exit_status, worker.progress})
        ::close(fd);
    throw;
  }
  return workers;
}

void ForkServer::spawn_workers(std::size_t count, void (*initializer)(), std::size_t max_tasks,
                               const std::function<void(const Worker&)>& started) {
  std::size_t spawned = 0;
  while (spawned < count) {
    const std::size_t batch = std::min(count - spawned, max_workers_per_request);
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
      passed[3 * i + 1] = pending[i].status_pipe[1];
      passed[3 * i + 2] = pending[i].progress;
    }

    // The server answers with one pid per worker, each as it is forked. All of them are read
    // (under the lock: the next request's answers must not mix with these) even after a failure.
    std::lock_guard lock(mutex_);
    ssize_t sent;
    do {
      sent = ::sendmsg(control_, &message, MSG_NOSIGNAL);
    } while (sent < 0 && errno == EINTR);
    int error = sent == static_cast<ssize_t>(sizeof request) ? 0 : (sent < 0 ? errno : EPIPE);
    bool connected = error == 0;
    std::exception_ptr callback_error;
    for (std::size_t i = 0; i < batch && connected; ++i) {
      pid_t pid = -1;
      std::size_t got = 0;
      while (got < sizeof pid) {
        ssize_t received = ::read(control_, reinterpret_cast<char*>(&pid) + got, sizeof pid - got);
        if (received < 0 && errno == EINTR)
          continue;
        if (received <= 0) {
          error = received < 0 ? errno : EPIPE;
          connected = false;
          break;
        }
        got += static_cast<std::size_t>(received);
      }
      if (!connected)
        break;
      if (pid <= 0 && error == 0)
        error = EAGAIN; // the server's fork failed; its other answers are still read
      if (error == 0) {
        // A throwing callback must not leave this batch's other pids unread: the next request
        // would take them for its own.
        try {
          started(pending[i].release(pid));
          ++spawned;
        } catch (...) {
          if (!callback_error)
            callback_error = std::current_exception();
          error = ECANCELED;
        }
      }
    }
    // Workers forked after a failure end when their channels close with `pending`.
    if (callback_error)
      std::rethrow_exception(callback_error);
    if (error != 0)
      throw std::system_error(error, std::generic_category(),
                              "taskfit: the fork server could not start a worker");
  }
}

} // namespace taskfit
