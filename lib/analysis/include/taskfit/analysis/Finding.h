//===- Finding.h - What a check reports -----------------------------------===//
#ifndef TASKFIT_ANALYSIS_FINDING_H
#define TASKFIT_ANALYSIS_FINDING_H

#include "taskfit/analysis/Facts.h"

#include <string>
#include <vector>

namespace taskfit {

enum class Level { Note, Warning, Error };

/// `note`, `warning`, `error`: the names every writer (text, JSON, SARIF) and
/// `--fail-level` use.
llvm::StringRef levelName(Level L);
std::optional<Level> parseLevel(llvm::StringRef Name);

/// How often a check's findings are right, as SARIF's `precision` property
/// states it: measured on the real-code corpora (docs/precision.md).
enum class PrecisionRating { VeryHigh, High, Medium, Low };

/// `very-high`, `high`, `medium`, `low`.
llvm::StringRef precisionName(PrecisionRating P);

/// One step of evidence: a location and what happens there.
struct FindingStep {
  SourceLoc Loc;
  std::string Message;
};

struct Finding {
  std::string CheckId;
  Level Severity = Level::Warning;
  SourceLoc Loc;
  std::string Message;
  /// The call chain from the primary location to the blocking call; the first
  /// step is the primary location itself.
  std::vector<FindingStep> Trace;
  /// Places that explain the finding off its chain: what holds a lock long,
  /// then where the context comes from (e.g. the `asio::post` that makes a
  /// lambda run on the event loop).
  std::vector<FindingStep> Context;
  /// Stable identity for baselines: the check, the file, the enclosing
  /// function and the API, never line numbers.
  std::string FingerprintKey;
  /// The hash of FingerprintKey and its ordinal among equal keys (Baseline.h).
  std::string Fingerprint;
};

/// An option a check reads from `check-options:` in the config.
struct CheckOption {
  std::string Name; ///< kebab-case, e.g. `ignored-apis`.
  std::string Description;
};

/// Metadata of a check, as SARIF's reportingDescriptor and --list-checks show it.
struct CheckInfo {
  std::string Id;
  std::string Name; ///< PascalCase, e.g. BlockingCallInCoroutine.
  Level DefaultLevel = Level::Warning;
  std::string ShortDescription;
  std::string FullDescription;
  std::string Help;
  std::vector<std::string> Tags;
  PrecisionRating Precision = PrecisionRating::Medium; ///< Unmeasured checks claim no more.
  std::vector<CheckOption> Options;                    ///< Every option it reads; no other is read.
};

} // namespace taskfit

#endif
