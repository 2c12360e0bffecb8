//===- BlockingContextCheck.cpp -------------------------------------------===//

#include "BlockingContextCheck.h"

#include "taskfit/analysis/Names.h"

#include <algorithm>

namespace taskfit {

static bool listed(const std::vector<std::string>* Patterns, llvm::StringRef Name) {
  return Patterns && std::any_of(Patterns->begin(), Patterns->end(),
                                 [&](const std::string& P) { return globMatch(P, Name); });
}

void BlockingContextCheck::run(const AnalysisContext& Context, std::vector<Finding>& Out) const {
  for (const ContextRoot& Root : Context.Roots) {
    if (Root.Kind != Kind)
      continue;
    const FunctionFacts& F = *Root.Function;
    const Config& Cfg = Context.ConfigFor(F.Loc.File);
    const auto* IgnoredCategories = Cfg.option(Info.Id, "ignored-categories");
    const auto* IgnoredApis = Cfg.option(Info.Id, "ignored-apis");
    std::string Subject = Kind == ContextKind::Coroutine
                              ? "coroutine '" + F.Name + "'"
                              : "'" + F.Name + "' runs on the event loop and";

    for (const CallSite& Site : F.Calls) {
      std::vector<TraceHop> Hops;
      const BlockingMatch* Api = Context.Blocking.reach(Site, &Hops);
      if (!Api || listed(IgnoredCategories, Api->Category) || listed(IgnoredApis, Api->Api))
        continue;

      Finding Found;
      Found.CheckId = Info.Id;
      Found.Severity = Info.DefaultLevel;
      Found.Loc = Site.Loc;
      const char* Verb = Site.Kind == CallKind::InlineCallable ? " runs " : " calls ";
      if (Hops.empty()) {
        Found.Message = Subject + Verb + "'" + Api->Api + "', which blocks (" + Api->Category +
                        "); " + Api->Replacement;
        Found.Trace.push_back(
            {Site.Loc, "'" + F.Name + "' calls blocking '" + Api->Api + "' here"});
      } else {
        Found.Message = Subject + Verb + "'" + Site.CalleeName + "', which blocks in '" + Api->Api +
                        "' (" + Api->Category + "); " +
                        (Kind == ContextKind::Coroutine
                             ? "offload the call with co_await taskfit::to_thread(...)"
                             : "post the call to a thread pool") +
                        " or make '" + Site.CalleeName + "' asynchronous";
        Found.Trace.push_back(
            {Site.Loc, "'" + F.Name + "'" + Verb + "'" + Site.CalleeName + "' here"});
        for (size_t I = 0; I < Hops.size(); ++I) {
          const TraceHop& Hop = Hops[I];
          bool Last = I + 1 == Hops.size();
          std::string Step = "'" + Hop.Function->Name + "'" +
                             (Hop.Site->Kind == CallKind::InlineCallable ? " runs '" : " calls '");
          if (Last)
            Step += Api->Api + "', which blocks (" + Api->Category + "): " + Api->Replacement;
          else
            Step += Hop.Site->CalleeName + "' here";
          Found.Trace.push_back({Hop.Site->Loc, std::move(Step)});
        }
      }
      Found.Context = Root.Why;
      Found.FingerprintKey =
          Info.Id + "|" + F.Loc.File + "|" + F.Name + "|" + Site.CalleeName + "|" + Api->Api;
      Out.push_back(std::move(Found));
    }
  }
}

} // namespace taskfit
