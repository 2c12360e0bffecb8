//===- Baseline.h - Fingerprints, and the findings a team has accepted ----===//
//
// A finding's fingerprint hashes its check, file, enclosing function and API
// (Finding::FingerprintKey), never a line or column, plus its ordinal among
// findings with the same key. Code moved up or down, or edits to unrelated
// lines, leave it unchanged; renaming the function or moving the call to
// another function or file changes it.
//
// A baseline file lists fingerprints (with the check, file, line and message
// for the humans who review it). `--baseline` reports only findings absent
// from it; `--update-baseline` writes it from the current findings.
//
//===----------------------------------------------------------------------===//
#ifndef TASKFIT_ANALYSIS_FILTER_BASELINE_H
#define TASKFIT_ANALYSIS_FILTER_BASELINE_H

#include "taskfit/analysis/Finding.h"

#include "llvm/Support/Error.h"

#include <map>

namespace taskfit {

/// Sets Finding::Fingerprint on findings sorted by location.
void assignFingerprints(std::vector<Finding>& Findings);

struct BaselineEntry {
  std::string Fingerprint;
  std::string CheckId;
  SourceLoc Loc; ///< Where the finding was when the baseline was written.
  std::string Message;
};

class Baseline {
public:
  /// Reads a baseline file; errors name the file and what is wrong.
  static llvm::Expected<Baseline> load(llvm::StringRef Path);
  static Baseline fromFindings(const std::vector<Finding>& Findings);
  llvm::Error save(llvm::StringRef Path) const;

  /// Whether the finding is in the baseline; marks its entry used.
  bool accepts(const Finding& F);
  /// Entries no finding matched, in file order.
  std::vector<BaselineEntry> unused() const;

  size_t size() const { return Entries.size(); }

private:
  std::vector<BaselineEntry> Entries;
  std::map<std::string, size_t> ByFingerprint;
  std::vector<bool> Used;
};

} // namespace taskfit

#endif
