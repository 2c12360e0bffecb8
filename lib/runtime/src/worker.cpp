// The task loop of a process-pool worker: read a task frame, run it, write the result frame.
#include "shared_area.hpp"
#include "taskfit/runtime/detail/serialization.hpp"
#include "taskfit/runtime/errors.hpp"
#include "taskfit/runtime/process_pool.hpp"
#include "taskfit/runtime/spin.hpp"
#include "wire.hpp"

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <malloc.h>
#include <poll.h>
#include <sched.h>
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
  ChannelReader(int fd, SharedArea& pool_area) : fd_(fd), pool_area_(pool_area), buffer_(1 << 16) {}

  // False on end of stream (the pool closed the channel: time to exit).
  bool read_exact(void* into, std::size_t size) {
    char* out = static_cast<char*>(into);
    while (size > 0) {
      if (begin_ == end_) {
        // Large payloads go straight into their destination, without the buffer's extra copy.
        if (size >= buffer_.size())
          return read_direct(out, size);
        if (!fill())
          return false;
      }
      std::size_t take = std::min(size, end_ - begin_);
      std::memcpy(out, buffer_.data() + begin_, take);
      begin_ += take;
      out += take;
      size -= take;
    }
    return true;
  }

private:
  bool fill() {
    begin_ = end_ = 0;
    ssize_t got = receive(buffer_.data(), buffer_.size());
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
  // need too.
  ssize_t receive(char* into, std::size_t size) {
    ssize_t got = -1;
    errno = EAGAIN;
    unsigned round = 0;
    spin_until([&] {
      if ((round++ & 15) != 0)
        return false;
      // The pool's threads need a core too (a pool usually has a worker per core): let them run
      // if they are waiting for this one.
      ::sched_yield();
      got = receive_once(into, size, MSG_DONTWAIT);
      return got >= 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR);
    });
    while (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
      got = receive_once(into, size, 0);
    return got;
  }

  // The pool's shared area comes as a descriptor with the bytes.
  ssize_t receive_once(char* into, std::size_t size, int flags) {
    int area = -1;
    const ssize_t got = receive_with_descriptor(fd_, into, size, flags, area);
    if (area >= 0)
      pool_area_.adopt(area);
    return got;
  }

  int fd_;
  SharedArea& pool_area_;
  std::vector<char> buffer_;
  std::size_t begin_ = 0;
  std::size_t end_ = 0;
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
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))];
  if (descriptor >= 0)
    attach_descriptor(message, control, descriptor);
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

// Sends a result, through the worker's shared area when it is large and the pool has read the
// previous one from there (else the socket: the pool may still be reading the area).
class ResultSender {
public:
  ResultSender(int channel, std::atomic<std::uint64_t>* counters)
      : channel_(channel), counters_(counters) {}

  bool send(const std::string& result) {
    if (result.size() >= shared_area_threshold && counters_ != nullptr &&
        counters_[area_results_read].load(std::memory_order_acquire) == sent_through_area_) {
      if (char* area = area_.reserve(result.size())) {
        std::memcpy(area, result.data(), result.size());
        const bool first = !area_sent_;
        if (!send_frame(channel_,
                        FrameHeader{FrameKind::result, frame_in_shared_area, 0, result.size()}, {},
                        first ? area_.fd() : -1))
          return false;
        area_sent_ = true;
        ++sent_through_area_;
        return true;
      }
    }
    return send_frame(channel_, FrameKind::result, result);
  }

private:
  int channel_;
  std::atomic<std::uint64_t>* counters_;
  SharedArea area_;
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

void run_worker(int channel, int progress, void (*initializer)(), std::uint64_t max_tasks) {
  void* shared = ::mmap(nullptr, progress_counters * sizeof(std::uint64_t), PROT_READ | PROT_WRITE,
                        MAP_SHARED, progress, 0);
  ::close(progress);
  auto* counters =
      shared == MAP_FAILED ? nullptr : static_cast<std::atomic<std::uint64_t>*>(shared);
  if (initializer != nullptr) {
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
  SharedArea pool_area;
  ChannelReader reader(channel, pool_area);
  ResultSender results(channel, counters);
  std::string arguments;
  std::string result;
  for (std::uint64_t done = 0; max_tasks == 0 || done < max_tasks; ++done) {
    FrameHeader header;
    if (!reader.read_exact(&header, sizeof header))
      break;
    const bool in_area = (header.flags & frame_in_shared_area) != 0;
    std::string_view payload;
    if (in_area) {
      const char* bytes = pool_area.view(header.size);
      if (bytes == nullptr) {
        // The task fails, not the worker: a replacement would fail the same way, forever.
        if (counters != nullptr)
          counters[area_tasks_read].fetch_add(1, std::memory_order_release);
        std::string error;
        append_serialized(error, std::string("taskfit::SharedMemoryError"),
                          "taskfit: a process pool worker cannot map the " +
                              std::to_string(header.size) + "-byte arguments of its task");
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
      reinterpret_cast<RemoteInvoker>(header.invoker)(payload, result);
      if (in_area && counters != nullptr)
        counters[area_tasks_read].fetch_add(1, std::memory_order_release);
      sent = results.send(result);
    } catch (...) {
      if (in_area && counters != nullptr)
        counters[area_tasks_read].fetch_add(1, std::memory_order_release);
      sent = send_frame(channel, FrameKind::error, describe_current_exception());
    }
    if (!sent)
      break;
  }
  // _exit: no atexit handlers or static destructors of the parent's image run here; but what the
  // tasks printed is flushed, as a normal exit would.
  std::fflush(nullptr);
  ::_exit(0);
}

} // namespace taskfit::detail
