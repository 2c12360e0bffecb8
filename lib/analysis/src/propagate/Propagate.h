//===- Propagate.h - The propagate stage: what the linked program does ----===//
//
// Fixed points over the call graph give each function its shortest evidence
// trace to a blocking API and to CPU-bound work; the contexts say which
// bodies run on an event loop; the classifier gives every task site its
// class, volume and the matrix's row. All of it is evidence as data: the
// checks and the workload report put it in words.
//
//===----------------------------------------------------------------------===//
#ifndef TASKFIT_ANALYSIS_PROPAGATE_PROPAGATE_H
#define TASKFIT_ANALYSIS_PROPAGATE_PROPAGATE_H

#include "propagate/BlockingSummaries.h"
#include "propagate/Contexts.h"
#include "propagate/CpuSummaries.h"
#include "propagate/LockSummaries.h"
#include "propagate/TaskClassifier.h"

#include <functional>
#include <memory>

namespace taskfit {

struct PropagateSettings {
  unsigned MaxCallDepth = 32;
  std::vector<std::string> EventLoopEntryPoints; ///< Qualified names or globs.
  /// The config for a file of the program (loop thresholds).
  std::function<const Config&(llvm::StringRef File)> ConfigFor;
  const DecisionMatrix* Matrix = nullptr;
};

/// What propagate found. It points into the Program it was computed from.
struct Propagation {
  Propagation(const Program& P, const PropagateSettings& Settings);
  Propagation(const Propagation&) = delete;
  Propagation& operator=(const Propagation&) = delete;

  /// What a thread does while it holds a lock: which locks are held long.
  BlockingSummaries HolderBlocking;
  CpuSummaries HolderCpu;
  LockSummaries Locks;
  /// Blocking as checks see it: waiting for a lock held long is blocking.
  BlockingSummaries Blocking;
  /// The same with every lock acquisition a wait (`all-lock-waits`).
  BlockingSummaries StrictBlocking;
  CpuSummaries Cpu;
  std::vector<ContextRoot> Roots;
  std::vector<ClassifiedTask> Tasks;
};

std::unique_ptr<const Propagation> propagate(const Program& P, const PropagateSettings& Settings);

} // namespace taskfit

#endif
