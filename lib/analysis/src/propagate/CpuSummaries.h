//===- CpuSummaries.h - Does this function keep a core busy, and where? ---===//
//
// The propagate step for CPU cost: each function's shortest evidence trace to
// CPU-bound work, which is either a loop (input-dependent or long trip count,
// a non-trivial body or nested loops, and no suspension point) or a call that
// is CPU-heavy by nature (rules/cpu-heavy.yaml), in the function itself or in
// helpers it calls, across TUs. The same rules as for blocking decide which
// calls are followed (BlockingSummaries::follow).
//
//===----------------------------------------------------------------------===//
#ifndef TASKFIT_ANALYSIS_PROPAGATE_CPUSUMMARIES_H
#define TASKFIT_ANALYSIS_PROPAGATE_CPUSUMMARIES_H

#include "propagate/BlockingSummaries.h"
#include "taskfit/analysis/Config.h"

#include <functional>

namespace taskfit {

/// The CPU-bound work at the end of a trace: a loop or a CPU-heavy call.
struct CpuWork {
  const FunctionFacts* Function = nullptr;
  int Loop = -1;                       ///< Index into Function->Loops, or -1.
  const CallSite* HeavyCall = nullptr; ///< Set when the work is a CPU-heavy call.

  const LoopFact& loop() const { return Function->Loops[Loop]; }
};

/// An empty loop that only tests its condition: it spins without yielding.
bool isBusyWait(const LoopFact& L);

class CpuSummaries {
public:
  CpuSummaries(const Program& P, const BlockingSummaries& Calls,
               std::function<const Config&(llvm::StringRef File)> ConfigFor, unsigned MaxDepth);

  /// Whether F's loop I is CPU-bound work by the thresholds of F's config.
  bool isCpuBoundLoop(const FunctionFacts& F, int I) const;

  /// The CPU-bound work a call site reaches (itself a CPU-heavy call, or
  /// through the callee), with the hops after the site; null if none.
  std::optional<CpuWork> reach(const CallSite& Site, std::vector<TraceHop>* Trace) const;

  /// The CPU-bound work of a function's own body, directly or through calls.
  std::optional<CpuWork> of(const FunctionFacts& F, std::vector<TraceHop>* Trace) const;

private:
  struct Summary {
    unsigned Depth = 0; ///< 1 = in the function itself.
    int Loop = -1;      ///< The function's own CPU-bound loop, if Depth == 1 through a loop.
    size_t Site = 0;    ///< Otherwise the call site taken.
  };
  std::optional<Summary> direct(const FunctionFacts& F) const;
  /// Whether the callee's work is a loop bounded by a parameter the site
  /// passes a fixed-size buffer for (one request parsed from a read buffer).
  bool boundedAt(const CallSite& Site, const FunctionFacts& Callee, const Summary& Work) const;
  /// Whether a call's callee does work of its own: a loop, or a body of size.
  bool doesWork(const CallSite& Site, const Config& C) const;
  /// Whether loop I of F contains a loop whose trip count grows with data:
  /// nested loops multiply work; a nested retry or search loop does not.
  bool hasDataBoundLoopInside(const FunctionFacts& F, int I, const Config& C) const;

  const Program& P;
  const BlockingSummaries& Calls;
  std::function<const Config&(llvm::StringRef)> ConfigFor;
  unsigned MaxDepth;
  llvm::StringMap<Summary> Summaries;
};

} // namespace taskfit

#endif
