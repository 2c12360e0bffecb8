// seeds/003 "Handling errors in async code": gather with return_exceptions keeps every outcome.
#include "workloads.hpp"

#include <cstdio>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

taskfit::Task<std::string> unreliable_task(int task_id, bool fails) {
  co_await taskfit::sleep(examples::io_delay());
  if (fails)
    throw std::runtime_error("Task " + std::to_string(task_id) + " failed!");
  co_return "Task " + std::to_string(task_id) + " succeeded";
}

taskfit::Task<int> handle_task_errors() {
  std::mt19937 random(42); // seeded: the run is reproducible
  std::bernoulli_distribution fails(0.3);
  std::vector<taskfit::Task<std::string>> tasks;
  for (int i = 0; i < 10; ++i)
    tasks.push_back(unreliable_task(i, fails(random)));
  auto results = co_await taskfit::gather(taskfit::return_exceptions, std::move(tasks));
  int failures = 0;
  for (std::size_t i = 0; i < results.size(); ++i) {
    if (results[i].has_value()) {
      std::printf("Task %zu: %s\n", i, results[i].value().c_str());
    } else {
      ++failures;
      try {
        std::rethrow_exception(results[i].error());
      } catch (const std::exception& error) {
        std::printf("Task %zu: Failed - %s\n", i, error.what());
      }
    }
  }
  co_return failures;
}

} // namespace

int main() {
  int failures = taskfit::run(handle_task_errors());
  std::printf("%d of 10 tasks failed\n", failures);
  return 0;
}
