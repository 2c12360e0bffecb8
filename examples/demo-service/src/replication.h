#pragma once

#include <cstdint>
#include <string>

namespace kv {

/// One change to the store, as sent to the replica process.
struct Change {
  std::uint64_t sequence = 0;
  std::string key;
  std::string value;
};

/// Tells the replica the primary is alive.
struct Heartbeat {
  std::uint64_t sequence = 0;
  std::int64_t unix_millis = 0;
};

/// Ships changes to a replica process over a pipe (a FIFO path given on the
/// command line). Synchronous: call it from the background pool.
class ReplicationLog {
public:
  explicit ReplicationLog(const char* fifo_path);
  ~ReplicationLog();
  void ship(const Change& change);
  void ship(const Heartbeat& beat);

private:
  int fd_ = -1;
};

} // namespace kv
