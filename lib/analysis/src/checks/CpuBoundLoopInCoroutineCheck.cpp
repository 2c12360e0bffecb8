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

#include "checks/Check.h"
#include "checks/Wording.h"

namespace taskfit {
namespace {

// Not to_thread: its pool is sized for blocking I/O, and CPU work belongs on
// one sized to the cores (see cpu-bound-loop-in-thread-pool).
constexpr const char* OffloadWork = "offload the work with co_await "
                                    "taskfit::run_in_executor(cpu_pool, ...) on a pool sized to "
                                    "the cores (taskfit::ThreadPool::for_cpu())";

/// The advice for work that is a loop: chunking it is the lighter fix.
std::string loopAdvice() {
  return std::string("add a suspension point in the loop (co_await taskfit::yield()) or ") +
         OffloadWork;
}

/// The advice for work reached through a call: a loop inside the callee can
/// be chunked; a CPU-heavy call (a sort, a hash) in it has no loop to yield
/// in and can only be moved.
std::string adviceFor(const CpuWork& Work) {
  return Work.HeavyCall ? OffloadWork : loopAdvice();
}

CheckInfo checkInfo() {
  CheckInfo Info;
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
  Info.Precision =
      PrecisionRating::Medium; // No finding on the corpora yet: unmeasured (docs/precision.md).
  return Info;
}

/// Whether loop Loop of F, or one around it, suspends on every iteration.
bool suspendsAround(const FunctionFacts& F, int Loop) {
  for (; Loop >= 0; Loop = F.Loops[Loop].Parent)
    if (F.Loops[Loop].Suspends)
      return true;
  return false;
}

class CpuBoundLoopInCoroutineCheck : public Check {
public:
  CpuBoundLoopInCoroutineCheck() : Check(checkInfo()) {}

protected:
  void check(const CheckContext& Context) override {
    for (const ContextRoot& Root : Context.Found.Roots) {
      if (Root.Submitted)
        continue;
      std::vector<bool> Reported = reportLoops(Context.Found.Cpu, Root);
      reportCalls(Context.Found.Cpu, Root, Reported);
    }
  }

private:
  /// The body's own CPU-bound loops, outermost first; which loops are (in) a
  /// reported one.
  std::vector<bool> reportLoops(const CpuSummaries& Cpu, const ContextRoot& Root) {
    const FunctionFacts& F = *Root.Function;
    std::vector<bool> Reported(F.Loops.size(), false);
    for (int I = 0; I < static_cast<int>(F.Loops.size()); ++I) {
      bool InsideReported = F.Loops[I].Parent >= 0 && Reported[F.Loops[I].Parent];
      if (InsideReported || !Cpu.isCpuBoundLoop(F, I)) {
        Reported[I] = InsideReported;
        continue;
      }
      Reported[I] = true;
      std::string Work = describe(CpuWork{&F, I, nullptr});
      report(F.Loops[I].Loc, contextSubject(Root) + " runs " + Work + "; " + loopAdvice())
          .step(F.Loops[I].Loc, "'" + F.Name + "' runs " + Work)
          .context(contextSteps(Root))
          .fingerprint({F.Loc.File, F.Name, "loop#" + std::to_string(I)});
    }
    return Reported;
  }

  /// Calls, outside reported loops, that reach CPU-bound work.
  void reportCalls(const CpuSummaries& Cpu, const ContextRoot& Root,
                   const std::vector<bool>& Reported) {
    const FunctionFacts& F = *Root.Function;
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
      if (suspendsAround(F, Site.Loop) && !Work->HeavyCall && !Work->loop().HasNestedLoop &&
          Work->loop().Trips != TripCount::Unbounded)
        continue;
      if (Site.CpuHeavy) {
        report(Site.Loc, contextSubject(Root) + " calls " + describe(*Work) +
                             ", which is CPU-heavy; " + Site.CpuHeavy->Hint)
            .step(Site.Loc, "'" + F.Name + "' calls " + describe(*Work) + " here")
            .context(contextSteps(Root))
            .fingerprint({F.Loc.File, F.Name, Site.CalleeName});
        continue;
      }
      report(Site.Loc, contextSubject(Root) + " calls '" + Site.CalleeName + "', which runs " +
                           describe(*Work) + "; " + adviceFor(*Work))
          .step(Site.Loc, "'" + F.Name + "' calls '" + Site.CalleeName + "' here")
          .steps(workSteps(*Work, Hops))
          .context(contextSteps(Root))
          .fingerprint({F.Loc.File, F.Name, Site.CalleeName});
    }
  }
};

} // namespace

std::unique_ptr<Check> createCpuBoundLoopInCoroutineCheck() {
  return std::make_unique<CpuBoundLoopInCoroutineCheck>();
}

} // namespace taskfit
