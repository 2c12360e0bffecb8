//===- CheckFilter.cpp ----------------------------------------------------===//

#include "filter/CheckFilter.h"

#include "knowledge/Names.h"

#include "llvm/ADT/SmallVector.h"

namespace taskfit {

static void addGlobs(std::vector<std::pair<bool, std::string>>& Out, llvm::StringRef Globs) {
  llvm::SmallVector<llvm::StringRef, 8> Parts;
  Globs.split(Parts, ',', -1, false);
  for (llvm::StringRef Part : Parts) {
    Part = Part.trim();
    if (Part.empty())
      continue;
    bool Enable = !Part.consume_front("-");
    Out.emplace_back(Enable, Part.trim().str());
  }
}

CheckFilter::CheckFilter(llvm::StringRef G) {
  addGlobs(Globs, G);
}

CheckFilter::CheckFilter(llvm::StringRef Base, llvm::StringRef Override) {
  addGlobs(Globs, Base);
  addGlobs(Globs, Override);
}

bool CheckFilter::enabled(llvm::StringRef CheckId) const {
  bool Enabled = false;
  for (const auto& [Enable, Pattern] : Globs)
    if (globMatch(Pattern, CheckId))
      Enabled = Enable;
  return Enabled;
}

} // namespace taskfit
