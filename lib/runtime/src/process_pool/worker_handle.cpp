#include "process_pool/worker_handle.hpp"

#include "exit_status.hpp"
#include "taskfit/runtime/detail/serialization.hpp"
#include "taskfit/runtime/errors.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <signal.h>
#include <span>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

namespace taskfit::detail {

namespace {

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

std::pair<std::string, std::string> decode_error(std::string_view payload) {
  std::string type, message;
  try {
    deserialize(payload, type, message);
  } catch (...) {
    type = "unknown";
  }
  return {type, message};
}

// An error frame's payload for a result the pool could not map (the kernel refused).
std::string unreadable_area_error(pid_t pid, std::uint64_t size) {
  std::string payload;
  append_serialized(payload, std::string("taskfit::SharedMemoryError"),
                    "taskfit: cannot map the " + std::to_string(size) +
                        "-byte result of worker process " + std::to_string(pid));
  return payload;
}

} // namespace

WorkerHandle::WorkerHandle(std::uint64_t id, const ForkServer::Worker& spawned, int manager_epoll)
    : id(id), channel(spawned.channel), events(spawned.events), manager_epoll_(manager_epoll) {
  void* shared = ::mmap(nullptr, progress_counters * sizeof(std::uint64_t), PROT_READ | PROT_WRITE,
                        MAP_SHARED, spawned.progress, 0);
  ::close(spawned.progress);
  if (shared != MAP_FAILED)
    counters = static_cast<std::atomic<std::uint64_t>*>(shared);
  ::fcntl(channel, F_SETFL, ::fcntl(channel, F_GETFL) | O_NONBLOCK);
  epoll_event event{};
  interest = event.events = EPOLLIN | EPOLLRDHUP | EPOLLET;
  event.data.u64 = epoll_data_of(id, WorkerDescriptor::channel);
  ::epoll_ctl(manager_epoll_, EPOLL_CTL_ADD, channel, &event);
  watched = true;
  watch_status();
}

WorkerHandle::~WorkerHandle() {
  if (counters != nullptr)
    ::munmap(counters, progress_counters * sizeof(std::uint64_t));
  for (int fd : {channel, events, pidfd})
    if (fd >= 0)
      ::close(fd);
}

bool WorkerHandle::initialised() const {
  return counters == nullptr ||
         counters[ProgressCounter::initialised].load(std::memory_order_acquire) != 0;
}

bool WorkerHandle::in_initializer() const {
  return !initialised() &&
         (counters == nullptr ||
          counters[ProgressCounter::initializer_started].load(std::memory_order_acquire) != 0);
}

bool WorkerHandle::started_unanswered_task() const {
  return counters == nullptr ||
         counters[ProgressCounter::tasks_started].load(std::memory_order_acquire) > answered;
}

std::string WorkerHandle::describe_end() const {
  return describe_wait_status(pid, status_known, status);
}

void WorkerHandle::queue_task(RemoteCall call) {
  FrameHeader header{FrameKind::task, 0, reinterpret_cast<std::uint64_t>(call.invoker),
                     call.arguments.size()};
  if (call.arguments.in_shared_area()) {
    header.flags = frame_in_shared_area;
    header.area = call.arguments.area()->identity();
    out_descriptors.emplace_back(out.size(), call.arguments.area()->fd());
    out.append(reinterpret_cast<const char*>(&header), sizeof header);
  } else {
    out.append(reinterpret_cast<const char*>(&header), sizeof header);
    out.append(call.arguments.bytes());
  }
  if (in_flight.empty())
    running_since = std::chrono::steady_clock::now();
  in_flight.push_back(std::move(call));
  ++assigned;
}

void WorkerHandle::flush() {
  while (out_offset < out.size() && !channel_closed) {
    // The descriptors of the frames not sent yet go with the first of their bytes, or before:
    // the worker takes them in order. As many as one message carries; the bytes stop short of
    // the first frame whose descriptor has to wait for the next message.
    int descriptors[max_descriptors_per_message];
    std::size_t count = 0;
    std::size_t end = out.size();
    for (const auto& [offset, descriptor] : out_descriptors) {
      if (count == max_descriptors_per_message) {
        end = offset;
        break;
      }
      descriptors[count++] = descriptor;
    }
    iovec part{out.data() + out_offset, end - out_offset};
    msghdr message{};
    message.msg_iov = &part;
    message.msg_iovlen = 1;
    DescriptorControl control;
    attach_descriptors(message, control, std::span<const int>(descriptors, count));
    ssize_t written = ::sendmsg(channel, &message, MSG_NOSIGNAL);
    if (written < 0) {
      if (errno == EINTR)
        continue;
      // EAGAIN: the EPOLLOUT edge calls us again; EPIPE: the read side sees the death. The
      // kernel refusing the message itself (no memory, too many descriptors in flight) would
      // refuse it again at every edge: the worker is ended, and its end settles its tasks.
      if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EPIPE && errno != ECONNRESET)
        ::shutdown(channel, SHUT_RDWR);
      break;
    }
    out_descriptors.erase(out_descriptors.begin(),
                          out_descriptors.begin() +
                              static_cast<std::ptrdiff_t>(count)); // sent with the bytes
    out_offset += static_cast<std::size_t>(written);
  }
  if (out_offset == out.size()) {
    out.clear();
    out_offset = 0;
  }
  update_interest();
}

void WorkerHandle::read_answers(std::vector<Completion>& completions) {
  char buffer[1 << 16];
  std::vector<int> areas;
  for (;;) {
    // The worker sends one descriptor: its results' area, with the first large result.
    areas.clear();
    ssize_t got = receive_with_descriptors(channel, buffer, sizeof buffer, 0, areas);
    for (int area : areas)
      from_worker.adopt(area);
    if (got > 0) {
      in.append(buffer, static_cast<std::size_t>(got));
      if (in.size() > (1u << 20))
        parse_frames(completions); // keep big results from piling up twice
      // Even after a short read, read on until EAGAIN: a worker that answers and exits at once
      // (a failed initializer) raises one edge for both, and its end would never be seen.
      continue;
    }
    if (got < 0 && errno == EINTR)
      continue;
    if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
      break;
    channel_closed = true; // EOF or reset: the worker is gone
    break;
  }
  parse_frames(completions);
}

void WorkerHandle::parse_frames(std::vector<Completion>& completions) {
  std::size_t offset = 0;
  for (;;) {
    if (in.size() - offset < sizeof(FrameHeader))
      break;
    FrameHeader header;
    std::memcpy(&header, in.data() + offset, sizeof header);
    const std::uint64_t on_socket = socket_payload_size(header);
    if (in.size() - offset - sizeof header < on_socket) {
      in.reserve(offset + sizeof header + on_socket);
      break;
    }
    if (on_socket == header.size) {
      handle_frame(header.kind, std::string_view(in.data() + offset + sizeof header, header.size),
                   completions);
    } else {
      // A result is delivered from the area, outside the lock (the worker does not write it
      // again until then, so it is neither changed nor remapped meanwhile); anything else is
      // handled now.
      const char* bytes = from_worker.view(header.size);
      const bool held =
          bytes != nullptr &&
          handle_frame(header.kind, std::string_view(bytes, header.size), completions, true);
      if (bytes == nullptr)
        handle_frame(FrameKind::error, unreadable_area_error(pid, header.size), completions);
      if (!held)
        area_result_read();
    }
    offset += sizeof header + on_socket;
  }
  in.erase(0, offset);
}

bool WorkerHandle::handle_frame(FrameKind kind, std::string_view payload,
                                std::vector<Completion>& completions, bool in_area) {
  if (kind == FrameKind::init_failed) {
    auto [type, message] = decode_error(payload);
    init_error = type + ": " + message;
    return false;
  }
  if (in_flight.empty())
    return false; // protocol confusion; cannot happen with our own workers
  RemoteCall call = std::move(in_flight.front());
  in_flight.pop_front();
  ++answered;
  running_since = std::chrono::steady_clock::now();
  if (kind == FrameKind::result && in_area) {
    completions.push_back(
        {std::move(call), Completion::Kind::deliver, {}, nullptr, shared_from_this(), payload});
    return true;
  }
  if (kind == FrameKind::result) {
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

void WorkerHandle::abandon(const std::string& reason, std::vector<Completion>& completions) {
  if (in_flight.empty() && out.empty())
    return;
  if (reading)
    wake_reader();
  for (auto& call : in_flight) {
    // The worker may still be reading the arguments: their area is not reused.
    call.arguments.take_area();
    completions.push_back({std::move(call),
                           Completion::Kind::fail,
                           {},
                           std::make_exception_ptr(BrokenProcessPool(reason))});
  }
  in_flight.clear();
  // What is not written yet names areas just let go: the worker gets nothing more, it ends.
  out.clear();
  out_offset = 0;
  out_descriptors.clear();
  if (!channel_closed)
    ::shutdown(channel, SHUT_WR);
}

void WorkerHandle::wake_reader() const {
  std::uint64_t one = 1;
  if (reader_wake >= 0) [[maybe_unused]]
    auto ignored = ::write(reader_wake, &one, sizeof one);
}

void WorkerHandle::area_result_read() {
  if (counters != nullptr)
    counters[ProgressCounter::area_results_read].fetch_add(1, std::memory_order_release);
}

bool WorkerHandle::read_events() {
  bool pid_came = false;
  std::vector<int> descriptors;
  while (!status_in()) {
    ForkServer::WorkerEvent event{};
    descriptors.clear();
    const ssize_t got =
        receive_with_descriptors(events, &event, sizeof event, MSG_DONTWAIT, descriptors);
    if (got < 0 && errno == EINTR)
      continue;
    if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
      break;
    int new_pidfd = -1;
    if (got != static_cast<ssize_t>(sizeof event)) {
      status_lost = true; // the server is gone
    } else if (event.kind == ForkServer::WorkerEvent::started) {
      pid = event.value;
      if (!descriptors.empty() && pidfd < 0)
        new_pidfd = pidfd = descriptors.front();
      pid_came = true;
    } else if (event.kind == ForkServer::WorkerEvent::failed) {
      start_error = event.value > 0 ? event.value : EAGAIN;
    } else if (event.kind == ForkServer::WorkerEvent::exited) {
      status_known = true;
      status = event.value;
    }
    for (int descriptor : descriptors)
      if (descriptor != new_pidfd)
        ::close(descriptor);
    if (new_pidfd >= 0 && status_watched)
      watch(true, new_pidfd, WorkerDescriptor::pidfd);
  }
  watch_status(); // no more once the end is known
  return pid_came;
}

void WorkerHandle::check_pidfd() {
  if (pidfd_checked || status_in())
    return;
  if (status_watched) // readable from now on: not watched again
    watch(false, pidfd, WorkerDescriptor::pidfd);
  pidfd_checked = true;
  if (const auto exit_status = read_exit_status(pid, pidfd)) {
    status_known = true;
    status = *exit_status;
    watch_status();
  }
}

void WorkerHandle::kill() const {
  if (pidfd >= 0 && ::syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, nullptr, 0) == 0)
    return;
  if (pid > 0)
    ::kill(pid, SIGKILL);
}

// What the manager waits for on the channel: the worker's answers, unless a waiting thread reads
// them (the manager would wake up for nothing), and room to write only while a write is
// unfinished (else every task a worker reads would wake it) and no waiting thread finishes it.
// Edge-triggered: adding an event that is already there reports it at once, so nothing is missed.
void WorkerHandle::update_interest() {
  watch_status();
  if (!watched || channel_closed)
    return;
  std::uint32_t wanted = EPOLLET;
  if (!reading)
    wanted |= EPOLLIN | EPOLLRDHUP;
  if (!out.empty() && !reading)
    wanted |= EPOLLOUT;
  if (wanted == interest)
    return;
  epoll_event event{};
  event.events = wanted;
  event.data.u64 = epoll_data_of(id, WorkerDescriptor::channel);
  if (::epoll_ctl(manager_epoll_, EPOLL_CTL_MOD, channel, &event) == 0)
    interest = wanted;
}

void WorkerHandle::unwatch() {
  if (!watched)
    return;
  ::epoll_ctl(manager_epoll_, EPOLL_CTL_DEL, channel, nullptr);
  watched = false;
  watch_status();
}

// The manager watches what tells of the worker's end (its events socket, and its pidfd until that
// has been looked at) while the end is not known, even while a thread reads the channel: that
// thread polls them only once the channel has ended (each descriptor more in its polls, spinning,
// makes every round trip slower), and a worker that died while a process it forked holds the
// channel open is seen by the manager, which wakes the reader.
void WorkerHandle::watch_status() {
  const bool wanted = watched && !status_in();
  if (wanted == status_watched)
    return;
  watch(wanted, events, WorkerDescriptor::events);
  if (pidfd >= 0 && !pidfd_checked)
    watch(wanted, pidfd, WorkerDescriptor::pidfd);
  status_watched = wanted;
}

// Adds `fd` to the manager's epoll set (level-triggered input), or takes it out.
void WorkerHandle::watch(bool add, int fd, WorkerDescriptor descriptor) const {
  epoll_event event{};
  event.events = EPOLLIN;
  event.data.u64 = epoll_data_of(id, descriptor);
  ::epoll_ctl(manager_epoll_, add ? EPOLL_CTL_ADD : EPOLL_CTL_DEL, fd, &event);
}

} // namespace taskfit::detail
