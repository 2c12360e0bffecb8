//===- Workload.h - The workload report: every task site, in words --------===//
#ifndef TASKFIT_ANALYSIS_WORKLOAD_H
#define TASKFIT_ANALYSIS_WORKLOAD_H

#include "taskfit/analysis/DecisionMatrix.h"
#include "taskfit/analysis/Facts.h"

namespace taskfit {

/// A place that creates tasks (a submission to an executor, or a coroutine),
/// as the workload report and model-recommendation say it.
struct TaskSite {
  std::string Kind; ///< submission, coroutine.
  SourceLoc Loc;
  std::string Task;  ///< The task's function or lambda.
  std::string Owner; ///< The function the site is in (submissions), or the task itself.
  WorkProfile Profile;
  std::vector<std::string> Evidence; ///< Why the class, one sentence each.
  std::string VolumeLevel;           ///< low, medium, high, unknown.
  std::string VolumeEvidence;
  std::string Payload;      ///< serialisable, shares-memory, unknown.
  std::string CurrentModel; ///< e.g. `thread pool (io) via taskfit::ThreadPool::submit`.
  const MatrixRow* Row = nullptr;
};

} // namespace taskfit

#endif
