//===- CpuBoundLoopInThreadPoolCheck.cpp - cpu-bound-loop-in-thread-pool --===//
//
// CPU-bound work handed to an executor that cannot run it well: a pool sized
// for blocking I/O (its threads outnumber the cores, so CPU work competes
// with the I/O it was sized for), a strand (one task at a time), or an event
// loop (everything else waits). On an executor of unknown purpose the finding
// is a note with the decision matrix's advice.
// See docs/checks/cpu-bound-loop-in-thread-pool.md.
//
//===----------------------------------------------------------------------===//

#include "checks/Check.h"
#include "checks/Wording.h"
#include "propagate/Submissions.h"

#include <map>

namespace taskfit {
namespace {

CheckInfo checkInfo() {
  CheckInfo Info;
  Info.Id = "cpu-bound-loop-in-thread-pool";
  Info.Name = "CpuBoundLoopInThreadPool";
  Info.DefaultLevel = Level::Warning;
  Info.ShortDescription = "CPU-bound work is submitted to an executor that cannot run it well.";
  Info.FullDescription =
      "A task whose body runs CPU-bound work (a long loop with a non-trivial body, nested "
      "loops, or a CPU-heavy call), directly or through helpers, is submitted to a pool sized "
      "for blocking I/O, to a strand, or to an event loop; or runs that work while holding a "
      "lock that every task of its pool takes, which serialises the pool like Python's GIL. "
      "A note is given when the executor's purpose is unknown (std::thread, std::async, an "
      "unknown pool).";
  Info.Help = "Run CPU-bound work on a pool sized to the cores "
              "(taskfit::ThreadPool::for_cpu(), asio::thread_pool(hardware_concurrency)) or, "
              "when its payload is serialisable and the tasks are many, on a process pool "
              "(taskfit::ProcessPool).";
  Info.Tags = {"concurrency", "thread-pool", "performance", "cpu"};
  Info.Precision =
      PrecisionRating::Medium; // No finding on the corpora yet: unmeasured (docs/precision.md).
  return Info;
}

/// What is wrong with running CPU-bound work on an executor of this role,
/// or empty when nothing is.
std::string roleProblem(ExecutorRole Role) {
  switch (Role) {
  case ExecutorRole::Io:
    return "a pool sized for blocking I/O (role io), where CPU-bound work competes with the I/O "
           "it was sized for";
  case ExecutorRole::Strand:
    return "a strand, which runs its tasks one at a time";
  case ExecutorRole::EventLoop:
    return "an event loop, where every other handler waits while it runs";
  case ExecutorRole::Generic:
    return "an executor of unknown purpose (role generic)";
  case ExecutorRole::Cpu:
  case ExecutorRole::Process:
    return {};
  }
  return {};
}

/// A task sent to an executor object.
struct Sent {
  const FunctionFacts* Owner;
  const Submission* S;
  const FunctionFacts* Task;
};

class CpuBoundLoopInThreadPoolCheck : public Check {
public:
  CpuBoundLoopInThreadPoolCheck() : Check(checkInfo()) {}

protected:
  void check(const CheckContext& Context) override {
    reportWrongExecutors(Context);
    reportSharedLocks(Context);
  }

private:
  void reportWrongExecutors(const CheckContext& Context) {
    SubmissionsOf Decisive(Context.Prog);
    for (const FunctionFacts* F : Context.Prog.functions())
      for (const Submission& S : F->Submissions) {
        std::string Problem = roleProblem(S.Role);
        const FunctionFacts* Task = Context.Prog.function(S.CallableUsr);
        if (Problem.empty() || !Task || Task->Coroutine == CoroutineKind::Async ||
            !Decisive.decisive(S))
          continue;
        std::vector<TraceHop> Hops;
        std::optional<CpuWork> Work = Context.Found.Cpu.of(*Task, &Hops);
        if (!Work)
          continue;
        bool Generic = S.Role == ExecutorRole::Generic;
        report(S.Loc, "CPU-bound task '" + S.CallableName + "' (it runs " + describe(*Work) +
                          ") is submitted to '" + S.Api + "', " + Problem + "; " +
                          (Generic ? "for CPU-bound work the decision matrix recommends a pool "
                                     "sized to the cores (taskfit::ThreadPool::for_cpu()), or a "
                                     "process pool (taskfit::ProcessPool) for many tasks with "
                                     "serialisable payloads"
                                   : "run it on a pool sized to the cores "
                                     "(taskfit::ThreadPool::for_cpu()) or a process pool "
                                     "(taskfit::ProcessPool)"))
            .level(Generic ? Level::Note : info().DefaultLevel)
            .step(S.Loc, "'" + S.CallableName + "' is submitted to '" + S.Api + "' here")
            .steps(workSteps(*Work, Hops))
            .fingerprint({F->Loc.File, F->Name, S.Api, S.CallableName});
      }
  }

  /// The GIL pattern: every task of one pool takes the same lock, and one of
  /// them runs CPU-bound work while holding it, so the pool runs one such task
  /// at a time whatever its size.
  void reportSharedLocks(const CheckContext& Context) {
    std::map<std::string, std::vector<Sent>> ByExecutor;
    for (const FunctionFacts* F : Context.Prog.functions())
      for (const Submission& S : F->Submissions)
        if (!S.Executor.empty() && !runsOnEventLoop(S.Role) && S.Role != ExecutorRole::Process)
          if (const FunctionFacts* Task = Context.Prog.function(S.CallableUsr))
            ByExecutor[S.Executor].push_back({F, &S, Task});
    for (const auto& [Executor, Tasks] : ByExecutor) {
      // Several tasks: one site in a loop, or several sites.
      bool Many = Tasks.size() > 1 || Tasks.front().S->Loop >= 0;
      if (!Many)
        continue;
      for (const std::string& Lock : Tasks.front().Task->Locks) {
        bool TakenByAll = llvm::all_of(
            Tasks, [&](const Sent& T) { return llvm::is_contained(T.Task->Locks, Lock); });
        if (!TakenByAll)
          continue;
        for (const Sent& T : Tasks)
          if (auto Where = cpuWorkUnder(Context.Found.Cpu, *T.Task, Lock))
            reportSharedLock(T, Lock, *Where);
      }
    }
  }

  /// Where a task runs CPU-bound work while holding Lock, if it does.
  static std::optional<FindingStep> cpuWorkUnder(const CpuSummaries& Cpu, const FunctionFacts& Task,
                                                 const std::string& Lock) {
    for (int I = 0; I < static_cast<int>(Task.Loops.size()); ++I)
      if (Task.Loops[I].HeldLock == Lock && Cpu.isCpuBoundLoop(Task, I))
        return FindingStep{Task.Loops[I].Loc, "'" + Task.Name + "' runs " +
                                                  describe(CpuWork{&Task, I, nullptr}) +
                                                  " while holding '" + Lock + "'"};
    for (const CallSite& Site : Task.Calls)
      if (Site.HeldLock == Lock)
        if (auto Work = Cpu.reach(Site, nullptr))
          return FindingStep{Site.Loc, "'" + Task.Name + "' calls '" + Site.CalleeName +
                                           "', which runs " + describe(*Work) +
                                           ", while holding '" + Lock + "'"};
    return std::nullopt;
  }

  void reportSharedLock(const Sent& T, const std::string& Lock, const FindingStep& Where) {
    report(T.S->Loc, "CPU-bound task '" + T.S->CallableName + "' holds '" + Lock +
                         "' while it computes, and every task submitted to '" + T.S->ExecutorName +
                         "' takes that lock: the pool runs them one at a time, like Python's "
                         "GIL; hold the lock only to read or publish shared state and compute "
                         "outside it")
        .step(T.S->Loc,
              "'" + T.S->CallableName + "' is submitted to '" + T.S->ExecutorName + "' here")
        .step(Where.Loc, Where.Message)
        .fingerprint({"lock", T.Owner->Loc.File, T.Owner->Name, T.S->CallableName, Lock});
  }
};

} // namespace

std::unique_ptr<Check> createCpuBoundLoopInThreadPoolCheck() {
  return std::make_unique<CpuBoundLoopInThreadPoolCheck>();
}

} // namespace taskfit
