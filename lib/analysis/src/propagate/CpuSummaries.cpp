//===- CpuSummaries.cpp ---------------------------------------------------===//

#include "propagate/CpuSummaries.h"

namespace taskfit {

CpuSummaries::CpuSummaries(const Program& Prog, const BlockingSummaries& Follow,
                           std::function<const Config&(llvm::StringRef)> Configs, unsigned Depth)
    : P(Prog), Calls(Follow), ConfigFor(std::move(Configs)), MaxDepth(Depth) {
  for (const FunctionFacts* F : P.functions())
    if (auto D = direct(*F))
      Summaries[F->Usr] = *D;
  // As for blocking: rounds lengthen traces by one call; ties go to the
  // earliest call site, so the result does not depend on iteration order.
  for (unsigned Round = 1; Round < MaxDepth; ++Round) {
    bool Changed = false;
    for (const FunctionFacts* F : P.functions()) {
      Summary Best;
      for (size_t I = 0; I < F->Calls.size(); ++I) {
        const FunctionFacts* Callee = Calls.follow(F->Calls[I]);
        if (!Callee)
          continue;
        auto It = Summaries.find(Callee->Usr);
        if (It == Summaries.end() || It->second.Depth + 1 > MaxDepth ||
            boundedAt(F->Calls[I], *Callee, It->second))
          continue;
        if (!Best.Depth || It->second.Depth + 1 < Best.Depth)
          Best = {It->second.Depth + 1, -1, I};
      }
      if (!Best.Depth)
        continue;
      auto [It, Inserted] = Summaries.try_emplace(F->Usr, Best);
      if (!Inserted && Best.Depth < It->second.Depth) {
        It->second = Best;
        Changed = true;
      } else if (Inserted) {
        Changed = true;
      }
    }
    if (!Changed)
      break;
  }
}

bool CpuSummaries::boundedAt(const CallSite& Site, const FunctionFacts& Callee,
                             const Summary& Work) const {
  if (Work.Depth != 1 || Work.Loop < 0)
    return false;
  const LoopFact& L = Callee.Loops[Work.Loop];
  return L.Trips == TripCount::Parameter && L.BoundParam >= 0 &&
         llvm::is_contained(Site.FixedSizeArgs, L.BoundParam);
}

bool isBusyWait(const LoopFact& L) {
  // Only a condition that can change makes a spin: `for (;;) {}` never ends
  // and has no side effect, which C++ lets compilers assume away; code uses it
  // to mark what is never reached.
  return L.Trips == TripCount::Unknown && L.EmptyBody && !L.Suspends;
}

bool CpuSummaries::isCpuBoundLoop(const FunctionFacts& F, int I) const {
  const LoopFact& L = F.Loops[I];
  // Its iterations give the thread back, or start operations others run.
  if (L.Suspends || L.HandsOff)
    return false;
  // A loop that waits on each turn (a retry loop around a send, a read loop,
  // `while (io.poll())`) is I/O-bound, whatever its body looks like.
  const Config& C = ConfigFor(F.Loc.File);
  bool CallsIntoProgram = false;
  for (const CallSite& Site : F.Calls)
    for (int Loop = Site.Loop; Loop >= 0; Loop = F.Loops[Loop].Parent)
      if (Loop == I) {
        if (Calls.reach(Site, nullptr))
          return false;
        CallsIntoProgram = CallsIntoProgram || Site.CpuHeavy || doesWork(Site, C);
      }
  if (isBusyWait(L))
    return true;
  switch (L.Trips) {
  case TripCount::Constant:
    if (L.ConstantTrips <= C.SmallTripCount)
      return false;
    break;
  case TripCount::Container:
  case TripCount::Parameter:
    // The characters or bytes of one message (a request, a line, a URL) are
    // per-message work, unless each of them starts another data-bound loop.
    if (L.OverBytes && !hasDataBoundLoopInside(F, I, C))
      return false;
    break; // Work that grows with the data.
  case TripCount::Unknown:
    return false; // A retry, wake-up or drain loop: no evidence its work grows with data.
  case TripCount::Unbounded:
    if (L.Exits)
      return false; // `for (;;) { ... break; }`: a retry loop with its exit inside.
    if (L.EmptyBody)
      return false; // `for (;;) {}` marks what is never reached (isBusyWait).
    break;          // Runs forever.
  }
  // A loop that never ends and never waits keeps its thread whatever it does;
  // a short body that calls into the program's own code is as heavy as that code.
  return L.Trips == TripCount::Unbounded || hasDataBoundLoopInside(F, I, C) ||
         L.Operations >= C.MinLoopOperations || CallsIntoProgram;
}

bool CpuSummaries::hasDataBoundLoopInside(const FunctionFacts& F, int I, const Config& C) const {
  for (int J = I + 1; J < static_cast<int>(F.Loops.size()); ++J) {
    bool Inside = false;
    for (int Up = F.Loops[J].Parent; Up >= 0 && !Inside; Up = F.Loops[Up].Parent)
      Inside = Up == I;
    if (!Inside)
      continue;
    const LoopFact& Inner = F.Loops[J];
    if (Inner.Trips == TripCount::Container || Inner.Trips == TripCount::Parameter ||
        (Inner.Trips == TripCount::Constant && Inner.ConstantTrips > C.SmallTripCount) ||
        (Inner.Trips == TripCount::Unbounded && !Inner.Exits))
      return true;
  }
  return false;
}

bool CpuSummaries::doesWork(const CallSite& Site, const Config& C) const {
  const FunctionFacts* Callee = Calls.follow(Site);
  return Callee && (!Callee->Loops.empty() || Callee->Operations >= C.MinLoopOperations);
}

std::optional<CpuSummaries::Summary> CpuSummaries::direct(const FunctionFacts& F) const {
  // The outermost CPU-bound loop first (one loop, one report), else the first heavy call.
  for (int I = 0; I < static_cast<int>(F.Loops.size()); ++I) {
    bool InsideCpuLoop = false;
    for (int Up = F.Loops[I].Parent; Up >= 0; Up = F.Loops[Up].Parent)
      InsideCpuLoop = InsideCpuLoop || isCpuBoundLoop(F, Up);
    if (!InsideCpuLoop && isCpuBoundLoop(F, I))
      return Summary{1, I, 0};
  }
  for (size_t I = 0; I < F.Calls.size(); ++I)
    if (F.Calls[I].CpuHeavy)
      return Summary{1, -1, I};
  return std::nullopt;
}

std::optional<CpuWork> CpuSummaries::of(const FunctionFacts& F,
                                        std::vector<TraceHop>* Trace) const {
  const FunctionFacts* Current = &F;
  for (unsigned Hops = 0; Current && Hops <= MaxDepth; ++Hops) {
    auto It = Summaries.find(Current->Usr);
    if (It == Summaries.end())
      return std::nullopt;
    const Summary& S = It->second;
    if (S.Depth == 1 && S.Loop >= 0)
      return CpuWork{Current, S.Loop, nullptr};
    const CallSite& Site = Current->Calls[S.Site];
    if (S.Depth == 1)
      return CpuWork{Current, -1, &Site};
    if (Trace)
      Trace->push_back({Current, &Site});
    Current = Calls.follow(Site);
  }
  return std::nullopt;
}

std::optional<CpuWork> CpuSummaries::reach(const CallSite& Site,
                                           std::vector<TraceHop>* Trace) const {
  if (Site.CpuHeavy)
    return CpuWork{nullptr, -1, &Site};
  const FunctionFacts* Callee = Calls.follow(Site);
  if (!Callee)
    return std::nullopt;
  if (auto It = Summaries.find(Callee->Usr);
      It != Summaries.end() && boundedAt(Site, *Callee, It->second))
    return std::nullopt;
  return of(*Callee, Trace);
}

} // namespace taskfit
