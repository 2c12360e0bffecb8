//===- Extract.h - The extract stage: compile jobs in, Facts out ----------===//
//
// Embarrassingly parallel: each TU is parsed in a worker process (a crash or
// a hang costs that TU only), unless the facts cache still holds its facts.
// Configuration errors (a config or pack that cannot be read) stop the stage
// before any parsing starts.
//
//===----------------------------------------------------------------------===//
#ifndef TASKFIT_ANALYSIS_EXTRACT_EXTRACT_H
#define TASKFIT_ANALYSIS_EXTRACT_EXTRACT_H

#include "knowledge/Knowledge.h"
#include "taskfit/analysis/Analysis.h"

namespace taskfit {

struct ExtractOptions {
  std::string SourceRoot;
  std::string ResourceDir;
  std::vector<std::string> ExtraArgs; ///< After `--`.
  unsigned Workers = 1;
  std::optional<std::chrono::milliseconds> TuTimeout;
  std::shared_ptr<ForkServer> Server; ///< Null: the pool starts one.
  std::string CacheDir;               ///< Empty: no cache.
  std::string ToolIdentity;           ///< For cache keys.
  std::function<void(const ExtractionProgress&)> OnTranslationUnit;
};

/// Every job's facts, in job order, failed TUs included (Complete == false).
llvm::Expected<ExtractionOutcome> extractFacts(const std::vector<CompileJob>& Jobs,
                                               Knowledge& Known, const ExtractOptions& Options);

} // namespace taskfit

#endif
