//===- Program.h - Facts of every TU, linked by USR -----------------------===//
#ifndef TASKFIT_ANALYSIS_LINK_PROGRAM_H
#define TASKFIT_ANALYSIS_LINK_PROGRAM_H

#include "taskfit/analysis/Facts.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"

namespace taskfit {

/// The whole program as the analysis sees it. A function defined in several
/// TUs (inline functions, templates in headers) appears once: the first TU in
/// path order wins, so linking is deterministic whatever order TUs finish in.
class Program {
public:
  static Program link(std::vector<TUFacts> TUs);

  const FunctionFacts* function(llvm::StringRef Usr) const {
    auto It = ByUsr.find(Usr);
    return It == ByUsr.end() ? nullptr : It->second;
  }
  /// Every linked function, sorted by USR.
  const std::vector<const FunctionFacts*>& functions() const { return Functions; }
  const std::vector<TUFacts>& translationUnits() const { return TUs; }

  /// Whether some function of the program makes this descriptor non-blocking.
  bool isNonBlockingDescriptor(llvm::StringRef Identity) const {
    return NonBlocking.contains(Identity);
  }

private:
  std::vector<TUFacts> TUs;
  std::vector<const FunctionFacts*> Functions;
  llvm::StringMap<const FunctionFacts*> ByUsr;
  llvm::StringSet<> NonBlocking;
};

} // namespace taskfit

#endif
