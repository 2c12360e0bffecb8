#include <chrono>
#include <gtest/gtest.h>
#include <string>
#include <sys/resource.h>
#include <system_error>
#include <taskfit/runtime.hpp>
#include <vector>

using namespace std::chrono_literals;

namespace {

taskfit::Task<void> echo(taskfit::Stream stream) {
  for (;;) {
    std::string data = co_await stream.read();
    if (data.empty())
      co_return;
    co_await stream.write(data);
  }
}

// Every backend the machine offers: io_uring falls back to epoll where it is not allowed.
class Tcp : public ::testing::TestWithParam<taskfit::EventLoop::Backend> {};

TEST_P(Tcp, EchoRoundTrip) {
  auto main = []() -> taskfit::Task<void> {
    auto server = co_await taskfit::start_server(echo, "127.0.0.1", 0);
    EXPECT_NE(server.port(), 0);
    auto client = co_await taskfit::open_connection("127.0.0.1", server.port());
    for (int i = 0; i < 100; ++i) {
      std::string message = "ping " + std::to_string(i) + "\n";
      co_await client.write(message);
      EXPECT_EQ(co_await client.read_line(), message);
    }
    client.shutdown_write();
    EXPECT_EQ(co_await client.read(), ""); // the server saw EOF and closed
  };
  taskfit::run(main(), {.backend = GetParam()});
}

TEST_P(Tcp, SmallReadsKeepWhatTheyDoNotReturnInOrder) {
  // Reads smaller than a burst get it piece by piece, in order, with nothing lost, whether the
  // burst is smaller or larger than what one read takes from the socket.
  auto main = []() -> taskfit::Task<void> {
    auto server = co_await taskfit::start_server(echo, "127.0.0.1", 0);
    auto client = co_await taskfit::open_connection("127.0.0.1", server.port());
    for (std::size_t size : {64u, 100u, 5000u, 70000u}) {
      std::string message(size, '\0');
      for (std::size_t i = 0; i < size; ++i)
        message[i] = static_cast<char>('a' + (i * 7 + size) % 26);
      co_await client.write(message);
      std::string received;
      char piece[10];
      while (received.size() < size) {
        std::size_t got = co_await client.read_some(piece);
        EXPECT_GT(got, 0u);
        if (got == 0)
          break;
        received.append(piece, got);
      }
      EXPECT_EQ(received, message) << size;
    }
  };
  taskfit::run(main(), {.backend = GetParam()});
}

TEST_P(Tcp, ReadExactlyAndLargeWrites) {
  auto main = []() -> taskfit::Task<void> {
    auto server = co_await taskfit::start_server(echo, "127.0.0.1", 0);
    auto client = co_await taskfit::open_connection("localhost", server.port());
    std::string big(4u << 20, 'x');
    for (std::size_t i = 0; i < big.size(); i += 4096)
      big[i] = static_cast<char>('a' + (i / 4096) % 26);
    // Write and read concurrently: 4 MiB does not fit in the socket buffers.
    auto writer =
        taskfit::spawn([](taskfit::Stream* client, const std::string* big) -> taskfit::Task<void> {
          co_await client->write(*big);
        }(&client, &big));
    std::string received = co_await client.read_exactly(big.size());
    co_await writer;
    EXPECT_TRUE(received == big);
    client.shutdown_write();
    EXPECT_THROW(co_await client.read_exactly(1), taskfit::IncompleteReadError);
  };
  taskfit::run(main(), {.backend = GetParam()});
}

TEST_P(Tcp, ThousandConcurrentConnectionsBoundedInTime) {
  rlimit limit{};
  ::getrlimit(RLIMIT_NOFILE, &limit);
  if (limit.rlim_cur < 2200 && limit.rlim_max >= 2200) {
    limit.rlim_cur = std::min<rlim_t>(limit.rlim_max, 4096);
    ::setrlimit(RLIMIT_NOFILE, &limit);
  }
  ::getrlimit(RLIMIT_NOFILE, &limit);
  if (limit.rlim_cur < 2200)
    GTEST_SKIP() << "needs 2200 file descriptors, the limit is " << limit.rlim_cur;

  auto main = []() -> taskfit::Task<std::size_t> {
    auto server = co_await taskfit::start_server(echo, "127.0.0.1", 0);
    auto client = [](std::uint16_t port, int id) -> taskfit::Task<bool> {
      auto stream = co_await taskfit::open_connection("127.0.0.1", port);
      std::string message = "client " + std::to_string(id) + "\n";
      for (int round = 0; round < 3; ++round) {
        co_await stream.write(message);
        if (co_await stream.read_line() != message)
          co_return false;
      }
      co_return true;
    };
    std::vector<taskfit::Task<bool>> clients;
    for (int id = 0; id < 1000; ++id)
      clients.push_back(client(server.port(), id));
    // Bounded: a lost wake-up fails the test instead of hanging it.
    auto results = co_await taskfit::wait_for(taskfit::gather(std::move(clients)), 60s);
    std::size_t ok = 0;
    for (bool result : results)
      ok += result;
    co_return ok;
  };
  EXPECT_EQ(taskfit::run(main(), {.backend = GetParam()}), 1000u);
}

TEST_P(Tcp, ConnectionRefusedIsASystemError) {
  auto main = []() -> taskfit::Task<void> {
    std::uint16_t port;
    {
      auto server = co_await taskfit::start_server(echo, "127.0.0.1", 0);
      port = server.port();
    }
    co_await taskfit::yield(); // the accept loop ends and closes the socket
    co_await taskfit::yield();
    EXPECT_THROW(co_await taskfit::open_connection("127.0.0.1", port), std::system_error);
  };
  taskfit::run(main(), {.backend = GetParam()});
}

TEST_P(Tcp, CancellingAReadLeavesTheStreamUsable) {
  auto main = []() -> taskfit::Task<void> {
    auto server = co_await taskfit::start_server(echo, "127.0.0.1", 0);
    auto client = co_await taskfit::open_connection("127.0.0.1", server.port());
    EXPECT_THROW(co_await taskfit::wait_for(client.read(), 2ms), taskfit::TimeoutError);
    co_await client.write("after\n");
    EXPECT_EQ(co_await client.read_line(), "after\n");
  };
  taskfit::run(main(), {.backend = GetParam()});
}

INSTANTIATE_TEST_SUITE_P(Backends, Tcp,
                         ::testing::Values(taskfit::EventLoop::Backend::epoll,
                                           taskfit::EventLoop::Backend::io_uring),
                         [](const auto& info) {
                           return info.param == taskfit::EventLoop::Backend::epoll ? "epoll"
                                                                                   : "io_uring";
                         });

} // namespace
