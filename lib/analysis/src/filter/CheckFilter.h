//===- CheckFilter.h - clang-tidy's check selection -----------------------===//
#ifndef TASKFIT_ANALYSIS_FILTER_CHECKFILTER_H
#define TASKFIT_ANALYSIS_FILTER_CHECKFILTER_H

#include "llvm/ADT/StringRef.h"

#include <string>
#include <vector>

namespace taskfit {

/// `-*,blocking-*,-blocking-call-on-event-loop`: globs applied in order, the
/// last that matches a check id decides.
class CheckFilter {
public:
  explicit CheckFilter(llvm::StringRef Globs);
  CheckFilter(llvm::StringRef Base, llvm::StringRef Override); ///< Override's globs apply last.
  bool enabled(llvm::StringRef CheckId) const;

private:
  std::vector<std::pair<bool, std::string>> Globs; ///< (enable?, pattern), later wins.
};

} // namespace taskfit

#endif
