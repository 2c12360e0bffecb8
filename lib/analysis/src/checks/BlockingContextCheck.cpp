//===- BlockingContextCheck.cpp -------------------------------------------===//

#include "checks/BlockingContextCheck.h"

#include "checks/Wording.h"
#include "knowledge/Names.h"

namespace taskfit {

static CheckInfo withOptions(CheckInfo Info) {
  Info.Options = {
      {"ignored-categories", "Categories of rules/blocking.yaml not to report (sync-wait, ...)."},
      {"ignored-apis", "APIs not to report: qualified names or globs ('mylib::*')."},
      {"all-lock-waits", "true: report every lock acquisition, not only those of locks held "
                         "elsewhere around blocking or CPU-bound work."}};
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
  const auto* AllLockWaits = option(F.Loc.File, "all-lock-waits");
  const BlockingSummaries& Blocking = AllLockWaits && llvm::is_contained(*AllLockWaits, "true")
                                          ? Context.Found.StrictBlocking
                                          : Context.Found.Blocking;
  for (const CallSite& Site : F.Calls) {
    Reached R;
    R.Api = Blocking.reach(Site, &R.Hops);
    if (!R.Api || listed(IgnoredCategories, R.Api->Category) || listed(IgnoredApis, R.Api->Api))
      continue;
    // A callback that runs the loop it was posted to drives it; it nests nothing.
    if (R.Hops.empty() && !Site.RunsLoop.empty() && Root.Submitted &&
        Root.Submitted->ExecutorObject == Site.RunsLoop)
      continue;
    // The handler of a readiness wait does the I/O the wait was for: the
    // object is ready, so the call returns at once (reactor-style I/O).
    if (R.Hops.empty() && !Site.Descriptor.empty() && Root.Submitted &&
        Root.Submitted->AfterReadiness && Root.Submitted->ExecutorObject == Site.Descriptor)
      continue;
    const CallSite& Waits = R.Hops.empty() ? Site : *R.Hops.back().Site;
    for (const std::string& Lock : Waits.Acquires)
      if ((R.Holder = Context.Found.Locks.holder(Lock))) {
        R.Lock = Lock;
        break;
      }
    if (R.Hops.empty())
      reportDirect(Root, Site, R);
    else
      reportThrough(Root, Site, R);
  }
}

std::string BlockingContextCheck::offloadAdvice(const ContextRoot& Root) const {
  if (Kind == ContextKind::Coroutine) {
    if (!Root.Function->Offload.empty())
      return Root.Function->Offload;
    return "offload the call with co_await taskfit::to_thread(...)";
  }
  if (Root.Submitted && !Root.Submitted->Offload.empty())
    return Root.Submitted->Offload;
  return "post the call to a thread pool";
}

std::string BlockingContextCheck::lockClause(const Reached& R) {
  return ", which waits for '" + R.Lock + "' (" + R.Api->Category + "), held around " +
         (R.Holder->Blocks ? "blocking" : "CPU-bound") + " work";
}

std::vector<FindingStep> BlockingContextCheck::holderSteps(const Reached& R) {
  const LockHolder& H = *R.Holder;
  const std::string& Name = H.Function->Name;
  if (!H.Site)
    return {{H.Cpu->loop().Loc,
             "'" + Name + "' holds '" + R.Lock + "' while it runs " + describe(*H.Cpu)}};
  std::vector<FindingStep> Steps;
  if (H.Hops.empty() && H.Blocks) {
    Steps.push_back({H.Site->Loc, "'" + Name + "' holds '" + R.Lock + "' while it calls '" +
                                      H.Blocks->Api + "', which blocks (" + H.Blocks->Category +
                                      ")"});
    return Steps;
  }
  Steps.push_back({H.Site->Loc, "'" + Name + "' holds '" + R.Lock + "' while it calls '" +
                                    H.Site->CalleeName + "' here"});
  if (H.Cpu) {
    llvm::append_range(Steps, workSteps(*H.Cpu, H.Hops));
    return Steps;
  }
  for (size_t I = 0; I < H.Hops.size(); ++I) {
    const TraceHop& Hop = H.Hops[I];
    bool Last = I + 1 == H.Hops.size();
    Steps.push_back(
        {Hop.Site->Loc, "'" + Hop.Function->Name + "'" + verb(*Hop.Site) + "'" +
                            (Last ? H.Blocks->Api + "', which blocks (" + H.Blocks->Category + ")"
                                  : Hop.Site->CalleeName + "' here")});
  }
  return Steps;
}

void BlockingContextCheck::reportDirect(const ContextRoot& Root, const CallSite& Site,
                                        const Reached& R) {
  const FunctionFacts& F = *Root.Function;
  const BlockingMatch& Api = *R.Api;
  std::string What = R.Holder ? lockClause(R) : ", which blocks (" + Api.Category + ")";
  report(Site.Loc,
         contextSubject(Root) + verb(Site) + "'" + Api.Api + "'" + What + "; " + Api.Replacement)
      .step(Site.Loc, "'" + F.Name + "' calls blocking '" + Api.Api + "' here")
      .related(R.Holder ? holderSteps(R) : std::vector<FindingStep>())
      .context(contextSteps(Root))
      .fingerprint({F.Loc.File, F.Name, Site.CalleeName, Api.Api});
}

void BlockingContextCheck::reportThrough(const ContextRoot& Root, const CallSite& Site,
                                         const Reached& R) {
  const FunctionFacts& F = *Root.Function;
  const BlockingMatch& Api = *R.Api;
  std::string Offload = offloadAdvice(Root);
  std::string What = R.Holder ? ", which waits for '" + R.Lock + "' in '" + Api.Api + "' (" +
                                    Api.Category + "), held around " +
                                    (R.Holder->Blocks ? "blocking" : "CPU-bound") + " work"
                              : ", which blocks in '" + Api.Api + "' (" + Api.Category + ")";
  auto Found =
      report(Site.Loc, contextSubject(Root) + verb(Site) + "'" + Site.CalleeName + "'" + What +
                           "; " + Offload + " or make '" + Site.CalleeName + "' asynchronous");
  Found.step(Site.Loc, "'" + F.Name + "'" + verb(Site) + "'" + Site.CalleeName + "' here");
  for (size_t I = 0; I < R.Hops.size(); ++I) {
    const TraceHop& Hop = R.Hops[I];
    std::string Step = "'" + Hop.Function->Name + "'" + verb(*Hop.Site) + "'";
    if (I + 1 < R.Hops.size())
      Step += Hop.Site->CalleeName + "' here";
    else if (R.Holder)
      Step += Api.Api + "', which waits for '" + R.Lock + "' (" + Api.Category + ")";
    else
      Step += Api.Api + "', which blocks (" + Api.Category + "): " + Api.Replacement;
    Found.step(Hop.Site->Loc, std::move(Step));
  }
  if (R.Holder)
    Found.related(holderSteps(R));
  Found.context(contextSteps(Root)).fingerprint({F.Loc.File, F.Name, Site.CalleeName, Api.Api});
}

} // namespace taskfit
