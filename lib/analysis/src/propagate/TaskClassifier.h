//===- TaskClassifier.h - Every task site: its class, volume and model ----===//
//
// A task is CPU-bound when its body (or a helper's) runs CPU-bound work, I/O
// bound when it blocks or, for a coroutine, suspends on awaited operations;
// both is mixed, neither trivial. How many tasks a site creates comes from the
// loops around it. The decision matrix then picks a model. The result is
// evidence as data; checks/Wording.h says it in words.
//
//===----------------------------------------------------------------------===//
#ifndef TASKFIT_ANALYSIS_PROPAGATE_TASKCLASSIFIER_H
#define TASKFIT_ANALYSIS_PROPAGATE_TASKCLASSIFIER_H

#include "propagate/CpuSummaries.h"
#include "taskfit/analysis/DecisionMatrix.h"

namespace taskfit {

/// Why a task has its class.
struct TaskEvidence {
  const BlockingMatch* Blocks = nullptr; ///< The first blocking API its body reaches.
  enum class Await {
    None,   ///< Not an async coroutine, or it blocks (that is its I/O).
    Once,   ///< An async coroutine: it awaits at least once.
    InLoop, ///< An async coroutine that awaits in a loop.
  };
  Await Awaits = Await::None;
  std::optional<CpuWork> Cpu; ///< The CPU-bound work its body runs.
};

/// Where a site's estimate of how many tasks it creates comes from.
enum class VolumeReason {
  NotInLoop,
  ConstantLoops,    ///< Loops with constant trip counts: their product.
  UnboundedLoop,    ///< An accept loop, `for (;;)`.
  ContainerLoop,    ///< A loop over a container (Over names it).
  ParameterLoop,    ///< A loop bounded by a parameter.
  UnknownLoop,      ///< A loop with an input-dependent trip count.
  MapOfUnknownSize, ///< A `map` over a range of unknown size.
  MapOfElements,    ///< A `map` over MapElements elements, in loops as Loops says.
  ServingLoop,      ///< A coroutine that awaits in an unbounded loop: it serves many operations.
  CreatedByCallers, ///< A coroutine: as many as its callers create.
};

struct VolumeEvidence {
  VolumeReason Reason = VolumeReason::NotInLoop;
  VolumeReason Loops = VolumeReason::NotInLoop; ///< For MapOfElements: the loops around the map.
  std::string Over;                             ///< What a ContainerLoop iterates, if short.
  int64_t MapElements = 0;
};

/// One task site, classified, with the matrix's row.
struct ClassifiedTask {
  enum class Kind { Submission, Coroutine };
  Kind K = Kind::Submission;
  SourceLoc Loc;
  std::string Task;                     ///< The task's function or lambda, as named.
  const FunctionFacts* Owner = nullptr; ///< The submitting function, or the coroutine.
  const FunctionFacts* Body = nullptr;  ///< The task's body.
  const Submission* Sent = nullptr;     ///< The submission; null for a coroutine.
  WorkProfile Profile;
  TaskEvidence Evidence;
  VolumeEvidence Volume;
  std::string VolumeLevel; ///< low, medium, high, unknown.
  std::string Payload;     ///< serialisable, shares-memory, unknown.
  const MatrixRow* Row = nullptr;
};

/// Classifies every task site of the program and applies the matrix; sorted
/// by location, then task.
std::vector<ClassifiedTask> classifyTasks(const Program& P, const BlockingSummaries& Blocking,
                                          const CpuSummaries& Cpu, const DecisionMatrix& Matrix);

} // namespace taskfit

#endif
