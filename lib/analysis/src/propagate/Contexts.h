//===- Contexts.h - Where code runs: coroutines and event-loop callbacks --===//
#ifndef TASKFIT_ANALYSIS_PROPAGATE_CONTEXTS_H
#define TASKFIT_ANALYSIS_PROPAGATE_CONTEXTS_H

#include "link/Program.h"

namespace taskfit {

enum class ContextKind {
  Coroutine, ///< The body of an async coroutine.
  EventLoop, ///< A callback or function that runs on an event loop.
};

/// Why a function's body runs in its context.
enum class ContextReason {
  CoroutineType,        ///< An async coroutine: its type says it.
  ReturnsReactorFuture, ///< It returns a reactor future (seastar::future).
  Annotated,            ///< `[[clang::annotate("taskfit::event_loop")]]`.
  ListedEntryPoint,     ///< Listed in a config's event-loop-entry-points.
  Submitted,            ///< Handed to an executor that runs it on an event loop.
};

/// A function whose body runs in an async context, and why.
struct ContextRoot {
  const FunctionFacts* Function = nullptr;
  ContextKind Kind = ContextKind::Coroutine;
  ContextReason Reason = ContextReason::CoroutineType;
  /// The submission that hands the callable to an event loop (Reason
  /// Submitted): its cost is reported there, by the thread-pool check.
  const Submission* Submitted = nullptr;
};

/// Every context root of the program, sorted by USR. EntryPoints are
/// qualified names (globs allowed) of functions users declare to run on an
/// event loop.
std::vector<ContextRoot> findContextRoots(const Program& P,
                                          const std::vector<std::string>& EntryPoints);

} // namespace taskfit

#endif
