#include "taskfit/runtime/fork_server.hpp"

#include "wire.hpp"

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
};

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
    alignas(cmsghdr) char control_buffer[CMSG_SPACE(3 * sizeof(int))];
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
    if (header == nullptr || header->cmsg_type != SCM_RIGHTS ||
        static_cast<std::size_t>(received) != sizeof request)
      continue;
    int fds[3];
    std::memcpy(fds, CMSG_DATA(header), sizeof fds);
    const int channel = fds[0];
    const int status_pipe = fds[1];
    const int progress = fds[2];

    pid_t pid = ::fork();
    if (pid == 0) {
      ::close(control);
      ::close(children);
      ::close(status_pipe);
      for (auto& [other, pipe] : status_pipes)
        ::close(pipe);
      reset_signals_for_worker();
      detail::run_worker(channel, progress, reinterpret_cast<void (*)()>(request.initializer),
                         request.max_tasks);
    }
    ::close(channel);
    ::close(progress);
    if (pid < 0) {
      ::close(status_pipe);
    } else {
      status_pipes[pid] = status_pipe;
    }
    write_all(control, &pid, sizeof pid);
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
  int channel[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, channel) != 0)
    fail_errno("socketpair (worker)");
  int status_pipe[2];
  if (::pipe2(status_pipe, O_CLOEXEC) != 0) {
    int error = errno;
    ::close(channel[0]);
    ::close(channel[1]);
    throw std::system_error(error, std::generic_category(), "pipe (worker status)");
  }

  SpawnRequest request{reinterpret_cast<std::uint64_t>(initializer), max_tasks};
  iovec vector{&request, sizeof request};
  // Shared with the worker: how many tasks it has started, which survives its death and tells
  // whether the task without a result was running or never read.
  int progress = ::memfd_create("taskfit-worker-progress", MFD_CLOEXEC);
  if (progress < 0 || ::ftruncate(progress, 2 * sizeof(std::uint64_t)) != 0) {
    int error = errno;
    for (int fd : {channel[0], channel[1], status_pipe[0], status_pipe[1], progress})
      if (fd >= 0)
        ::close(fd);
    throw std::system_error(error, std::generic_category(), "memfd (worker progress)");
  }
  alignas(cmsghdr) char control_buffer[CMSG_SPACE(3 * sizeof(int))] = {};
  msghdr message{};
  message.msg_iov = &vector;
  message.msg_iovlen = 1;
  message.msg_control = control_buffer;
  message.msg_controllen = sizeof control_buffer;
  cmsghdr* header = CMSG_FIRSTHDR(&message);
  header->cmsg_level = SOL_SOCKET;
  header->cmsg_type = SCM_RIGHTS;
  header->cmsg_len = CMSG_LEN(3 * sizeof(int));
  int passed[3] = {channel[1], status_pipe[1], progress};
  std::memcpy(CMSG_DATA(header), passed, sizeof passed);

  pid_t pid = -1;
  {
    std::lock_guard lock(mutex_);
    ssize_t sent;
    do {
      sent = ::sendmsg(control_, &message, MSG_NOSIGNAL);
    } while (sent < 0 && errno == EINTR);
    ssize_t received = -1;
    if (sent == static_cast<ssize_t>(sizeof request)) {
      do {
        received = ::read(control_, &pid, sizeof pid);
      } while (received < 0 && errno == EINTR);
    }
    if (received != static_cast<ssize_t>(sizeof pid))
      pid = -1;
  }
  const int error = errno;
  ::close(channel[1]);
  ::close(status_pipe[1]);
  if (pid <= 0) {
    ::close(channel[0]);
    ::close(status_pipe[0]);
    ::close(progress);
    throw std::system_error(pid < 0 ? error : EAGAIN, std::generic_category(),
                            "taskfit: the fork server could not start a worker");
  }
  return Worker{pid, channel[0], status_pipe[0], progress};
}

} // namespace taskfit
