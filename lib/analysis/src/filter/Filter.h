//===- Filter.h - The filter stage: what of the checks' findings is shown --===//
//
// Findings are sorted by location; then per finding: NOLINT markers (even for
// checks a config disables: the marker is in use), the check selection of the
// config that governs its file, duplicates (a template's instantiations, a
// header included by many TUs), and last the baseline.
//
//===----------------------------------------------------------------------===//
#ifndef TASKFIT_ANALYSIS_FILTER_FILTER_H
#define TASKFIT_ANALYSIS_FILTER_FILTER_H

#include "filter/Baseline.h"
#include "filter/NolintFilter.h"
#include "taskfit/analysis/Config.h"

#include <functional>
#include <optional>
#include <set>

namespace taskfit {

/// The suppressions that matched nothing, for the unused-suppression check.
struct SuppressionUse {
  std::vector<UnusedSuppression> Markers;     ///< NOLINT markers, in file order.
  std::vector<BaselineEntry> BaselineEntries; ///< Baseline entries, in file order.
};

struct FilterInput {
  SourceFiles& Files;
  /// The config for a file, as Facts name it.
  std::function<const Config&(llvm::StringRef File)> ConfigFor;
  /// Whether a check runs on files of a config.
  std::function<bool(const Config&, llvm::StringRef CheckId)> CheckEnabled;
  std::optional<Baseline> Accepted; ///< `--baseline`.
  std::string UpdateBaselineFile;   ///< `--update-baseline`: written from what is kept.
  /// Whether to list the suppressions that matched nothing: NOLINT markers of
  /// FilesRead naming one of CheckIds, and baseline entries.
  bool ListUnused = false;
  std::set<std::string> FilesRead;
  std::vector<std::string> CheckIds;
};

struct FilterResult {
  std::vector<Finding> Kept; ///< Sorted by location, with fingerprints.
  size_t Baselined = 0;      ///< Left out because the baseline has them, or written to it.
  SuppressionUse Unused;
};

/// Sorts, filters and fingerprints the findings. Errors: the baseline could
/// not be written.
llvm::Expected<FilterResult> filterFindings(std::vector<Finding> Findings, FilterInput& In);

/// The order of findings in every output: location, then check, then message.
bool findingOrder(const Finding& A, const Finding& B);

} // namespace taskfit

#endif
