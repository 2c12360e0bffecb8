//===- Propagate.cpp ------------------------------------------------------===//

#include "propagate/Propagate.h"

namespace taskfit {

Propagation::Propagation(const Program& P, const PropagateSettings& Settings)
    : HolderBlocking(P, Settings.MaxCallDepth, LockWaits::Holder),
      HolderCpu(P, HolderBlocking, Settings.ConfigFor, Settings.MaxCallDepth),
      Locks(P, HolderBlocking, HolderCpu),
      Blocking(P, Settings.MaxCallDepth, LockWaits::LongHeld, &Locks.longHeld()),
      StrictBlocking(P, Settings.MaxCallDepth, LockWaits::All),
      Cpu(P, Blocking, Settings.ConfigFor, Settings.MaxCallDepth),
      Roots(findContextRoots(P, Settings.EventLoopEntryPoints)),
      Tasks(classifyTasks(P, Blocking, Cpu, *Settings.Matrix)) {}

std::unique_ptr<const Propagation> propagate(const Program& P, const PropagateSettings& Settings) {
  return std::make_unique<const Propagation>(P, Settings);
}

} // namespace taskfit
