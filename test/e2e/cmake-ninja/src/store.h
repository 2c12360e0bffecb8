#pragma once
#include <map>
#include <string>

namespace ledger {
class Store {
public:
  // Appends to the journal file before updating the map.
  void put(const std::string& key, long amount);
  long balance(const std::string& key) const;

private:
  std::map<std::string, long> balances_;
};
} // namespace ledger
