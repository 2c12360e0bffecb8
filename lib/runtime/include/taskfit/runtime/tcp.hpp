// TCP streams for the event loop (asyncio.open_connection / start_server): non-blocking sockets
// whose reads and writes suspend the task, never the loop.
#pragma once

#include "taskfit/runtime/detail/io_registration.hpp"
#include "taskfit/runtime/event_loop.hpp"
#include "taskfit/runtime/task.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace taskfit {

class Stream;
class Server;
// Connects to host:port; host is a numeric address or a name (resolved on a worker thread so the
// loop does not block in getaddrinfo).
Task<Stream> open_connection(std::string host, std::uint16_t port);
// Binds host:port (port 0: any free port, see Server::port()) and starts accepting; every
// connection runs handler(stream) as its own task. Use 127.0.0.1 for anything local.
Task<Server> start_server(std::function<Task<void>(Stream)> handler, std::string host,
                          std::uint16_t port, int backlog = 4096);

// A connected TCP socket. Errors are std::system_error; a peer that goes away mid-write is
// std::system_error(EPIPE / ECONNRESET).
class Stream {
public:
  explicit Stream(int fd); // takes ownership of a connected socket; made non-blocking
  Stream(Stream&& other) noexcept;
  Stream& operator=(Stream&& other) noexcept;
  Stream(const Stream&) = delete;
  Stream& operator=(const Stream&) = delete;
  ~Stream(); // close()

  // Up to buffer.size() bytes as soon as any are available; 0 at end of stream.
  Task<std::size_t> read_some(std::span<char> buffer);
  // Up to max_bytes bytes (asyncio's reader.read(n)); empty at end of stream.
  Task<std::string> read(std::size_t max_bytes = 64 * 1024);
  // Exactly `size` bytes, or IncompleteReadError at end of stream.
  Task<std::string> read_exactly(std::size_t size);
  // Through the next '\n' (included); what is left at end of stream; empty when nothing is.
  Task<std::string> read_line();
  // Writes all of `data` (the caller keeps it alive until the await completes).
  Task<void> write(std::string_view data);
  // Half-close: the peer reads end of stream, this side can still read.
  void shutdown_write() noexcept;
  void close() noexcept;

  bool is_open() const noexcept { return fd_ >= 0; }
  // The socket. Bytes already read ahead (read_line, read_exactly, and a read_some smaller than
  // 4 KiB keep what they did not return) are not in it any more.
  int native_handle() const noexcept { return fd_; }

private:
  friend Task<Stream> open_connection(std::string host, std::uint16_t port);
  std::size_t take_buffered(std::span<char> into) noexcept;

  int fd_ = -1;
  std::unique_ptr<detail::IoRegistration> registration_;
  std::string buffered_;          // read ahead (read_line, read_exactly, small read_some)
  std::vector<char> read_buffer_; // reused by read(): no allocation and zero-fill per call
  std::vector<char> stage_;       // small reads: see read_some
  static constexpr std::size_t small_read_size = 4096;
};

// A listening socket whose accept loop spawns handler(stream) for every connection.
class Server {
public:
  Server(Server&& other) noexcept = default;
  Server& operator=(Server&& other) noexcept = default;
  ~Server(); // close()

  std::uint16_t port() const noexcept { return port_; }
  // Stops accepting; connections already handed to handlers keep running.
  void close() noexcept;

private:
  friend Task<Server> start_server(std::function<Task<void>(Stream)> handler, std::string host,
                                   std::uint16_t port, int backlog);
  Server(TaskHandle<void> accept_loop, std::uint16_t port) noexcept
      : accept_loop_(std::move(accept_loop)), port_(port) {}
  TaskHandle<void> accept_loop_;
  std::uint16_t port_ = 0;
};

} // namespace taskfit
