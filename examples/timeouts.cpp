// seeds/003 "Timeouts and cancellation": wait_for cancels a slow operation, which sees
// CancelledError at its suspension point and may clean up, then the caller gets TimeoutError.
#include "workloads.hpp"

#include <cstdio>
#include <string>

namespace {

taskfit::Task<std::string> slow_operation(bool& saw_cancellation) {
  try {
    std::printf("Starting slow operation...\n");
    co_await taskfit::sleep(std::chrono::seconds(5)); // simulates slow work
    std::printf("Slow operation completed\n");
    co_return "Success";
  } catch (const taskfit::CancelledError&) {
    std::printf("Operation was cancelled\n");
    saw_cancellation = true;
    throw;
  }
}

taskfit::Task<bool> demonstrate_timeouts() {
  bool saw_cancellation = false;
  try {
    // Wait at most 20 ms (the seed waits 2 s for a 5 s operation).
    std::string result =
        co_await taskfit::wait_for(slow_operation(saw_cancellation), std::chrono::milliseconds(20));
    std::printf("Result: %s\n", result.c_str());
  } catch (const taskfit::TimeoutError&) {
    std::printf("Operation timed out!\n");
    co_return saw_cancellation;
  }
  co_return false;
}

} // namespace

int main() {
  return taskfit::run(demonstrate_timeouts()) ? 0 : 1;
}
