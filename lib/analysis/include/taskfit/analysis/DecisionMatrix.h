//===- DecisionMatrix.h - Which model fits which work, as data ------------===//
#ifndef TASKFIT_ANALYSIS_DECISIONMATRIX_H
#define TASKFIT_ANALYSIS_DECISIONMATRIX_H

#include "llvm/Support/Error.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace taskfit {

/// How many tasks a site creates: a count, or unknown. Unbounded is INT64_MAX.
struct Volume {
  std::optional<int64_t> Count;

  static constexpr int64_t Unbounded = INT64_MAX;
};

/// What the matrix needs to know about a task site.
struct WorkProfile {
  std::string Class; ///< cpu, io, mixed, trivial.
  Volume Tasks;
  bool SerialisablePayload = false;
  bool CallerAsync = false;
};

struct MatrixRow {
  // When: every condition set must hold.
  std::string Class;
  /// Any of these volume ranges; empty means any volume. A range with no
  /// bounds and Unknown set matches an unknown volume.
  struct Range {
    bool Unknown = false;
    std::optional<int64_t> Min, Max; ///< Inclusive.
  };
  std::vector<Range> Volumes;
  std::string Payload; ///< "", serialisable, shares-memory.
  std::string Caller;  ///< "", async, sync.
  // Then.
  std::string Recommended, Alternative, Api, AlternativeApi, Reason;
  std::string Origin; ///< file:line, for reports.

  bool matches(const WorkProfile& W) const;
};

class DecisionMatrix {
public:
  /// Loads a matrix file; rows of later files are tried after earlier ones'.
  llvm::Error loadFile(llvm::StringRef Path);
  llvm::Error loadString(llvm::StringRef Text, llvm::StringRef Path);

  /// The first matching row, or null when no row matches.
  const MatrixRow* decide(const WorkProfile& W) const;

  /// low, medium, high or unknown, by the matrix's volume levels.
  std::string volumeLevel(const Volume& V) const;

  const std::vector<MatrixRow>& rows() const { return Rows; }

private:
  std::vector<MatrixRow> Rows;
  int64_t LowBelow = 100, HighAbove = 1000;
};

} // namespace taskfit

#endif
