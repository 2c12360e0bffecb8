//===- Contexts.cpp -------------------------------------------------------===//

#include "taskfit/analysis/Contexts.h"

#include "taskfit/analysis/Names.h"
#include "taskfit/analysis/RuleSet.h"

#include <map>

namespace taskfit {

std::vector<ContextRoot> findContextRoots(const Program& P,
                                          const std::vector<std::string>& EntryPoints) {
  std::map<std::string, ContextRoot> Roots; // Ordered by USR.
  auto AddEventLoop = [&](const FunctionFacts* F, FindingStep Why,
                          const Submission* Submitted = nullptr) {
    if (!F || F->Coroutine == CoroutineKind::Async)
      return; // Coroutines are roots of their own kind.
    auto [It, Inserted] =
        Roots.try_emplace(F->Usr, ContextRoot{F, ContextKind::EventLoop, {}, Submitted});
    if (Inserted)
      It->second.Why.push_back(std::move(Why));
  };

  for (const FunctionFacts* F : P.functions()) {
    if (F->Coroutine == CoroutineKind::Async) {
      Roots.try_emplace(F->Usr, ContextRoot{F, ContextKind::Coroutine, {}});
      continue;
    }
    if (F->ReturnsReactorFuture)
      AddEventLoop(F, {F->Loc, "'" + F->Name + "' returns '" + F->ReturnType +
                                   "', so it runs on the reactor"});
    if (F->AnnotatedEventLoop)
      AddEventLoop(F, {F->Loc, "'" + F->Name + "' is marked as an event-loop entry point"});
    for (const std::string& Pattern : EntryPoints)
      if (globMatch(Pattern, F->Name)) {
        AddEventLoop(F, {F->Loc, "'" + F->Name + "' is listed in event-loop-entry-points"});
        break;
      }
  }
  // Callables handed to event loops, in a stable order: by the submitting
  // function, then by position.
  for (const FunctionFacts* F : P.functions())
    for (const Submission& S : F->Submissions)
      if (ExecutorRule::runsOnEventLoop(S.Role))
        AddEventLoop(P.function(S.CallableUsr),
                     {S.Loc, "'" + S.CallableName + "' runs on the event loop: it is passed to '" +
                                 S.Api + "' here"},
                     &S);

  std::vector<ContextRoot> Out;
  for (auto& Entry : Roots)
    Out.push_back(std::move(Entry.second));
  return Out;
}

} // namespace taskfit
