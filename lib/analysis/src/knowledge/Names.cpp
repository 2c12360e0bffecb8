//===- Names.cpp ----------------------------------------------------------===//

#include "knowledge/Names.h"

#include <string>

namespace taskfit {

bool globMatch(llvm::StringRef Pattern, llvm::StringRef Name) {
  // Iterative wildcard match with single-star backtracking.
  size_t P = 0, N = 0, Star = llvm::StringRef::npos, Mark = 0;
  while (N < Name.size()) {
    if (P < Pattern.size() && Pattern[P] == '*') {
      Star = P++;
      Mark = N;
    } else if (P < Pattern.size() && Pattern[P] == Name[N]) {
      ++P;
      ++N;
    } else if (Star != llvm::StringRef::npos) {
      P = Star + 1;
      N = ++Mark;
    } else {
      return false;
    }
  }
  while (P < Pattern.size() && Pattern[P] == '*')
    ++P;
  return P == Pattern.size();
}

bool matchesAny(const std::vector<std::string>& Patterns, llvm::StringRef Name) {
  for (const std::string& Pattern : Patterns)
    if (globMatch(Pattern, Name))
      return true;
  return false;
}

} // namespace taskfit
