//===- NolintFilter.h - clang-tidy's NOLINT grammar -----------------------===//
//
//   call();  // NOLINT                      every check, this line
//   call();  // NOLINT(blocking-*)          the listed checks (globs), this line
//   // NOLINTNEXTLINE(blocking-call-in-coroutine)
//   // NOLINTBEGIN(blocking-*) ... // NOLINTEND(blocking-*)
//
//===----------------------------------------------------------------------===//
#ifndef TASKFIT_ANALYSIS_FILTER_NOLINTFILTER_H
#define TASKFIT_ANALYSIS_FILTER_NOLINTFILTER_H

#include "taskfit/analysis/Finding.h"
#include "taskfit/analysis/SourceFiles.h"

#include "llvm/ADT/StringMap.h"

#include <set>
#include <tuple>

namespace taskfit {

/// A NOLINT marker that suppressed nothing in this run.
struct UnusedSuppression {
  SourceLoc Loc;
  std::string Text; ///< The marker as written, e.g. `NOLINTNEXTLINE(blocking-*)`.
};

class NolintFilter {
public:
  explicit NolintFilter(SourceFiles& Files) : Files(Files) {}
  /// Whether a marker covers the finding; every such marker is marked used.
  bool suppressed(const Finding& F);
  /// The markers in File that name one of CheckIds (explicitly or by a glob
  /// other than `*`) and covered no finding.
  std::vector<UnusedSuppression> unused(llvm::StringRef File, llvm::ArrayRef<std::string> CheckIds);

private:
  struct Range {
    unsigned Begin, End;
    unsigned Column;                 ///< Of the NOLINTBEGIN.
    std::vector<std::string> Checks; ///< Empty: every check.
  };
  const std::vector<Range>& blockRanges(llvm::StringRef File);

  SourceFiles& Files;
  llvm::StringMap<std::vector<Range>> Blocks;
  std::set<std::tuple<std::string, unsigned, unsigned>> Used; ///< File, line, column.
};

} // namespace taskfit

#endif
