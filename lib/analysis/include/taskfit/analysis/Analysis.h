//===- Analysis.h - The pipeline: extract -> link -> propagate -> check ----===//
#ifndef TASKFIT_ANALYSIS_ANALYSIS_H
#define TASKFIT_ANALYSIS_ANALYSIS_H

#include "taskfit/analysis/CompileCommands.h"
#include "taskfit/analysis/Finding.h"
#include "taskfit/analysis/Workload.h"

#include <chrono>
#include <functional>
#include <memory>
#include <optional>

namespace taskfit {

class ForkServer;

/// One TU done (extracted or found in the cache), for progress output.
struct ExtractionProgress {
  size_t Done = 0, Total = 0;
  llvm::StringRef File;
  bool Cached = false;
  bool Failed = false;
};

/// `--shard I/N`: the I-th of N round-robin slices of the sorted jobs (1-based).
struct Shard {
  unsigned Index = 1, Count = 1;
};

struct AnalysisOptions {
  CompileJobRequest Jobs;
  std::string RulesDir;                ///< Default packs.
  std::vector<std::string> ExtraRules; ///< `--rules`, after the defaults.
  std::string ConfigFile;              ///< `--config`: one config for every file.
  std::string Checks;                  ///< `--checks`, applied after the config's.
  std::string SourceRoot;              ///< Empty: the repository holding the database.
  std::string ResourceDir;
  Shard Slice;

  // Extraction.
  unsigned Workers = 1; ///< `-j`: worker processes.
  std::optional<std::chrono::milliseconds> TuTimeout;
  std::shared_ptr<ForkServer> Server; ///< Started early in main(); null: started on demand.
  std::string CacheDir;               ///< `--cache-dir`; empty: no cache.
  std::string ToolIdentity;           ///< The tool's build, for cache keys.
  /// Called on the calling thread as each TU finishes.
  std::function<void(const ExtractionProgress&)> OnTranslationUnit;

  // Reporting.
  std::string BaselineFile;       ///< `--baseline`: report only findings absent from it.
  std::string UpdateBaselineFile; ///< `--update-baseline`: write it from this run.
  bool ReportUnusedSuppressions = false;
};

/// Where the time went and what the cache saved (`--verbose`).
struct AnalysisStats {
  double ExtractSeconds = 0, LinkSeconds = 0, PropagateSeconds = 0, CheckSeconds = 0;
  size_t CachedTranslationUnits = 0;
  std::vector<std::string> Warnings; ///< Non-fatal: a cache entry not written, ...
};

/// A TU that could not be analysed.
struct TUFailure {
  std::string File;
  std::vector<ParseDiagnostic> Errors;
};

struct AnalysisResult {
  std::string SourceRoot;
  std::vector<Finding> Findings; ///< Filtered, deduplicated, sorted by location.
  std::vector<TUFailure> Failures;
  std::vector<CheckInfo> Checks; ///< The checks that ran (SARIF rules).
  size_t TranslationUnits = 0;
  /// The workload report: every task site, classified, with the matrix's advice.
  std::vector<TaskSite> Tasks;
  std::shared_ptr<const DecisionMatrix> Matrix; ///< Keeps the rows Tasks point at.
  size_t BaselinedFindings = 0;                 ///< Left out because the baseline has them.
  AnalysisStats Stats;
};

/// The first half of the pipeline: every selected TU's facts, from the cache
/// or extracted, in file order, failed TUs included (Complete == false).
struct ExtractionOutcome {
  std::string SourceRoot;
  std::vector<TUFacts> TranslationUnits;
  /// The rule packs and configs the facts depend on, besides each TU's inputs.
  std::vector<std::string> ShapingFiles;
  AnalysisStats Stats;
};
llvm::Expected<ExtractionOutcome> extractAll(const AnalysisOptions& Options);

/// The second half: link, propagate, check, filter (checks, NOLINT,
/// duplicates, baseline). `taskfit link` starts here with facts from files.
llvm::Expected<AnalysisResult> analyseFacts(ExtractionOutcome Extracted,
                                            const AnalysisOptions& Options);

/// Both halves. Errors are usage or configuration errors (exit 3); TUs that
/// fail to parse are Failures, and the run goes on.
llvm::Expected<AnalysisResult> runAnalysis(const AnalysisOptions& Options);

/// The source root of a run: Options.SourceRoot, else the repository holding
/// the compilation database (or the working directory).
std::string resolveSourceRoot(const AnalysisOptions& Options);

/// The folder findings' paths are relative to: the nearest ancestor of Start
/// holding a `.git`, else Start itself.
std::string findSourceRoot(llvm::StringRef Start);

} // namespace taskfit

#endif
