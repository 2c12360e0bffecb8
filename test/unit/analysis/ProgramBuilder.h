//===- ProgramBuilder.h - Facts written by hand, for tests without clang --===//
//
// The middle of the pipeline (link -> propagate -> checks -> filter) reads
// plain data; these builders write that data the way the extractor would, so
// its tests say what a program does in a few lines:
//
//   ProgramBuilder B;
//   auto& H = B.function("helper", "src/a.cpp", 3);
//   B.call(H, "fopen", 4).Blocking = BlockingMatch{"fopen", "file-io", "..."};
//   auto& C = B.coroutine("handler", "src/a.cpp", 10);
//   B.call(C, H, 11);
//   Program P = B.link();
//
//===----------------------------------------------------------------------===//
#ifndef TASKFIT_TEST_UNIT_ANALYSIS_PROGRAMBUILDER_H
#define TASKFIT_TEST_UNIT_ANALYSIS_PROGRAMBUILDER_H

#include "link/Program.h"
#include "taskfit/analysis/Config.h"

#include <deque>

namespace taskfit::testing {

class ProgramBuilder {
public:
  /// A function defined in File at Line; its USR is `c:@F@<Name>`.
  FunctionFacts& function(const std::string& Name, const std::string& File = "src/a.cpp",
                          unsigned Line = 1) {
    FunctionFacts& F = Functions.emplace_back();
    F.Usr = "c:@F@" + Name;
    F.Name = Name;
    F.Loc = {File, Line, 1};
    return F;
  }

  /// An async coroutine returning ReturnType.
  FunctionFacts& coroutine(const std::string& Name, const std::string& File = "src/a.cpp",
                           unsigned Line = 1, const std::string& ReturnType = "taskfit::Task") {
    FunctionFacts& F = function(Name, File, Line);
    F.Coroutine = CoroutineKind::Async;
    F.ReturnType = ReturnType;
    return F;
  }

  /// A call from Caller to a function the program does not define (an API).
  CallSite& call(FunctionFacts& Caller, const std::string& Api, unsigned Line, int Loop = -1) {
    CallSite& Site = Caller.Calls.emplace_back();
    Site.Loc = {Caller.Loc.File, Line, 3};
    Site.CalleeName = Api;
    Site.Loop = Loop;
    return Site;
  }

  /// A call from Caller to Callee, a function of the program.
  CallSite& call(FunctionFacts& Caller, const FunctionFacts& Callee, unsigned Line, int Loop = -1) {
    CallSite& Site = call(Caller, Callee.Name, Line, Loop);
    Site.CalleeUsr = Callee.Usr;
    return Site;
  }

  /// A call to a blocking API of Category.
  CallSite& blockingCall(FunctionFacts& Caller, const std::string& Api, unsigned Line,
                         const std::string& Category = "file-io") {
    CallSite& Site = call(Caller, Api, Line);
    Site.Blocking = BlockingMatch{Api, Category, "use the asynchronous form"};
    return Site;
  }

  /// A loop of F at Line; returns its index.
  int loop(FunctionFacts& F, unsigned Line, TripCount Trips, int Operations = 5, int Parent = -1) {
    LoopFact& L = F.Loops.emplace_back();
    L.Loc = {F.Loc.File, Line, 3};
    L.Trips = Trips;
    L.Operations = Operations;
    L.Parent = Parent;
    if (Parent >= 0)
      F.Loops[Parent].HasNestedLoop = true;
    return static_cast<int>(F.Loops.size()) - 1;
  }

  /// Task handed by Submitter to an executor API with a role.
  Submission& submit(FunctionFacts& Submitter, const FunctionFacts& Task, const std::string& Api,
                     ExecutorRole Role, unsigned Line, int Loop = -1) {
    Submission& S = Submitter.Submissions.emplace_back();
    S.Loc = {Submitter.Loc.File, Line, 5};
    S.Api = Api;
    S.Role = Role;
    S.CallableUsr = Task.Usr;
    S.CallableName = Task.Name;
    S.Loop = Loop;
    return S;
  }

  /// Every function in one TU per file, linked.
  Program link() const {
    std::vector<TUFacts> TUs;
    for (const FunctionFacts& F : Functions) {
      auto It = llvm::find_if(TUs, [&](const TUFacts& TU) { return TU.MainFile == F.Loc.File; });
      if (It == TUs.end()) {
        TUs.emplace_back().MainFile = F.Loc.File;
        It = std::prev(TUs.end());
      }
      It->Functions.push_back(F);
    }
    for (TUFacts& TU : TUs)
      TU.normalise();
    return Program::link(std::move(TUs));
  }

private:
  std::deque<FunctionFacts> Functions; ///< Stable addresses: callers keep references.
};

/// The defaults for every file: what a project without a .taskfit.yaml gets.
inline const Config& defaultConfig(llvm::StringRef) {
  static const Config Defaults;
  return Defaults;
}

} // namespace taskfit::testing

#endif
