#include "store.h"

namespace kv {

std::optional<std::string> Store::get(const std::string& key) const {
  auto it = entries_.find(key);
  if (it == entries_.end())
    return std::nullopt;
  return it->second;
}

std::uint64_t Store::digest() const {
  std::uint64_t hash = 1469598103934665603ull; // FNV-1a over every byte of the store.
  for (const auto& [key, value] : entries_) {
    for (char c : key + '=' + value) {
      hash ^= static_cast<unsigned char>(c);
      hash *= 1099511628211ull;
    }
  }
  return hash;
}

void Store::put(std::string key, std::string value) {
  entries_.insert_or_assign(std::move(key), std::move(value));
}

} // namespace kv
