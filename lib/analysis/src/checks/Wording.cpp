//===- Wording.cpp --------------------------------------------------------===//

#include "checks/Wording.h"

namespace taskfit {

std::string describe(const CpuWork& Work) {
  if (Work.HeavyCall)
    return "'" + Work.HeavyCall->CpuHeavy->Api + "' (" + Work.HeavyCall->CpuHeavy->Category + ")";
  const LoopFact& L = Work.loop();
  if (isBusyWait(L))
    return "a busy-wait loop that spins without yielding";
  std::string Over = L.Over.empty() ? "" : " '" + L.Over + "'";
  std::string Text;
  switch (L.Trips) {
  case TripCount::Constant:
    Text = "a loop of " + std::to_string(L.ConstantTrips) + " iterations";
    break;
  case TripCount::Container:
    Text = "a loop over" + (Over.empty() ? std::string(" a container") : Over);
    break;
  case TripCount::Parameter:
    Text = "a loop bounded by a parameter" + (Over.empty() ? "" : " (" + Over.substr(1) + ")");
    break;
  case TripCount::Unknown:
    Text = "a loop with an input-dependent trip count";
    break;
  case TripCount::Unbounded:
    Text = "an unbounded loop";
    break;
  }
  if (L.HasNestedLoop)
    Text += " with nested loops";
  return Text + " and no suspension point";
}

std::vector<FindingStep> workSteps(const CpuWork& Work, const std::vector<TraceHop>& Hops) {
  std::vector<FindingStep> Steps;
  for (const TraceHop& Hop : Hops)
    Steps.push_back(
        {Hop.Site->Loc, "'" + Hop.Function->Name + "' calls '" + Hop.Site->CalleeName + "' here"});
  const SourceLoc& Where = Work.HeavyCall ? Work.HeavyCall->Loc : Work.loop().Loc;
  Steps.push_back({Where, "'" + Work.Function->Name + "' runs " + describe(Work)});
  return Steps;
}

std::vector<FindingStep> contextSteps(const ContextRoot& Root) {
  const FunctionFacts& F = *Root.Function;
  switch (Root.Reason) {
  case ContextReason::CoroutineType:
    return {};
  case ContextReason::ReturnsReactorFuture:
    return {{F.Loc, "'" + F.Name + "' returns '" + F.ReturnType + "', so it runs on the reactor"}};
  case ContextReason::Annotated:
    return {{F.Loc, "'" + F.Name + "' is marked as an event-loop entry point"}};
  case ContextReason::ListedEntryPoint:
    return {{F.Loc, "'" + F.Name + "' is listed in event-loop-entry-points"}};
  case ContextReason::Submitted:
    return {{Root.Submitted->Loc, "'" + Root.Submitted->CallableName +
                                      "' runs on the event loop: it is passed to '" +
                                      Root.Submitted->Api + "' here"}};
  }
  return {};
}

std::string contextSubject(const ContextRoot& Root) {
  const std::string& Name = Root.Function->Name;
  return Root.Kind == ContextKind::Coroutine ? "coroutine '" + Name + "'"
                                             : "'" + Name + "' runs on the event loop and";
}

static std::vector<std::string> evidenceWords(const TaskEvidence& E) {
  std::vector<std::string> Words;
  if (E.Blocks)
    Words.push_back("blocks in '" + E.Blocks->Api + "' (" + E.Blocks->Category + ")");
  if (E.Awaits == TaskEvidence::Await::InLoop)
    Words.push_back("awaits asynchronous operations in a loop");
  else if (E.Awaits == TaskEvidence::Await::Once)
    Words.push_back("awaits asynchronous operations");
  if (E.Cpu)
    Words.push_back("runs " + describe(*E.Cpu));
  if (Words.empty())
    Words.push_back("no blocking call and no CPU-bound work");
  return Words;
}

static std::string volumeWords(const VolumeEvidence& V) {
  switch (V.Reason) {
  case VolumeReason::NotInLoop:
    return "not in a loop";
  case VolumeReason::ConstantLoops:
    return "in loops of constant trip counts";
  case VolumeReason::UnboundedLoop:
    return "in an unbounded loop";
  case VolumeReason::ContainerLoop:
    return "in a loop over " + (V.Over.empty() ? "a container" : "'" + V.Over + "'");
  case VolumeReason::ParameterLoop:
    return "in a loop bounded by a parameter";
  case VolumeReason::UnknownLoop:
    return "in a loop with an input-dependent trip count";
  case VolumeReason::MapOfUnknownSize:
    return "a map over a range of unknown size";
  case VolumeReason::MapOfElements:
    return "a map over " + std::to_string(V.MapElements) + " elements, " +
           volumeWords({V.Loops, VolumeReason::NotInLoop, V.Over});
  case VolumeReason::ServingLoop:
    return "its body awaits in an unbounded loop (it serves many operations)";
  case VolumeReason::CreatedByCallers:
    return "created by its callers";
  }
  return {};
}

static std::string modelWords(const ClassifiedTask& Site) {
  if (!Site.Sent) {
    // A lambda's deduced return type has no spelling in the facts.
    if (Site.Body->ReturnType.empty())
      return "event loop (coroutine)";
    return "event loop (coroutine returning " + Site.Body->ReturnType + ")";
  }
  const Submission& S = *Site.Sent;
  if (S.Role == ExecutorRole::Process)
    return "process pool via " + S.Api;
  std::string Role = roleName(S.Role).str();
  if (runsOnEventLoop(S.Role))
    return "event loop (" + Role + ") via " + S.Api;
  return "thread pool (" + Role + ") via " + S.Api;
}

TaskSite describeTask(const ClassifiedTask& Site) {
  TaskSite Out;
  Out.Kind = Site.K == ClassifiedTask::Kind::Submission ? "submission" : "coroutine";
  Out.Loc = Site.Loc;
  Out.Task = Site.Task;
  Out.Owner = Site.Owner->Name;
  Out.Profile = Site.Profile;
  Out.Evidence = evidenceWords(Site.Evidence);
  Out.VolumeLevel = Site.VolumeLevel;
  Out.VolumeEvidence = volumeWords(Site.Volume);
  Out.Payload = Site.Payload;
  Out.CurrentModel = modelWords(Site);
  Out.Row = Site.Row;
  return Out;
}

} // namespace taskfit
