// The decision tree's "web scraping" scenario (I/O-bound, many requests): an event loop client
// fetching 200 pages concurrently from a local HTTP-like server, at most 50 in flight at once.
// Loopback only: the server is part of the example.
#include "workloads.hpp"

#include <cstdio>
#include <string>
#include <vector>

namespace {

// Answers one request line with a page after a simulated backend delay.
taskfit::Task<void> serve_page(taskfit::Stream stream) {
  for (;;) {
    std::string request = co_await stream.read_line();
    if (request.empty())
      co_return;
    co_await taskfit::sleep(std::chrono::milliseconds(5));
    std::string body = "<html>" + request.substr(0, request.size() - 1) + "</html>";
    co_await stream.write(std::to_string(body.size()) + "\n" + body);
  }
}

taskfit::Task<std::size_t> fetch_page(std::uint16_t port, int page, taskfit::Semaphore& limit) {
  auto slot = co_await limit.scoped(); // a polite client: bounded concurrency
  auto stream = co_await taskfit::open_connection("127.0.0.1", port);
  co_await stream.write("GET /page/" + std::to_string(page) + "\n");
  std::string length = co_await stream.read_line();
  std::string body = co_await stream.read_exactly(std::stoul(length));
  co_return body.size();
}

taskfit::Task<std::size_t> scrape_websites() {
  auto server = co_await taskfit::start_server(serve_page, "127.0.0.1", 0);
  taskfit::Semaphore limit(50);
  std::vector<taskfit::Task<std::size_t>> fetches;
  for (int page = 0; page < 200; ++page)
    fetches.push_back(fetch_page(server.port(), page, limit));
  const auto start = std::chrono::steady_clock::now();
  auto sizes = co_await taskfit::gather(std::move(fetches));
  std::size_t total = 0;
  for (std::size_t size : sizes)
    total += size;
  std::printf("fetched %zu pages, %zu bytes, in %.3f s\n", sizes.size(), total,
              examples::seconds_since(start));
  co_return sizes.size();
}

} // namespace

int main() {
  return taskfit::run(scrape_websites()) == 200 ? 0 : 1;
}
