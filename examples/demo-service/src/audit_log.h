#pragma once

#include <string>

namespace kv {

/// Appends one line per event to a file. Synchronous by design: call it from
/// a thread that may block, never from the event loop.
class AuditLog {
public:
  explicit AuditLog(std::string path) : path_(std::move(path)) {}
  void append(const std::string& line);

private:
  std::string path_;
};

} // namespace kv
