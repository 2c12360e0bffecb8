//===- LockSummaries.cpp --------------------------------------------------===//

#include "propagate/LockSummaries.h"

namespace taskfit {

LockSummaries::LockSummaries(const Program& P, const BlockingSummaries& Holder,
                             const CpuSummaries& HolderCpu) {
  for (const FunctionFacts* F : P.functions()) {
    for (int I = 0; I < static_cast<int>(F->Loops.size()); ++I)
      if (const std::string& Lock = F->Loops[I].HeldLock;
          !Lock.empty() && HolderCpu.isCpuBoundLoop(*F, I))
        record(Lock, {F, nullptr, I, {}, nullptr, CpuWork{F, I, nullptr}});
    for (const CallSite& Site : F->Calls) {
      const std::string& Lock = Site.HeldLock;
      // Handed the guard, the callee may release the lock while it waits.
      if (Lock.empty() || Site.HandsOverLock || llvm::is_contained(Site.Acquires, Lock))
        continue;
      LockHolder Evidence{F, &Site};
      if ((Evidence.Blocks = Holder.reach(Site, &Evidence.Hops))) {
        record(Lock, std::move(Evidence));
        continue;
      }
      Evidence.Hops.clear();
      if ((Evidence.Cpu = HolderCpu.reach(Site, &Evidence.Hops)))
        record(Lock, std::move(Evidence));
    }
  }
}

void LockSummaries::record(const std::string& Lock, LockHolder Holder) {
  if (Holders.try_emplace(Lock, std::move(Holder)).second)
    LongHeld.insert(Lock);
}

const LockHolder* LockSummaries::holder(llvm::StringRef Lock) const {
  auto It = Holders.find(Lock);
  return It == Holders.end() ? nullptr : &It->second;
}

} // namespace taskfit
