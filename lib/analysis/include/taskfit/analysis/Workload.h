//===- Workload.h - Every task site, classified, with the matrix's advice --===//
#ifndef TASKFIT_ANALYSIS_WORKLOAD_H
#define TASKFIT_ANALYSIS_WORKLOAD_H

#include "taskfit/analysis/CpuSummaries.h"
#include "taskfit/analysis/DecisionMatrix.h"

namespace taskfit {

/// A place that creates tasks: a submission to an executor, or a coroutine.
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

/// Classifies every task site of the program and applies the matrix.
std::vector<TaskSite> classifyTaskSites(const Program& P, const BlockingSummaries& Blocking,
                                        const CpuSummaries& Cpu, const DecisionMatrix& Matrix);

} // namespace taskfit

#endif
