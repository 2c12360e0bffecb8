//===- Analysis.h - The pipeline: extract -> link -> propagate -> check ----===//
#ifndef TASKFIT_ANALYSIS_ANALYSIS_H
#define TASKFIT_ANALYSIS_ANALYSIS_H

#include "taskfit/analysis/CompileCommands.h"
#include "taskfit/analysis/Config.h"
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

/// What the rule packs of a config hold, for --verify-config.
struct RulesSummary {
  size_t Packs = 0, BlockingApis = 0, ExecutorApis = 0;
};

class Knowledge;

/// One run of the pipeline. The configs, rule packs and decision matrix it
/// reads are resolved once, whichever stages run:
///   extract -> link -> propagate -> check -> filter
/// (docs/architecture.md). Errors are usage or configuration errors (exit 3);
/// TUs that fail to parse are Failures, and the run goes on.
class Analyser {
public:
  /// Reads the fixed config (`--config`), if there is one.
  static llvm::Expected<std::unique_ptr<Analyser>> create(AnalysisOptions Options);
  ~Analyser();

  /// The first half (`taskfit extract`): the selected TUs' facts.
  llvm::Expected<ExtractionOutcome> extract();

  /// The second half (`taskfit link` starts here with facts from files):
  /// link, propagate, check, filter (checks, NOLINT, duplicates, baseline).
  llvm::Expected<AnalysisResult> analyse(ExtractionOutcome Extracted);

  /// Both halves.
  llvm::Expected<AnalysisResult> run();

  /// The config that governs a file or folder (--dump-config).
  llvm::Expected<Config> configFor(llvm::StringRef Anchor);
  /// The checks enabled where C governs, with `--checks` applied (--list-checks).
  std::vector<CheckInfo> enabledChecks(const Config& C) const;
  /// Loads the packs C adds to the defaults (--verify-config).
  llvm::Expected<RulesSummary> verifyRules(const Config& C);

  const std::string& sourceRoot() const { return SourceRoot; }

private:
  Analyser(AnalysisOptions Options, std::unique_ptr<Knowledge> Known);

  AnalysisOptions Options;
  std::string SourceRoot;
  std::unique_ptr<Knowledge> Known;
};

/// The folder holding the default packs when `--rules-dir` is not given:
/// $TASKFIT_RULES_DIR, else `<prefix>/share/taskfit/rules` beside the
/// executable, else the source tree's.
std::string defaultRulesDir(llvm::StringRef Argv0);

/// The source root of a run: Options.SourceRoot, else the repository holding
/// the compilation database (or the working directory).
std::string resolveSourceRoot(const AnalysisOptions& Options);

/// The folder findings' paths are relative to: the nearest ancestor of Start
/// holding a `.git`, else Start itself.
std::string findSourceRoot(llvm::StringRef Start);

} // namespace taskfit

#endif
