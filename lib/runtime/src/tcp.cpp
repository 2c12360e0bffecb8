#include "taskfit/runtime/tcp.hpp"

#include "taskfit/runtime/hybrid.hpp"
#include "taskfit/runtime/sleep.hpp"

#include <arpa/inet.h>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <system_error>
#include <unistd.h>

namespace taskfit {

namespace {

struct Address {
  sockaddr_storage storage{};
  socklen_t length = 0;
};

[[noreturn]] void fail(int error, const char* what) {
  throw std::system_error(error, std::generic_category(), what);
}

bool parse_numeric(const std::string& host, std::uint16_t port, Address& address) {
  auto* v4 = reinterpret_cast<sockaddr_in*>(&address.storage);
  if (::inet_pton(AF_INET, host.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(port);
    address.length = sizeof(sockaddr_in);
    return true;
  }
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&address.storage);
  if (::inet_pton(AF_INET6, host.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(port);
    address.length = sizeof(sockaddr_in6);
    return true;
  }
  return false;
}

Address resolve_blocking(const std::string& host, std::uint16_t port) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const std::string service = std::to_string(port);
  int status = ::getaddrinfo(host.c_str(), service.c_str(), &hints, &found);
  if (status != 0 || found == nullptr)
    throw std::runtime_error("taskfit: cannot resolve " + host + ": " + ::gai_strerror(status));
  Address address;
  std::memcpy(&address.storage, found->ai_addr, found->ai_addrlen);
  address.length = found->ai_addrlen;
  ::freeaddrinfo(found);
  return address;
}

Task<Address> resolve(std::string host, std::uint16_t port) {
  Address address;
  if (parse_numeric(host, port, address))
    co_return address;
  co_return co_await to_thread(resolve_blocking, std::move(host), port);
}

using Handler = std::function<Task<void>(Stream)>;

// Owns the listening descriptor as a coroutine parameter, so it is closed even when the accept
// loop is cancelled before its first step (the body, and any local in it, would never run).
class ListeningSocket {
public:
  explicit ListeningSocket(int fd) noexcept : fd_(fd) {}
  ListeningSocket(ListeningSocket&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  ListeningSocket(const ListeningSocket&) = delete;
  ListeningSocket& operator=(const ListeningSocket&) = delete;
  ~ListeningSocket() {
    if (fd_ >= 0)
      ::close(fd_);
  }
  int fd() const noexcept { return fd_; }

private:
  int fd_;
};

Task<void> serve_connection(std::shared_ptr<Handler> handler, Stream stream) {
  try {
    co_await (*handler)(std::move(stream));
  } catch (const CancelledError&) {
    throw;
  } catch (const std::system_error&) {
    // A peer that resets or vanishes is normal life for a server.
  } catch (const std::exception& error) {
    std::fprintf(stderr, "taskfit: connection handler failed: %s\n", error.what());
  }
}

Task<void> accept_loop(ListeningSocket socket, std::shared_ptr<Handler> handler) {
  const int listen_fd = socket.fd();
  detail::IoRegistration registration(*EventLoop::current(), listen_fd);
  for (;;) {
    if (registration.readable()) {
      int fd = ::accept4(listen_fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd >= 0) {
        spawn(serve_connection(handler, Stream(fd)));
        continue;
      }
      if (errno == EINTR || errno == ECONNABORTED)
        continue;
      if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
        co_await sleep(std::chrono::milliseconds(10)); // out of descriptors: back off, not spin
        continue;
      }
      if (errno != EAGAIN && errno != EWOULDBLOCK)
        fail(errno, "accept");
    }
    co_await registration.wait_readable();
  }
}

} // namespace

Stream::Stream(int fd) : fd_(fd) {
  EventLoop* loop = EventLoop::current();
  if (loop == nullptr) {
    ::close(fd);
    throw std::logic_error("taskfit::Stream needs a running EventLoop");
  }
  int one = 1;
  ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one); // request/response latency
  registration_ = std::make_unique<detail::IoRegistration>(*loop, fd_);
}

Stream::Stream(Stream&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), registration_(std::move(other.registration_)),
      buffered_(std::move(other.buffered_)), read_buffer_(std::move(other.read_buffer_)),
      stage_(std::move(other.stage_)) {}

Stream& Stream::operator=(Stream&& other) noexcept {
  if (this != &other) {
    close();
    fd_ = std::exchange(other.fd_, -1);
    registration_ = std::move(other.registration_);
    buffered_ = std::move(other.buffered_);
    read_buffer_ = std::move(other.read_buffer_);
    stage_ = std::move(other.stage_);
  }
  return *this;
}

Stream::~Stream() {
  close();
}

void Stream::close() noexcept {
  registration_.reset(); // before close(): the poller must not see a reused descriptor
  if (fd_ >= 0)
    ::close(std::exchange(fd_, -1));
}

void Stream::shutdown_write() noexcept {
  if (fd_ >= 0)
    ::shutdown(fd_, SHUT_WR);
}

std::size_t Stream::take_buffered(std::span<char> into) noexcept {
  std::size_t size = std::min(into.size(), buffered_.size());
  std::memcpy(into.data(), buffered_.data(), size);
  buffered_.erase(0, size);
  return size;
}

Task<std::size_t> Stream::read_some(std::span<char> buffer) {
  if (!buffered_.empty())
    co_return take_buffered(buffer);
  for (;;) {
    if (fd_ < 0)
      fail(EBADF, "read");
    if (registration_->readable()) {
      // A small read goes through a larger buffer, the rest kept for the next one: a read that
      // comes back short says the socket is drained (readiness is edge-triggered), where a read
      // that fills a small buffer exactly would need one more recv, only to learn EAGAIN.
      const bool staged = buffer.size() < small_read_size;
      if (staged && stage_.empty())
        stage_.resize(small_read_size);
      std::span<char> into = staged ? std::span<char>(stage_) : buffer;
      ssize_t got = ::recv(fd_, into.data(), into.size(), 0);
      if (got >= 0) {
        if (static_cast<std::size_t>(got) < into.size())
          registration_->drained_for_reading();
        if (!staged)
          co_return static_cast<std::size_t>(got);
        const std::size_t taken = std::min(buffer.size(), static_cast<std::size_t>(got));
        std::memcpy(buffer.data(), stage_.data(), taken);
        buffered_.assign(stage_.data() + taken, static_cast<std::size_t>(got) - taken);
        co_return taken;
      }
      if (errno == EINTR)
        continue;
      if (errno != EAGAIN && errno != EWOULDBLOCK)
        fail(errno, "read");
    }
    co_await registration_->wait_readable();
  }
}

Task<std::string> Stream::read(std::size_t max_bytes) {
  if (read_buffer_.size() < max_bytes)
    read_buffer_.resize(max_bytes);
  std::size_t got = co_await read_some(std::span<char>(read_buffer_.data(), max_bytes));
  co_return std::string(read_buffer_.data(), got);
}

Task<std::string> Stream::read_exactly(std::size_t size) {
  std::string data(size, '\0');
  std::size_t filled = 0;
  while (filled < size) {
    std::size_t got = co_await read_some(std::span<char>(data.data() + filled, size - filled));
    if (got == 0) {
      data.resize(filled);
      throw IncompleteReadError(std::move(data), size);
    }
    filled += got;
  }
  co_return data;
}

Task<std::string> Stream::read_line() {
  std::string line;
  char chunk[4096];
  for (;;) {
    std::size_t newline = buffered_.find('\n');
    if (newline != std::string::npos) {
      line.append(buffered_, 0, newline + 1);
      buffered_.erase(0, newline + 1);
      co_return line;
    }
    line += buffered_;
    buffered_.clear();
    std::size_t got = co_await read_some(std::span<char>(chunk, sizeof chunk));
    if (got == 0)
      co_return line;
    buffered_.assign(chunk, got);
  }
}

Task<void> Stream::write(std::string_view data) {
  while (!data.empty()) {
    if (fd_ < 0)
      fail(EBADF, "write");
    if (registration_->writable()) {
      ssize_t written = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (written >= 0) {
        if (static_cast<std::size_t>(written) < data.size())
          registration_->full_for_writing();
        data.remove_prefix(static_cast<std::size_t>(written));
        continue;
      }
      if (errno == EINTR)
        continue;
      if (errno != EAGAIN && errno != EWOULDBLOCK)
        fail(errno, "write");
    }
    co_await registration_->wait_writable();
  }
}

Task<Stream> open_connection(std::string host, std::uint16_t port) {
  Address address = co_await resolve(std::move(host), port);
  int fd = ::socket(address.storage.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0)
    fail(errno, "socket");
  Stream stream(fd);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address.storage), address.length) != 0) {
    if (errno != EINPROGRESS)
      fail(errno, "connect");
    co_await stream.registration_->wait_writable();
    int error = 0;
    socklen_t length = sizeof error;
    ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length);
    if (error != 0)
      fail(error, "connect");
  }
  co_return stream;
}

Task<Server> start_server(std::function<Task<void>(Stream)> handler, std::string host,
                          std::uint16_t port, int backlog) {
  Address address = co_await resolve(std::move(host), port);
  int fd = ::socket(address.storage.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0)
    fail(errno, "socket");
  int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address.storage), address.length) != 0 ||
      ::listen(fd, backlog) != 0) {
    int error = errno;
    ::close(fd);
    fail(error, "bind/listen");
  }
  sockaddr_storage bound{};
  socklen_t length = sizeof bound;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &length);
  const std::uint16_t bound_port =
      ntohs(bound.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port
                                        : reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
  auto accept =
      spawn(accept_loop(ListeningSocket(fd), std::make_shared<Handler>(std::move(handler))));
  co_return Server(std::move(accept), bound_port);
}

Server::~Server() {
  close();
}

void Server::close() noexcept {
  if (accept_loop_.valid() && !accept_loop_.done())
    accept_loop_.cancel();
}

} // namespace taskfit
