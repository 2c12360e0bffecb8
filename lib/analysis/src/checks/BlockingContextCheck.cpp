//===- BlockingContextCheck.cpp -------------------------------------------===//

#include "checks/BlockingContextCheck.h"

#include "checks/Wording.h"
#include "knowledge/Names.h"

namespace taskfit {

static CheckInfo withOptions(CheckInfo Info) {
  Info.Options = {
      {"ignored-categories", "Categories of rules/blocking.yaml not to report (sync-wait, ...)."},
      {"ignored-apis", "APIs not to report: qualified names or globs ('mylib::*')."}};
  return Info;
}

BlockingContextCheck::BlockingContextCheck(CheckInfo Info, ContextKind Kind)
    : Check(withOptions(std::move(Info))), Kind(Kind) {}

static bool listed(const std::vector<std::string>* Patterns, llvm::StringRef Name) {
  return Patterns && matchesAny(*Patterns, Name);
}

static const char* verb(const CallSite& Site) {
  return Site.Kind == CallKind::InlineCallable ? " runs " : " calls ";
}

void BlockingContextCheck::check(const CheckContext& Context) {
  for (const ContextRoot& Root : Context.Found.Roots)
    if (Root.Kind == Kind)
      checkRoot(Context, Root);
}

void BlockingContextCheck::checkRoot(const CheckContext& Context, const ContextRoot& Root) {
  const FunctionFacts& F = *Root.Function;
  const auto* IgnoredCategories = option(F.Loc.File, "ignored-categories");
  const auto* IgnoredApis = option(F.Loc.File, "ignored-apis");
  for (const CallSite& Site : F.Calls) {
    std::vector<TraceHop> Hops;
    const BlockingMatch* Api = Context.Found.Blocking.reach(Site, &Hops);
    if (!Api || listed(IgnoredCategories, Api->Category) || listed(IgnoredApis, Api->Api))
      continue;
    if (Hops.empty())
      reportDirect(Root, Site, *Api);
    else
      reportThrough(Root, Site, *Api, Hops);
  }
}

void BlockingContextCheck::reportDirect(const ContextRoot& Root, const CallSite& Site,
                                        const BlockingMatch& Api) {
  const FunctionFacts& F = *Root.Function;
  report(Site.Loc, contextSubject(Root) + verb(Site) + "'" + Api.Api + "', which blocks (" +
                       Api.Category + "); " + Api.Replacement)
      .step(Site.Loc, "'" + F.Name + "' calls blocking '" + Api.Api + "' here")
      .context(contextSteps(Root))
      .fingerprint({F.Loc.File, F.Name, Site.CalleeName, Api.Api});
}

void BlockingContextCheck::reportThrough(const ContextRoot& Root, const CallSite& Site,
                                         const BlockingMatch& Api,
                                         const std::vector<TraceHop>& Hops) {
  const FunctionFacts& F = *Root.Function;
  const char* Offload = Kind == ContextKind::Coroutine
                            ? "offload the call with co_await taskfit::to_thread(...)"
                            : "post the call to a thread pool";
  auto Found =
      report(Site.Loc, contextSubject(Root) + verb(Site) + "'" + Site.CalleeName +
                           "', which blocks in '" + Api.Api + "' (" + Api.Category + "); " +
                           Offload + " or make '" + Site.CalleeName + "' asynchronous");
  Found.step(Site.Loc, "'" + F.Name + "'" + verb(Site) + "'" + Site.CalleeName + "' here");
  for (size_t I = 0; I < Hops.size(); ++I) {
    const TraceHop& Hop = Hops[I];
    std::string Step = "'" + Hop.Function->Name + "'" + verb(*Hop.Site) + "'";
    if (I + 1 == Hops.size())
      Step += Api.Api + "', which blocks (" + Api.Category + "): " + Api.Replacement;
    else
      Step += Hop.Site->CalleeName + "' here";
    Found.step(Hop.Site->Loc, std::move(Step));
  }
  Found.context(contextSteps(Root)).fingerprint({F.Loc.File, F.Name, Site.CalleeName, Api.Api});
}

} // namespace taskfit
