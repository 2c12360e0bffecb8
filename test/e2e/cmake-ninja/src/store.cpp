#include "store.h"

#include <fstream>

namespace ledger {
void Store::put(const std::string& key, long amount) {
  std::ofstream journal("ledger.journal", std::ios::app);
  journal << key << ' ' << amount << '\n';
  balances_[key] += amount;
}

long Store::balance(const std::string& key) const {
  auto it = balances_.find(key);
  return it == balances_.end() ? 0 : it->second;
}
} // namespace ledger
