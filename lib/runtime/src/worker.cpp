// The task loop of a process-pool worker: read a task frame, run it, write the result frame.
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
#include <poll.h>
#include <string>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>
#include <vector>

namespace taskfit::detail {

namespace {

class ChannelReader {
public:
  explicit ChannelReader(int fd) : fd_(fd), buffer_(1 << 16) {}

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
      got = ::recv(fd_, into, size, MSG_DONTWAIT);
      return got >= 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR);
    });
    while (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
      got = ::read(fd_, into, size);
    return got;
  }

  int fd_;
  std::vector<char> buffer_;
  std::size_t begin_ = 0;
  std::size_t end_ = 0;
};

// Header and payload in one system call (one wake-up of the pool), finishing partial writes. A
// large payload fills the socket many times over: while the pool drains it, spin for room rather
// than sleep (the pool's reader spins too, see spin.hpp).
bool send_frame(int fd, FrameKind kind, const std::string& payload) {
  FrameHeader header{kind, 0, 0, payload.size()};
  iovec parts[2] = {{&header, sizeof header}, {const_cast<char*>(payload.data()), payload.size()}};
  msghdr message{};
  message.msg_iov = parts;
  message.msg_iovlen = payload.empty() ? 1 : 2;
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

std::string describe_current_exception() {
  std::exception_ptr error = std::current_exception();
  std::string payload;
  append_serialized(payload, exception_type_name(error), describe_exception(error));
  return payload;
}

} // namespace

void run_worker(int channel, int progress, void (*initializer)(), std::uint64_t max_tasks) {
  void* shared =
      ::mmap(nullptr, sizeof(std::uint64_t), PROT_READ | PROT_WRITE, MAP_SHARED, progress, 0);
  ::close(progress);
  auto* started = shared == MAP_FAILED ? nullptr : static_cast<std::atomic<std::uint64_t>*>(shared);
  if (initializer != nullptr) {
    try {
      initializer();
    } catch (...) {
      send_frame(channel, FrameKind::init_failed, describe_current_exception());
      std::fflush(nullptr);
      ::_exit(3);
    }
  }
  if (started != nullptr)
    started[1].store(1, std::memory_order_release); // initialised: dying now is not its fault
  ChannelReader reader(channel);
  std::string arguments;
  std::string result;
  for (std::uint64_t done = 0; max_tasks == 0 || done < max_tasks; ++done) {
    FrameHeader header;
    if (!reader.read_exact(&header, sizeof header))
      break;
    arguments.resize(header.size);
    if (!reader.read_exact(arguments.data(), header.size))
      break;
    if (started != nullptr)
      started->store(done + 1, std::memory_order_release); // before running it: see the pool
    result.clear();
    bool sent;
    try {
      reinterpret_cast<RemoteInvoker>(header.invoker)(arguments, result);
      sent = send_frame(channel, FrameKind::result, result);
    } catch (...) {
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
