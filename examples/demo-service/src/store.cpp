#include "store.h"

namespace kv {

std::optional<std::string> Store::get(const std::string& key) const {
  auto it = entries_.find(key);
  if (it == entries_.end())
    return std::nullopt;
  return it->second;
}

void Store::put(std::string key, std::string value) {
  entries_.insert_or_assign(std::move(key), std::move(value));
}

} // namespace kv
