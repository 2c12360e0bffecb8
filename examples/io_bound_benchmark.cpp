// seeds/003 benchmark_io_bound: 4 requests to a server that answers after a delay (1 s, like
// httpbin.org/delay/1, but on loopback), sequential vs threads vs asyncio-style event loop.
// TASKFIT_EXAMPLE_IO_MS overrides the delay.
#include "delay_server.hpp"
#include "workloads.hpp"

#include <cstdio>
#include <cstdlib>
#include <vector>

int main() {
  const char* configured = std::getenv("TASKFIT_EXAMPLE_IO_MS");
  const auto delay = std::chrono::milliseconds(configured ? std::atoi(configured) : 1000);
  examples::DelayServer server(delay);
  const int requests = 4;
  std::printf("I/O-BOUND TASK BENCHMARK (%d requests, server delay %lld ms)\n", requests,
              static_cast<long long>(delay.count()));
  std::printf("========================================\n");

  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < requests; ++i)
    examples::blocking_request(server.port());
  const double sequential_time = examples::seconds_since(start);
  std::printf("Sequential: %.3fs\n", sequential_time);

  start = std::chrono::steady_clock::now();
  {
    taskfit::ThreadPool pool;
    std::vector<std::uint16_t> ports(requests, server.port());
    pool.map(examples::blocking_request, ports);
  }
  const double threading_time = examples::seconds_since(start);
  std::printf("Threading: %.3fs (%.2fx)\n", threading_time, threading_time / sequential_time);

  start = std::chrono::steady_clock::now();
  auto results = taskfit::run([](std::uint16_t port, int requests) -> taskfit::Task<std::size_t> {
    std::vector<taskfit::Task<std::size_t>> tasks;
    for (int i = 0; i < requests; ++i)
      tasks.push_back(examples::async_request(port));
    std::size_t total = 0;
    for (std::size_t size : co_await taskfit::gather(std::move(tasks)))
      total += size;
    co_return total;
  }(server.port(), requests));
  const double async_time = examples::seconds_since(start);
  std::printf("Asyncio: %.3fs (%.2fx)\n", async_time, async_time / sequential_time);
  return results > 0 ? 0 : 1; // timings are printed, never asserted
}
