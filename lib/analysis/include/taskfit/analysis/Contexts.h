//===- Contexts.h - Where code runs: coroutines and event-loop callbacks --===//
#ifndef TASKFIT_ANALYSIS_CONTEXTS_H
#define TASKFIT_ANALYSIS_CONTEXTS_H

#include "taskfit/analysis/Finding.h"
#include "taskfit/analysis/Program.h"

namespace taskfit {

enum class ContextKind {
  Coroutine, ///< The body of an async coroutine.
  EventLoop, ///< A callback or function that runs on an event loop.
};

/// A function whose body runs in an async context, and why.
struct ContextRoot {
  const FunctionFacts* Function = nullptr;
  ContextKind Kind = ContextKind::Coroutine;
  std::vector<FindingStep> Why; ///< Empty for coroutines: their type says it.
  /// The callable of a submission (a posted handler, a completion handler):
  /// its cost is reported at the submission, by the thread-pool check.
  const Submission* Submitted = nullptr;
};

/// Every context root of the program, sorted by USR. EntryPoints are
/// qualified names (globs allowed) of functions users declare to run on an
/// event loop.
std::vector<ContextRoot> findContextRoots(const Program& P,
                                          const std::vector<std::string>& EntryPoints);

} // namespace taskfit

#endif
