//===- Wording.h - How evidence reads, in messages and in the report ------===//
//
// Propagate finds evidence as data (a loop, a CPU-heavy call, why a body runs
// on an event loop, why a task has its class); these functions are the only
// place it is put in words, so a message is fixed here or in its check.
//
//===----------------------------------------------------------------------===//
#ifndef TASKFIT_ANALYSIS_CHECKS_WORDING_H
#define TASKFIT_ANALYSIS_CHECKS_WORDING_H

#include "propagate/Propagate.h"
#include "taskfit/analysis/Finding.h"
#include "taskfit/analysis/Workload.h"

namespace taskfit {

/// `a loop over 'items' with nested loops and no suspension point`,
/// `'std::sort' (algorithms)`.
std::string describe(const CpuWork& Work);

/// The evidence after a call site that reaches CPU-bound work: one step per
/// hop, then the work itself.
std::vector<FindingStep> workSteps(const CpuWork& Work, const std::vector<TraceHop>& Hops);

/// Where a context comes from: empty for a coroutine (its type says it), one
/// step otherwise (`'f' runs on the event loop: it is passed to 'asio::post' here`).
std::vector<FindingStep> contextSteps(const ContextRoot& Root);

/// `coroutine 'f'`, or `'f' runs on the event loop and`: how a message about
/// a root's body starts.
std::string contextSubject(const ContextRoot& Root);

/// A classified task site, as the workload report and model-recommendation say it.
TaskSite describeTask(const ClassifiedTask& Site);

} // namespace taskfit

#endif
