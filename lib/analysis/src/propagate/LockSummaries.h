//===- LockSummaries.h - Which locks are held long, and where -------------===//
//
// Waiting for a lock costs as long as its holder keeps it. A short critical
// section (a few statements around a map) costs nothing worth reporting in a
// coroutine; a lock held elsewhere around blocking I/O or CPU-bound work makes
// every waiter wait that long. A lock (by identity: a global, or the same
// member of the same type) is held long when some function holds it around a
// call that blocks (a condition wait releases it, so it does not count) or
// around CPU-bound work; the first such holder, in a stable order, is the
// evidence, as Infer's starvation analysis gives both chains.
//
//===----------------------------------------------------------------------===//
#ifndef TASKFIT_ANALYSIS_PROPAGATE_LOCKSUMMARIES_H
#define TASKFIT_ANALYSIS_PROPAGATE_LOCKSUMMARIES_H

#include "propagate/CpuSummaries.h"

namespace taskfit {

/// Where a lock is held around blocking or CPU-bound work.
struct LockHolder {
  const FunctionFacts* Function = nullptr; ///< The holder.
  const CallSite* Site = nullptr;          ///< The call made while holding it, or null.
  int Loop = -1;                           ///< Else the CPU-bound loop run while holding it.
  std::vector<TraceHop> Hops;              ///< From Site to the work.
  const BlockingMatch* Blocks = nullptr;   ///< The blocking API reached, or
  std::optional<CpuWork> Cpu;              ///< the CPU-bound work.
};

class LockSummaries {
public:
  /// Holder's summaries see what a thread does while it holds a lock
  /// (LockWaits::Holder).
  LockSummaries(const Program& P, const BlockingSummaries& Holder, const CpuSummaries& HolderCpu);

  /// The evidence that a lock is held long, or null when it is not.
  const LockHolder* holder(llvm::StringRef Lock) const;

  /// Every lock held long, for BlockingSummaries (LockWaits::LongHeld).
  const llvm::StringSet<>& longHeld() const { return LongHeld; }

private:
  void record(const std::string& Lock, LockHolder Holder);

  llvm::StringMap<LockHolder> Holders;
  llvm::StringSet<> LongHeld;
};

} // namespace taskfit

#endif
