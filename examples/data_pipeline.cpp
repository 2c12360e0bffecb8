// The decision tree's "mixed workload" scenario: fetch from several endpoints concurrently
// (event loop), process the data in a process pool (CPU), save the result (blocking file I/O on a
// thread so the loop never blocks).
#include "workloads.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <string>
#include <vector>

namespace {

// A local "API": answers a number n with n comma-separated readings.
taskfit::Task<void> serve_readings(taskfit::Stream stream) {
  std::string request = co_await stream.read_line();
  int count = request.empty() ? 0 : std::stoi(request);
  std::string body;
  for (int i = 0; i < count; ++i)
    body += std::to_string((i * 37) % 101) + (i + 1 < count ? "," : "");
  co_await stream.write(body + "\n");
}

taskfit::Task<std::string> fetch_data(std::uint16_t port, int endpoint) {
  auto stream = co_await taskfit::open_connection("127.0.0.1", port);
  co_await stream.write(std::to_string(1000 * (endpoint + 1)) + "\n");
  co_return co_await stream.read_line();
}

// CPU step: parse and reduce one endpoint's data.
long process_data_chunk(std::string raw) {
  long sum = 0;
  std::size_t start = 0;
  while (start < raw.size()) {
    std::size_t end = raw.find_first_of(",\n", start);
    if (end == std::string::npos)
      end = raw.size();
    if (end > start)
      sum += std::stol(raw.substr(start, end - start));
    start = end + 1;
  }
  return sum;
}

void save_results(const std::string& path, const std::vector<long>& results) {
  std::ofstream out(path);
  out << "[";
  for (std::size_t i = 0; i < results.size(); ++i)
    out << (i ? "," : "") << results[i];
  out << "]\n";
}

taskfit::Task<long> data_pipeline(taskfit::ProcessPool& pool) {
  auto server = co_await taskfit::start_server(serve_readings, "127.0.0.1", 0);
  // Step 1: fetch (I/O-bound: the event loop).
  std::vector<taskfit::Task<std::string>> fetches;
  for (int endpoint = 0; endpoint < 4; ++endpoint)
    fetches.push_back(fetch_data(server.port(), endpoint));
  std::vector<std::string> raw_data = co_await taskfit::gather(std::move(fetches));
  // Step 2: process (CPU-bound: the process pool, awaited without blocking the loop).
  std::vector<taskfit::Task<long>> processing;
  for (std::string& raw : raw_data)
    processing.push_back([](taskfit::ProcessPool* pool, std::string raw) -> taskfit::Task<long> {
      co_return co_await taskfit::run_in_executor<&process_data_chunk>(*pool, std::move(raw));
    }(&pool, std::move(raw)));
  std::vector<long> processed = co_await taskfit::gather(std::move(processing));
  // Step 3: save (blocking file I/O: a thread).
  const std::string path =
      (std::filesystem::temp_directory_path() / "taskfit-data-pipeline.json").string();
  co_await taskfit::to_thread(save_results, path, processed);
  std::filesystem::remove(path);
  co_return std::accumulate(processed.begin(), processed.end(), 0L);
}

} // namespace

int main() {
  auto fork_server = taskfit::ForkServer::start();
  taskfit::ProcessPool pool({.max_workers = 2, .fork_server = fork_server});
  long total = taskfit::run(data_pipeline(pool));
  std::printf("pipeline total: %ld\n", total);
  return total > 0 ? 0 : 1;
}
