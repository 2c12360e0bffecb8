// A loopback server that answers each request line after a delay (the seeds' httpbin.org/delay/1,
// without the internet), running its own event loop on a background thread, and a blocking
// client for the sequential and threaded variants.
#pragma once

#include <arpa/inet.h>
#include <chrono>
#include <future>
#include <netinet/in.h>
#include <stdexcept>
#include <string>
#include <sys/socket.h>
#include <taskfit/runtime.hpp>
#include <thread>
#include <unistd.h>

namespace examples {

class DelayServer {
public:
  explicit DelayServer(std::chrono::milliseconds delay) : delay_(delay) {
    std::promise<std::uint16_t> bound;
    auto port = bound.get_future();
    thread_ = std::thread([this, &bound] {
      taskfit::EventLoop loop;
      loop_ = &loop;
      auto main = [](DelayServer* self, std::promise<std::uint16_t>* bound) -> taskfit::Task<void> {
        auto handler = [delay = self->delay_](taskfit::Stream stream) -> taskfit::Task<void> {
          for (;;) {
            std::string request = co_await stream.read_line();
            if (request.empty())
              co_return;
            co_await taskfit::sleep(delay);
            co_await stream.write("ok " + request);
          }
        };
        auto server = co_await taskfit::start_server(handler, "127.0.0.1", 0);
        bound->set_value(server.port());
        co_await self->stopped_.wait();
      };
      loop.run_until_complete(main(this, &bound));
      loop.cancel_all_and_wait();
    });
    port_ = port.get();
  }
  ~DelayServer() {
    loop_->call_soon_threadsafe([this] { stopped_.set(); });
    thread_.join();
  }
  std::uint16_t port() const { return port_; }

private:
  std::chrono::milliseconds delay_;
  std::thread thread_;
  taskfit::EventLoop* loop_ = nullptr;
  taskfit::Event stopped_;
  std::uint16_t port_ = 0;
};

// One request with plain blocking sockets (what a synchronous HTTP client does).
inline std::size_t blocking_request(std::uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd);
    throw std::runtime_error("connect failed");
  }
  const std::string request = "GET /delay\n";
  ::send(fd, request.data(), request.size(), MSG_NOSIGNAL);
  std::string response;
  char buffer[256];
  while (response.find('\n') == std::string::npos) {
    ssize_t got = ::recv(fd, buffer, sizeof buffer, 0);
    if (got <= 0)
      break;
    response.append(buffer, static_cast<std::size_t>(got));
  }
  ::close(fd);
  return response.size();
}

inline taskfit::Task<std::size_t> async_request(std::uint16_t port) {
  auto stream = co_await taskfit::open_connection("127.0.0.1", port);
  co_await stream.write("GET /delay\n");
  co_return (co_await stream.read_line()).size();
}

} // namespace examples
