//===- CpuBoundLoopInCoroutineCheck.cpp - cpu-bound-loop-in-coroutine -----===//
//
// An event loop runs one task at a time: a coroutine (or a callback) that
// loops over its input without a suspension point, or calls something
// CPU-heavy, keeps every other task of the loop waiting. The C++ twin of the
// seeds' GIL lesson: CPU-bound work in the wrong model is wasted.
// See docs/checks/cpu-bound-loop-in-coroutine.md.
//
// Callables handed to executors are reported at the submission by
// cpu-bound-loop-in-thread-pool instead, so each piece of work is reported once.
//
//===----------------------------------------------------------------------===//

#include "taskfit/analysis/Check.h"
#include "taskfit/analysis/CpuSummaries.h"

namespace taskfit {
namespace {

// Not to_thread: its pool is sized for blocking I/O, and CPU work belongs on
// one sized to the cores (see cpu-bound-loop-in-thread-pool).
constexpr const char* Offload =
    "add a suspension point in the loop (co_await taskfit::yield()) or offload the work with "
    "co_await taskfit::run_in_executor(cpu_pool, ...) on a pool sized to the cores "
    "(taskfit::ThreadPool::for_cpu())";

class CpuBoundLoopInCoroutineCheck : public Check {
public:
  CpuBoundLoopInCoroutineCheck() {
    Info.Id = "cpu-bound-loop-in-coroutine";
    Info.Name = "CpuBoundLoopInCoroutine";
    Info.DefaultLevel = Level::Warning;
    Info.ShortDescription = "A coroutine or event-loop callback runs CPU-bound work without "
                            "suspending.";
    Info.FullDescription =
        "A loop whose trip count depends on input, with a non-trivial body or nested loops and "
        "no suspension point, or a call that is CPU-heavy by nature (hashing, compression, "
        "regex compilation, sorting whole containers), run in a coroutine or a callback on an "
        "event loop, directly or through helpers, keeps every other task of the loop waiting.";
    Info.Help = "Add a suspension point inside the loop (co_await taskfit::yield(), "
                "seastar::maybe_yield()) so other tasks run between iterations, or move the "
                "work off the loop with co_await taskfit::run_in_executor(pool, ...) on a pool "
                "sized to the cores (taskfit::ThreadPool::for_cpu()) or a process pool.";
    Info.Tags = {"concurrency", "coroutines", "performance", "cpu"};
  }

  const CheckInfo& info() const override { return Info; }

  void run(const AnalysisContext& Context, std::vector<Finding>& Out) const override {
    const CpuSummaries& Cpu = Context.Cpu;
    for (const ContextRoot& Root : Context.Roots) {
      if (Root.Submitted)
        continue;
      const FunctionFacts& F = *Root.Function;
      std::string Subject = Root.Kind == ContextKind::Coroutine
                                ? "coroutine '" + F.Name + "'"
                                : "'" + F.Name + "' runs on the event loop and";
      std::vector<bool> Reported(F.Loops.size(), false);
      for (int I = 0; I < static_cast<int>(F.Loops.size()); ++I) {
        bool InsideReported = F.Loops[I].Parent >= 0 && Reported[F.Loops[I].Parent];
        if (InsideReported || !Cpu.isCpuBoundLoop(F, I)) {
          Reported[I] = InsideReported;
          continue;
        }
        Reported[I] = true;
        CpuWork Work{&F, I, nullptr};
        Finding Found = start(F, F.Loops[I].Loc);
        Found.Message = Subject + " runs " + Work.describe() + "; " + Offload;
        Found.Trace.push_back({F.Loops[I].Loc, "'" + F.Name + "' runs " + Work.describe()});
        Found.Context = Root.Why;
        Found.FingerprintKey =
            Info.Id + "|" + F.Loc.File + "|" + F.Name + "|loop#" + std::to_string(I);
        Out.push_back(std::move(Found));
      }
      for (const CallSite& Site : F.Calls) {
        if (Site.Loop >= 0 && Reported[Site.Loop])
          continue;
        std::vector<TraceHop> Hops;
        std::optional<CpuWork> Work = Cpu.reach(Site, &Hops);
        if (!Work)
          continue;
        // In a loop that suspends every iteration, a helper's single loop is
        // per-item work: the chunking the check asks for. Nested or unbounded
        // loops and CPU-heavy calls still stand out there.
        if (suspendsAround(F, Site.Loop) && !Work->HeavyCall) {
          const LoopFact& L = Work->Function->Loops[Work->Loop];
          if (!L.HasNestedLoop && L.Trips != TripCount::Unbounded)
            continue;
        }
        Finding Found = start(F, Site.Loc);
        if (Site.CpuHeavy) {
          Found.Message = Subject + " calls " + Work->describe() + ", which is CPU-heavy; " +
                          Site.CpuHeavy->Hint;
          Found.Trace.push_back({Site.Loc, "'" + F.Name + "' calls " + Work->describe() + " here"});
        } else {
          Found.Message = Subject + " calls '" + Site.CalleeName + "', which runs " +
                          Work->describe() + "; " + Offload;
          Found.Trace.push_back(
              {Site.Loc, "'" + F.Name + "' calls '" + Site.CalleeName + "' here"});
          Work->appendTrace(Hops, Found.Trace);
        }
        Found.Context = Root.Why;
        Found.FingerprintKey = Info.Id + "|" + F.Loc.File + "|" + F.Name + "|" + Site.CalleeName;
        Out.push_back(std::move(Found));
      }
    }
  }

private:
  static bool suspendsAround(const FunctionFacts& F, int Loop) {
    for (; Loop >= 0; Loop = F.Loops[Loop].Parent)
      if (F.Loops[Loop].Suspends)
        return true;
    return false;
  }

  Finding start(const FunctionFacts&, const SourceLoc& Loc) const {
    Finding Found;
    Found.CheckId = Info.Id;
    Found.Severity = Info.DefaultLevel;
    Found.Loc = Loc;
    return Found;
  }

  CheckInfo Info;
};

} // namespace

std::unique_ptr<Check> createCpuBoundLoopInCoroutineCheck() {
  return std::make_unique<CpuBoundLoopInCoroutineCheck>();
}

} // namespace taskfit
