//===- TaskClassifier.cpp -------------------------------------------------===//
//
// Volume: constant trip counts of enclosing loops multiply, an unbounded loop
// (an accept loop) means many, anything else is unknown; and a coroutine that
// awaits in an unbounded loop serves many operations, however often it is
// started.
//
//===----------------------------------------------------------------------===//

#include "propagate/TaskClassifier.h"

namespace taskfit {
namespace {

/// The number of tasks a site in loop Loop of F creates, with the reason.
std::pair<Volume, VolumeEvidence> volumeAt(const FunctionFacts& F, int Loop) {
  if (Loop < 0)
    return {Volume{1}, {VolumeReason::NotInLoop}};
  int64_t Count = 1;
  for (int L = Loop; L >= 0; L = F.Loops[L].Parent) {
    const LoopFact& Fact = F.Loops[L];
    switch (Fact.Trips) {
    case TripCount::Constant:
      Count = Fact.ConstantTrips > 0 && Count > Volume::Unbounded / Fact.ConstantTrips
                  ? Volume::Unbounded
                  : Count * std::max<int64_t>(Fact.ConstantTrips, 0);
      break;
    case TripCount::Unbounded:
      return {Volume{Volume::Unbounded}, {VolumeReason::UnboundedLoop}};
    case TripCount::Container:
      return {Volume{}, {VolumeReason::ContainerLoop, VolumeReason::NotInLoop, Fact.Over}};
    case TripCount::Parameter:
      return {Volume{}, {VolumeReason::ParameterLoop}};
    case TripCount::Unknown:
      return {Volume{}, {VolumeReason::UnknownLoop}};
    }
  }
  return {Volume{Count}, {VolumeReason::ConstantLoops}};
}

/// A coroutine whose body awaits in an unbounded loop (an accept or a read loop) serves an
/// unbounded number of operations, however many times it is started.
bool servesUnboundedOperations(const FunctionFacts& Task) {
  if (Task.Coroutine != CoroutineKind::Async)
    return false;
  for (const LoopFact& L : Task.Loops)
    if (L.Trips == TripCount::Unbounded && L.Suspends)
      return true;
  return false;
}

TaskEvidence evidenceOf(const FunctionFacts& Task, const BlockingSummaries& Blocking,
                        const CpuSummaries& Cpu) {
  TaskEvidence E;
  for (const CallSite& Site : Task.Calls)
    if ((E.Blocks = Blocking.reach(Site, nullptr)))
      break;
  // A coroutine's awaits are its I/O; one without a loop still awaits once at least.
  if (!E.Blocks && Task.Coroutine == CoroutineKind::Async)
    E.Awaits = llvm::any_of(Task.Loops, [](const LoopFact& L) { return L.Suspends; })
                   ? TaskEvidence::Await::InLoop
                   : TaskEvidence::Await::Once;
  E.Cpu = Cpu.of(Task, nullptr);
  return E;
}

std::string classOf(const TaskEvidence& E) {
  bool IO = E.Blocks || E.Awaits != TaskEvidence::Await::None;
  if (E.Cpu && IO)
    return "mixed";
  if (E.Cpu)
    return "cpu";
  return IO ? "io" : "trivial";
}

ClassifiedTask classifySubmission(const FunctionFacts& Owner, const Submission& S,
                                  const FunctionFacts& Task, const BlockingSummaries& Blocking,
                                  const CpuSummaries& Cpu) {
  ClassifiedTask Site;
  Site.K = ClassifiedTask::Kind::Submission;
  Site.Loc = S.Loc;
  Site.Task = S.CallableName;
  Site.Owner = &Owner;
  Site.Body = &Task;
  Site.Sent = &S;
  Site.Evidence = evidenceOf(Task, Blocking, Cpu);
  Site.Profile.Class = classOf(Site.Evidence);
  auto [Tasks, Why] = volumeAt(Owner, S.Loop);
  if (S.TasksPerCall == 0) {
    Tasks.Count.reset();
    Why = {VolumeReason::MapOfUnknownSize};
  } else if (S.TasksPerCall > 1 && Tasks.Count) {
    Tasks.Count = *Tasks.Count > Volume::Unbounded / S.TasksPerCall ? Volume::Unbounded
                                                                    : *Tasks.Count * S.TasksPerCall;
    Why = {VolumeReason::MapOfElements, Why.Reason, Why.Over, S.TasksPerCall};
  }
  if (servesUnboundedOperations(Task) && Tasks.Count != Volume::Unbounded) {
    Tasks = Volume{Volume::Unbounded};
    Why = {VolumeReason::ServingLoop};
  }
  Site.Profile.Tasks = Tasks;
  Site.Volume = Why;
  Site.Payload = S.Payload.empty() ? "unknown" : S.Payload;
  Site.Profile.SerialisablePayload = S.Payload == "serialisable";
  Site.Profile.CallerAsync = Owner.Coroutine == CoroutineKind::Async;
  return Site;
}

ClassifiedTask classifyCoroutine(const FunctionFacts& F, const BlockingSummaries& Blocking,
                                 const CpuSummaries& Cpu) {
  ClassifiedTask Site;
  Site.K = ClassifiedTask::Kind::Coroutine;
  Site.Loc = F.Loc;
  Site.Task = F.Name;
  Site.Owner = Site.Body = &F;
  Site.Evidence = evidenceOf(F, Blocking, Cpu);
  Site.Profile.Class = classOf(Site.Evidence);
  Site.Volume = {VolumeReason::CreatedByCallers};
  if (servesUnboundedOperations(F)) {
    Site.Profile.Tasks = Volume{Volume::Unbounded};
    Site.Volume = {VolumeReason::ServingLoop};
  }
  Site.Payload = "shares-memory";
  Site.Profile.CallerAsync = true;
  return Site;
}

} // namespace

std::vector<ClassifiedTask> classifyTasks(const Program& P, const BlockingSummaries& Blocking,
                                          const CpuSummaries& Cpu, const DecisionMatrix& Matrix) {
  std::vector<ClassifiedTask> Sites;
  for (const FunctionFacts* F : P.functions()) {
    for (const Submission& S : F->Submissions)
      if (const FunctionFacts* Task = P.function(S.CallableUsr))
        Sites.push_back(classifySubmission(*F, S, *Task, Blocking, Cpu));
    if (F->Coroutine == CoroutineKind::Async)
      Sites.push_back(classifyCoroutine(*F, Blocking, Cpu));
  }
  for (ClassifiedTask& Site : Sites) {
    Site.VolumeLevel = Matrix.volumeLevel(Site.Profile.Tasks);
    Site.Row = Matrix.decide(Site.Profile);
  }
  std::sort(Sites.begin(), Sites.end(), [](const ClassifiedTask& A, const ClassifiedTask& B) {
    return std::tie(A.Loc, A.Task) < std::tie(B.Loc, B.Task);
  });
  return Sites;
}

} // namespace taskfit
