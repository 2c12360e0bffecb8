//===- Workload.cpp - Classification of task sites ------------------------===//
//
// A task is CPU-bound when its body (or a helper's) runs CPU-bound work, I/O
// bound when it blocks or, for a coroutine, suspends on awaited operations;
// both is mixed, neither trivial. How many tasks a site creates comes from the
// loops around it: constant trip counts multiply, an unbounded loop (an accept
// loop) means many, anything else is unknown; and a coroutine that awaits in an
// unbounded loop serves many operations, however often it is started.
//
//===----------------------------------------------------------------------===//

#include "taskfit/analysis/Workload.h"

#include "taskfit/analysis/RuleSet.h"

namespace taskfit {
namespace {

std::string modelOf(const Submission& S) {
  if (S.Role == "process")
    return "process pool via " + S.Api;
  if (ExecutorRule::runsOnEventLoop(S.Role))
    return "event loop (" + S.Role + ") via " + S.Api;
  return "thread pool (" + S.Role + ") via " + S.Api;
}

/// The number of tasks a site in loop Loop of F creates, with the reason.
std::pair<Volume, std::string> volumeAt(const FunctionFacts& F, int Loop) {
  if (Loop < 0)
    return {Volume{1}, "not in a loop"};
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
      return {Volume{Volume::Unbounded}, "in an unbounded loop"};
    case TripCount::Container:
      return {Volume{},
              "in a loop over " + (Fact.Over.empty() ? "a container" : "'" + Fact.Over + "'")};
    case TripCount::Parameter:
      return {Volume{}, "in a loop bounded by a parameter"};
    case TripCount::Unknown:
      return {Volume{}, "in a loop with an input-dependent trip count"};
    }
  }
  return {Volume{Count}, "in loops of constant trip counts"};
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

constexpr const char* ServingLoopEvidence =
    "its body awaits in an unbounded loop (it serves many operations)";

/// The class of a task body, with its evidence.
std::string classify(const FunctionFacts& Task, const BlockingSummaries& Blocking,
                     const CpuSummaries& Cpu, std::vector<std::string>& Evidence) {
  bool IO = false;
  for (const CallSite& Site : Task.Calls)
    if (const BlockingMatch* Api = Blocking.reach(Site, nullptr)) {
      IO = true;
      Evidence.push_back("blocks in '" + Api->Api + "' (" + Api->Category + ")");
      break;
    }
  if (!IO && Task.Coroutine == CoroutineKind::Async) {
    bool Awaits = false;
    for (const LoopFact& L : Task.Loops)
      Awaits = Awaits || L.Suspends;
    // A coroutine's awaits are its I/O; one without a loop still awaits once at least.
    IO = true;
    Evidence.push_back(Awaits ? "awaits asynchronous operations in a loop"
                              : "awaits asynchronous operations");
  }
  bool CPU = false;
  if (auto Work = Cpu.of(Task, nullptr)) {
    CPU = true;
    Evidence.push_back("runs " + Work->describe());
  }
  if (CPU && IO)
    return "mixed";
  if (CPU)
    return "cpu";
  if (IO)
    return "io";
  Evidence.push_back("no blocking call and no CPU-bound work");
  return "trivial";
}

} // namespace

std::vector<TaskSite> classifyTaskSites(const Program& P, const BlockingSummaries& Blocking,
                                        const CpuSummaries& Cpu, const DecisionMatrix& Matrix) {
  std::vector<TaskSite> Sites;
  for (const FunctionFacts* F : P.functions()) {
    for (const Submission& S : F->Submissions) {
      const FunctionFacts* Task = P.function(S.CallableUsr);
      if (!Task)
        continue;
      TaskSite Site;
      Site.Kind = "submission";
      Site.Loc = S.Loc;
      Site.Task = S.CallableName;
      Site.Owner = F->Name;
      Site.Profile.Class = classify(*Task, Blocking, Cpu, Site.Evidence);
      auto [Tasks, Why] = volumeAt(*F, S.Loop);
      if (S.TasksPerCall == 0) {
        Tasks.Count.reset();
        Why = "a map over a range of unknown size";
      } else if (S.TasksPerCall > 1 && Tasks.Count) {
        Tasks.Count = *Tasks.Count > Volume::Unbounded / S.TasksPerCall
                          ? Volume::Unbounded
                          : *Tasks.Count * S.TasksPerCall;
        Why = "a map over " + std::to_string(S.TasksPerCall) + " elements, " + Why;
      }
      if (servesUnboundedOperations(*Task) && Tasks.Count != Volume::Unbounded) {
        Tasks = Volume{Volume::Unbounded};
        Why = ServingLoopEvidence;
      }
      Site.Profile.Tasks = Tasks;
      Site.VolumeEvidence = Why;
      Site.Payload = S.Payload.empty() ? "unknown" : S.Payload;
      Site.Profile.SerialisablePayload = S.Payload == "serialisable";
      Site.Profile.CallerAsync = F->Coroutine == CoroutineKind::Async;
      Site.CurrentModel = modelOf(S);
      Sites.push_back(std::move(Site));
    }
    if (F->Coroutine == CoroutineKind::Async) {
      TaskSite Site;
      Site.Kind = "coroutine";
      Site.Loc = F->Loc;
      Site.Task = F->Name;
      Site.Owner = F->Name;
      Site.Profile.Class = classify(*F, Blocking, Cpu, Site.Evidence);
      Site.VolumeEvidence = "created by its callers";
      if (servesUnboundedOperations(*F)) {
        Site.Profile.Tasks = Volume{Volume::Unbounded};
        Site.VolumeEvidence = ServingLoopEvidence;
      }
      Site.Payload = "shares-memory";
      Site.Profile.CallerAsync = true;
      Site.CurrentModel = "event loop (coroutine returning " + F->ReturnType + ")";
      Sites.push_back(std::move(Site));
    }
  }
  for (TaskSite& Site : Sites) {
    Site.VolumeLevel = Matrix.volumeLevel(Site.Profile.Tasks);
    Site.Row = Matrix.decide(Site.Profile);
  }
  std::sort(Sites.begin(), Sites.end(), [](const TaskSite& A, const TaskSite& B) {
    return std::tie(A.Loc, A.Task) < std::tie(B.Loc, B.Task);
  });
  return Sites;
}

} // namespace taskfit
