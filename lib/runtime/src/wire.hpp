// Framing between the pool and its workers over a stream socket. Internal.
#pragma once

#include <cstdint>

namespace taskfit::detail {

enum class FrameKind : std::uint32_t {
  task = 1,        // pool -> worker: invoker address + serialized arguments
  result = 2,      // worker -> pool: serialized result
  error = 3,       // worker -> pool: exception type name \0 message
  init_failed = 4, // worker -> pool: the initializer threw (type \0 message); the worker exits
};

struct FrameHeader {
  FrameKind kind;
  std::uint32_t reserved;
  std::uint64_t invoker; // task frames only
  std::uint64_t size;    // payload bytes that follow
};
static_assert(sizeof(FrameHeader) == 24);

// Worker side of the pool: never returns.
// `progress` is a memfd the worker maps to count the tasks it has started.
[[noreturn]] void run_worker(int channel, int progress, void (*initializer)(),
                             std::uint64_t max_tasks);

} // namespace taskfit::detail
