//===- Contexts.cpp -------------------------------------------------------===//

#include "propagate/Contexts.h"

#include "knowledge/Names.h"
#include "propagate/Submissions.h"

#include <map>

namespace taskfit {

std::vector<ContextRoot> findContextRoots(const Program& P,
                                          const std::vector<std::string>& EntryPoints) {
  std::map<std::string, ContextRoot> Roots; // Ordered by USR; the first reason found stays.
  auto AddEventLoop = [&](const FunctionFacts* F, ContextReason Reason,
                          const Submission* Submitted = nullptr) {
    if (!F || F->Coroutine == CoroutineKind::Async)
      return; // Coroutines are roots of their own kind.
    Roots.try_emplace(F->Usr, ContextRoot{F, ContextKind::EventLoop, Reason, Submitted});
  };

  for (const FunctionFacts* F : P.functions()) {
    if (F->Coroutine == CoroutineKind::Async) {
      Roots.try_emplace(F->Usr, ContextRoot{F, ContextKind::Coroutine});
      continue;
    }
    if (F->ReturnsReactorFuture)
      AddEventLoop(F, ContextReason::ReturnsReactorFuture);
    if (F->AnnotatedEventLoop)
      AddEventLoop(F, ContextReason::Annotated);
    if (matchesAny(EntryPoints, F->Name))
      AddEventLoop(F, ContextReason::ListedEntryPoint);
  }
  // Callables handed to event loops, in a stable order: by the submitting
  // function, then by position.
  SubmissionsOf Decisive(P);
  for (const FunctionFacts* F : P.functions())
    for (const Submission& S : F->Submissions)
      if (runsOnEventLoop(S.Role) && Decisive.decisive(S))
        AddEventLoop(P.function(S.CallableUsr), ContextReason::Submitted, &S);

  std::vector<ContextRoot> Out;
  for (auto& Entry : Roots)
    Out.push_back(std::move(Entry.second));
  return Out;
}

} // namespace taskfit
