//===- BlockingSummaries.cpp ----------------------------------------------===//

#include "propagate/BlockingSummaries.h"

namespace taskfit {

BlockingSummaries::BlockingSummaries(const Program& Prog, unsigned Depth, LockWaits Locks,
                                     const llvm::StringSet<>* LongHeld)
    : P(Prog), MaxDepth(Depth), Locks(Locks), LongHeld(LongHeld) {
  // Bellman-Ford style rounds: each round may lengthen traces by one call, so
  // MaxDepth rounds suffice, cycles included. Ties go to the earliest call
  // site, which keeps the result independent of iteration order.
  for (unsigned Round = 0; Round < MaxDepth; ++Round) {
    bool Changed = false;
    for (const FunctionFacts* F : P.functions()) {
      Summary Best;
      for (size_t I = 0; I < F->Calls.size(); ++I) {
        const CallSite& Site = F->Calls[I];
        Summary Here;
        if (direct(Site))
          Here = {1, I, !Site.Descriptor.empty()};
        else if (Summary Deeper = through(Site); Deeper.Depth && Deeper.Depth < MaxDepth)
          Here = {Deeper.Depth + 1, I, Deeper.OnDescriptor};
        if (Here.Depth && (!Best.Depth || Here.Depth < Best.Depth))
          Best = Here;
      }
      if (!Best.Depth)
        continue;
      Summary& Current = Summaries[F->Usr];
      if (!Current.Depth || Best.Depth < Current.Depth ||
          (Best.Depth == Current.Depth && Best.Site < Current.Site)) {
        Current = Best;
        Changed = true;
      }
    }
    if (!Changed)
      break;
  }
}

BlockingSummaries::Summary BlockingSummaries::through(const CallSite& Site) const {
  const FunctionFacts* Callee = follow(Site);
  if (!Callee)
    return {};
  auto It = Summaries.find(Callee->Usr);
  if (It == Summaries.end() || (Site.HandlesWouldBlock && It->second.OnDescriptor))
    return {};
  return It->second;
}

const BlockingMatch* BlockingSummaries::direct(const CallSite& Site) const {
  if (!Site.Descriptor.empty() && P.isNonBlockingDescriptor(Site.Descriptor))
    return nullptr;
  if (!Site.Acquires.empty() && Site.Blocking) {
    bool Waits = Locks == LockWaits::All ||
                 (Locks == LockWaits::LongHeld && LongHeld &&
                  llvm::any_of(Site.Acquires,
                               [&](const std::string& Lock) { return LongHeld->contains(Lock); }));
    return Waits ? &*Site.Blocking : nullptr;
  }
  if (Site.Blocking && Site.Blocking->ReleasesLock && Locks == LockWaits::Holder)
    return nullptr;
  if (Site.Blocking)
    return &*Site.Blocking;
  if (const FunctionFacts* Callee = P.function(Site.CalleeUsr); Callee && Callee->DeclaredBlocking)
    return &*Callee->DeclaredBlocking;
  return nullptr;
}

const FunctionFacts* BlockingSummaries::follow(const CallSite& Site) const {
  if (Site.CalleeUsr.empty() || Site.CalleeTrustedNonBlocking)
    return nullptr;
  const FunctionFacts* Callee = P.function(Site.CalleeUsr);
  // Calling an async coroutine only creates it: its body is a root of its own.
  // A synchronous generator's body runs as its caller iterates it, in the
  // caller's context, so it is followed like any helper.
  if (!Callee || Callee->TrustedNonBlocking || Callee->Coroutine == CoroutineKind::Async)
    return nullptr;
  return Callee;
}

const BlockingMatch* BlockingSummaries::reach(const CallSite& Site,
                                              std::vector<TraceHop>* Trace) const {
  if (const BlockingMatch* M = direct(Site))
    return M;
  if (!through(Site).Depth)
    return nullptr;
  const FunctionFacts* F = follow(Site);
  for (unsigned Hops = 0; F && Hops < MaxDepth; ++Hops) {
    auto It = Summaries.find(F->Usr);
    if (It == Summaries.end())
      return nullptr;
    const CallSite& Next = F->Calls[It->second.Site];
    if (Trace)
      Trace->push_back({F, &Next});
    if (const BlockingMatch* M = direct(Next))
      return M;
    F = follow(Next);
  }
  return nullptr;
}

} // namespace taskfit
