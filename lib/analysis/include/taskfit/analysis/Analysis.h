//===- Analysis.h - The pipeline: extract -> link -> propagate -> check ----===//
#ifndef TASKFIT_ANALYSIS_ANALYSIS_H
#define TASKFIT_ANALYSIS_ANALYSIS_H

#include "taskfit/analysis/CompileCommands.h"
#include "taskfit/analysis/Finding.h"
#include "taskfit/analysis/Workload.h"

#include <functional>
#include <memory>

namespace taskfit {

struct AnalysisOptions {
  CompileJobRequest Jobs;
  std::string RulesDir;                ///< Default packs.
  std::vector<std::string> ExtraRules; ///< `--rules`, after the defaults.
  std::string ConfigFile;              ///< `--config`: one config for every file.
  std::string Checks;                  ///< `--checks`, applied after the config's.
  std::string SourceRoot;              ///< Empty: the repository holding the database.
  std::string ResourceDir;
  /// Called before each TU is parsed (index, count, file): progress output.
  std::function<void(size_t, size_t, llvm::StringRef)> OnTranslationUnit;
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
};

/// Runs the whole pipeline. Errors are usage or configuration errors (exit 3);
/// TUs that fail to parse are Failures, and the run goes on.
llvm::Expected<AnalysisResult> runAnalysis(const AnalysisOptions& Options);

/// The folder findings' paths are relative to: the nearest ancestor of Start
/// holding a `.git`, else Start itself.
std::string findSourceRoot(llvm::StringRef Start);

} // namespace taskfit

#endif
