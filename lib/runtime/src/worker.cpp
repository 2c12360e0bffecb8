// The task loop of a process-pool worker: read a task frame, run it, write the result frame.
#include "shared_area.hpp"
#include "taskfit/runtime/detail/serialization.hpp"
#include "taskfit/runtime/errors.hpp"
#include "taskfit/runtime/process_pool.hpp"
#include "taskfit/runtime/spin.hpp"
#include "wire.hpp"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <deque>
#include <exception>
#include <malloc.h>
#include <memory>
#include <poll.h>
#include <string>
#include <string_view>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>
#include <vector>

namespace taskfit::detail {

namespace {

class ChannelReader {
public:
  // The buffer is not zeroed: a worker touches only the pages its reads fill (each first touch of
  // a page costs a fault, and a fresh worker's first task pays for every one).
  explicit ChannelReader(int fd) : fd_(fd), buffer_(new char[buffer_size]) {}

  // False on end of stream (the pool closed the channel: time to exit).
  bool read_exact(void* into, std::size_t size) {
    char* out = static_cast<char*>(into);
    while (size > 0) {
      if (begin_ == end_) {
        // Large payloads go straight into their destination, without the buffer's extra copy.
        if (size >= buffer_size)
          return read_direct(out, size);
        if (!fill())
          return false;
      }
      std::size_t take = std::min(size, end_ - begin_);
      std::memcpy(out, buffer_.get() + begin_, take);
      begin_ += take;
      out += take;
      size -= take;
    }
    return true;
  }

  // The next descriptor the pool sent (with a large task's frame, or before it); -1 if none came.
  int take_descriptor() {
    if (descriptors_.empty())
      return -1;
    const int descriptor = descriptors_.front();
    descriptors_.pop_front();
    return descriptor;
  }
  // A descriptor taken too early, for a later frame.
  void put_back_descriptor(int descriptor) { descriptors_.push_front(descriptor); }

private:
  bool fill() {
    begin_ = end_ = 0;
    ssize_t got = receive(buffer_.get(), buffer_size);
    if (got <= 0)
      return false;
    end_ = static_cast<std::size_t>(got);
    return true;
  }

  bool read_direct(char* out, std::size_t size) {
    while (size > 0) {
      ssize_t got = receive(out, size);
      if (got <= 0)
        return false;
      out += got;
      size -= static_cast<std::size_t>(got);
    }
    return true;
  }

  // Some bytes, 0 at the end of the stream, -1 on error. Spins on non-blocking reads before it
  // sleeps in a blocking one: the next task of a busy pool usually comes within microseconds. A
  // read every 16 rounds, not every round: each takes the socket's lock, which the pool's sends
  // need too. (spin_until offers the core to the pool's threads meanwhile: a pool usually has a
  // worker per core.)
  ssize_t receive(char* into, std::size_t size) {
    ssize_t got = -1;
    errno = EAGAIN;
    unsigned round = 0;
    const auto waiting_since = std::chrono::steady_clock::now();
    const Spin spin = spin_.spin_until([&] {
      if ((round++ & 15) != 0)
        return false;
      got = receive_once(into, size, MSG_DONTWAIT);
      return got >= 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR);
    });
    if (spin == Spin::ready)
      return got;
    while (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
      got = receive_once(into, size, 0);
    if (spin == Spin::spent)
      spin_.slept(std::chrono::steady_clock::now() - waiting_since);
    return got;
  }

  // Large tasks' shared areas come as descriptors with the bytes, in the order of their frames.
  ssize_t receive_once(char* into, std::size_t size, int flags) {
    received_.clear();
    const ssize_t got = receive_with_descriptors(fd_, into, size, flags, received_);
    descriptors_.insert(descriptors_.end(), received_.begin(), received_.end());
    return got;
  }

  static constexpr std::size_t buffer_size = 1 << 16;
  int fd_;
  std::unique_ptr<char[]> buffer_;
  std::size_t begin_ = 0;
  std::size_t end_ = 0;
  std::vector<int> received_;
  std::deque<int> descriptors_;
  AdaptiveSpin spin_; // the wait for the next task
};

// The shared areas of the pool's large tasks. The pool reuses them, so each is mapped once (its
// pages mapped in once) and kept while it is among the most recently used.
class TaskAreas {
public:
  // The first `size` bytes of the area named `identity` (SharedArea::identity()), whose
  // descriptor is the next one `reader` has (taken over); null when it cannot be mapped, or when
  // its descriptor never came (the kernel drops those a process has no room for): a descriptor of
  // a later frame's area is then left for that frame.
  const char* view(ChannelReader& reader, std::uint64_t identity, std::size_t size) {
    const int fd = reader.take_descriptor();
    if (fd < 0)
      return nullptr;
    if (SharedArea::identity_of(fd) != identity) {
      reader.put_back_descriptor(fd);
      return nullptr;
    }
    auto known = std::find_if(entries_.begin(), entries_.end(),
                              [&](const Entry& entry) { return entry.identity == identity; });
    Entry entry;
    if (known != entries_.end()) {
      ::close(fd); // a descriptor of an area already mapped here
      entry = std::move(*known);
      entries_.erase(known);
      mapped_ -= entry.area->capacity();
    } else {
      entry = {identity, std::make_unique<SharedArea>()};
      entry.area->adopt(fd);
    }
    const char* bytes = entry.area->view(size);
    // Areas larger than the pool reuses serve one task: mapped only until it is done. The others
    // stay mapped, the most recently used first, up to what the pool reuses in all.
    if (entry.area->capacity() <= max_reused_area_size) {
      mapped_ += entry.area->capacity();
      entries_.insert(entries_.begin(), std::move(entry));
      while (mapped_ > max_reused_area_size) {
        mapped_ -= entries_.back().area->capacity();
        entries_.pop_back();
      }
    } else {
      single_use_ = std::move(entry.area);
    }
    return bytes;
  }

  // The task whose payload view() gave is done with it.
  void done() { single_use_.reset(); }

private:
  struct Entry {
    std::uint64_t identity = 0;
    std::unique_ptr<SharedArea> area;
  };
  std::vector<Entry> entries_; // most recently used first
  std::size_t mapped_ = 0;     // their capacities, in all
  std::unique_ptr<SharedArea> single_use_;
};

// Header and payload in one system call (one wake-up of the pool), finishing partial writes. A
// large payload fills the socket many times over: while the pool drains it, spin for room rather
// than sleep (the pool's reader spins too, see spin.hpp). `payload` is empty for a frame whose
// payload is in the shared area; `descriptor`, if any, goes with the first bytes.
bool send_frame(int fd, const FrameHeader& frame, std::string_view payload, int descriptor = -1) {
  FrameHeader header = frame;
  iovec parts[2] = {{&header, sizeof header}, {const_cast<char*>(payload.data()), payload.size()}};
  msghdr message{};
  message.msg_iov = parts;
  message.msg_iovlen = payload.empty() ? 1 : 2;
  DescriptorControl control;
  if (descriptor >= 0)
    attach_descriptors(message, control, std::span<const int>(&descriptor, 1));
  while (message.msg_iovlen > 0) {
    ssize_t written = ::sendmsg(fd, &message, MSG_DONTWAIT | MSG_NOSIGNAL);
    if (written < 0) {
      if (errno == EINTR)
        continue;
      if (errno != EAGAIN && errno != EWOULDBLOCK)
        return false;
      pollfd room{fd, POLLOUT, 0};
      if (!spin_until([&] { return ::poll(&room, 1, 0) != 0; }) && ::poll(&room, 1, -1) < 0 &&
          errno != EINTR)
        return false;
      continue;
    }
    message.msg_control = nullptr; // the descriptor went with the first bytes
    message.msg_controllen = 0;
    auto left = static_cast<std::size_t>(written);
    while (message.msg_iovlen > 0 && left >= message.msg_iov->iov_len) {
      left -= message.msg_iov->iov_len;
      ++message.msg_iov;
      --message.msg_iovlen;
    }
    if (message.msg_iovlen > 0) {
      message.msg_iov->iov_base = static_cast<char*>(message.msg_iov->iov_base) + left;
      message.msg_iov->iov_len -= left;
    }
  }
  return true;
}

bool send_frame(int fd, FrameKind kind, std::string_view payload) {
  return send_frame(fd, FrameHeader{kind, 0, 0, payload.size()}, payload);
}

// Results are serialized into `result`, whose shared area is the worker's for every large result
// (the pool maps it once): a large one goes there when the pool has read the previous one from it,
// else on the socket (the pool may still be reading the area).
class ResultSender {
public:
  ResultSender(int channel, std::atomic<std::uint64_t>* counters)
      : channel_(channel), counters_(counters) {}

  // Whether the next result may be written into the shared area.
  bool area_free() const {
    return counters_ != nullptr &&
           counters_[area_results_read].load(std::memory_order_acquire) == sent_through_area_;
  }

  bool send(const Payload& result) {
    if (!result.in_shared_area())
      return send_frame(channel_, FrameKind::result, result.bytes());
    const bool first = !area_sent_;
    if (!send_frame(channel_,
                    FrameHeader{FrameKind::result, frame_in_shared_area, 0, result.size()}, {},
                    first ? result.area()->fd() : -1))
      return false;
    area_sent_ = true;
    ++sent_through_area_;
    return true;
  }

private:
  int channel_;
  std::atomic<std::uint64_t>* counters_;
  bool area_sent_ = false;
  std::uint64_t sent_through_area_ = 0;
};

std::string describe_current_exception() {
  std::exception_ptr error = std::current_exception();
  std::string payload;
  append_serialized(payload, exception_type_name(error), describe_exception(error));
  return payload;
}

} // namespace

namespace {

// The task loop: runs the tasks read from `channel` until the pool ends it or `max_tasks` are done.
void serve_tasks(int channel, std::atomic<std::uint64_t>* counters, std::uint64_t max_tasks) {
  ChannelReader reader(channel);
  TaskAreas task_areas;
  ResultSender results(channel, counters);
  std::string arguments;
  Payload result;
  for (std::uint64_t done = 0; max_tasks == 0 || done < max_tasks; ++done) {
    FrameHeader header;
    if (!reader.read_exact(&header, sizeof header))
      break;
    std::string_view payload;
    if ((header.flags & frame_in_shared_area) != 0) {
      const char* bytes = task_areas.view(reader, header.area, header.size);
      if (bytes == nullptr) {
        // The task fails, not the worker: a replacement would fail the same way, forever.
        std::string error;
        append_serialized(error, std::string("taskfit::SharedMemoryError"),
                          "taskfit: a process pool worker cannot map the " +
                              std::to_string(header.size) +
                              "-byte arguments of its task (out of memory or descriptors)");
        if (!send_frame(channel, FrameKind::error, error))
          break;
        continue;
      }
      payload = std::string_view(bytes, header.size);
    } else {
      arguments.resize(header.size);
      if (!reader.read_exact(arguments.data(), header.size))
        break;
      payload = arguments;
    }
    if (counters != nullptr) // before running it: see the pool
      counters[tasks_started].store(done + 1, std::memory_order_release);
    result.clear();
    bool sent;
    try {
      PayloadWriter writer(result, results.area_free());
      reinterpret_cast<RemoteInvoker>(header.invoker)(payload, writer);
      sent = results.send(result);
    } catch (...) {
      sent = send_frame(channel, FrameKind::error, describe_current_exception());
    }
    task_areas.done();
    if (!sent)
      break;
  }
}

void rehearsal_task(std::string_view in, std::streambuf& out) {
  int value = 0;
  deserialize(in, value);
  append_serialized(out, value);
}

} // namespace

void run_worker(int channel, int progress, void (*initializer)(), std::uint64_t max_tasks) {
  void* shared = ::mmap(nullptr, progress_counters * sizeof(std::uint64_t), PROT_READ | PROT_WRITE,
                        MAP_SHARED, progress, 0);
  ::close(progress);
  auto* counters =
      shared == MAP_FAILED ? nullptr : static_cast<std::atomic<std::uint64_t>*>(shared);
  if (initializer != nullptr) {
    if (counters != nullptr) // a death from now on is the initializer's
      counters[initializer_started].store(1, std::memory_order_release);
    try {
      initializer();
    } catch (...) {
      send_frame(channel, FrameKind::init_failed, describe_current_exception());
      std::fflush(nullptr);
      ::_exit(3);
    }
  }
  if (counters != nullptr) // dying now is not the initializer's fault
    counters[initialised].store(1, std::memory_order_release);
  // Large arguments and results are allocated and freed by every task: keep that memory in the
  // heap rather than give it back to the kernel each time (and fault it in again, page by page,
  // for the next task). Up to 32 MiB blocks come from the heap, up to 64 MiB of it stays free.
  ::mallopt(M_MMAP_THRESHOLD, 32 << 20);
  ::mallopt(M_TRIM_THRESHOLD, 64 << 20);
  serve_tasks(channel, counters, max_tasks);
  // _exit: no atexit handlers or static destructors of the parent's image run here; but what the
  // tasks printed is flushed, as a normal exit would.
  std::fflush(nullptr);
  ::_exit(0);
}

void rehearse_worker() {
  int pair[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0)
    return;
  std::string arguments;
  append_serialized(arguments, 1);
  const FrameHeader header{FrameKind::task, 0, reinterpret_cast<std::uint64_t>(&rehearsal_task),
                           arguments.size()};
  // One task, then the end of the channel: the loop runs it and returns. Its result stays unread
  // in the socket, which is closed with it.
  if (send_frame(pair[0], header, arguments) && ::shutdown(pair[0], SHUT_WR) == 0)
    serve_tasks(pair[1], nullptr, 0);
  ::close(pair[0]);
  ::close(pair[1]);
}

} // namespace taskfit::detail
