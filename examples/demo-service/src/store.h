// An in-memory key-value store. It lives on the io_context's thread, so it
// needs no lock: every access happens from that one thread.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace kv {

class Store {
public:
  std::optional<std::string> get(const std::string& key) const;
  void put(std::string key, std::string value);
  std::size_t size() const { return entries_.size(); }
  /// A checksum of every key and value, for clients that verify a replica.
  std::uint64_t digest() const;

private:
  std::map<std::string, std::string> entries_;
};

} // namespace kv
