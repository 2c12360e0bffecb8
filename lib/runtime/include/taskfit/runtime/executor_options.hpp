// The options of the calls every executor has (ThreadPool, ProcessPool), as Python's Executor
// gives shutdown() and map() the same parameters whatever runs the work.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>

namespace taskfit {

struct ShutdownOptions {
  bool wait = true;            // join the workers (and their running work) before returning
  bool cancel_futures = false; // cancel work that has not started yet
};

struct MapOptions {
  std::size_t chunksize = 1; // inputs per submitted task; bigger amortises per-task overhead
  std::optional<std::chrono::nanoseconds> timeout; // for all results; TimeoutError when exceeded
};

} // namespace taskfit
