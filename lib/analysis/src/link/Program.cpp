//===- Program.cpp --------------------------------------------------------===//

#include "link/Program.h"

#include <algorithm>

namespace taskfit {

/// How many leading path components two files share.
static size_t sharedFolders(llvm::StringRef A, llvm::StringRef B) {
  size_t Shared = 0;
  while (!A.empty() && !B.empty()) {
    auto [HeadA, RestA] = A.split('/');
    auto [HeadB, RestB] = B.split('/');
    if (HeadA != HeadB || RestA.empty() || RestB.empty())
      break;
    ++Shared;
    A = RestA;
    B = RestB;
  }
  return Shared;
}

namespace {

/// The definitions one USR names across the program.
struct Variant {
  std::string Usr; ///< The first keeps the USR; the others get `<usr>@<file>:<line>`.
  SourceLoc Loc;
};

} // namespace

/// TUs that define different entities under one USR: `main` and the classes
/// of several example programs in one database, or an entity of internal
/// linkage that clang names alike in two files. Facts from one must not
/// replace the other's, so each definition (by location) keeps a USR of its
/// own, and each TU's calls and submissions bind to the definition it sees:
/// its own, else the one whose file is nearest in the source tree.
static void separateCollidingDefinitions(std::vector<TUFacts>& TUs) {
  llvm::StringMap<std::vector<Variant>> Variants;
  for (TUFacts& TU : TUs)
    for (FunctionFacts& F : TU.Functions) {
      std::vector<Variant>& Known = Variants[F.Usr];
      auto Same = llvm::find_if(Known, [&](const Variant& V) { return V.Loc == F.Loc; });
      if (Same != Known.end()) {
        F.Usr = Same->Usr;
        continue;
      }
      std::string Usr =
          Known.empty() ? F.Usr : F.Usr + "@" + F.Loc.File + ":" + std::to_string(F.Loc.Line);
      Known.push_back({Usr, F.Loc});
      F.Usr = std::move(Usr);
    }
  for (TUFacts& TU : TUs) {
    llvm::StringSet<> Defined;
    for (const FunctionFacts& F : TU.Functions)
      Defined.insert(F.Usr);
    auto Bind = [&](std::string& Usr) {
      auto It = Variants.find(Usr);
      if (It == Variants.end() || It->second.size() < 2)
        return;
      const Variant* Best = nullptr;
      for (const Variant& V : It->second) {
        if (Defined.contains(V.Usr)) {
          Best = &V;
          break;
        }
        if (!Best ||
            sharedFolders(V.Loc.File, TU.MainFile) > sharedFolders(Best->Loc.File, TU.MainFile))
          Best = &V;
      }
      Usr = Best->Usr;
    };
    for (FunctionFacts& F : TU.Functions) {
      for (CallSite& Site : F.Calls)
        Bind(Site.CalleeUsr);
      for (Submission& S : F.Submissions)
        Bind(S.CallableUsr);
    }
  }
}

/// An event loop the program owns, keeps alive with a work guard and only
/// posts plain callables to (a private io_context a thread of its own runs,
/// as a logger or a blocking-resolver service has) serves no I/O: it is a
/// worker queue, and what is posted to it runs on that worker like on a
/// one-thread pool. An executor handle or a loop without a guard is not one.
static void queuesWithoutIo(std::vector<TUFacts>& TUs) {
  llvm::StringSet<> ServeIo, Guarded;
  for (const TUFacts& TU : TUs)
    for (const FunctionFacts& F : TU.Functions) {
      for (const std::string& Loop : F.IoLoops)
        ServeIo.insert(Loop);
      for (const std::string& Loop : F.GuardedLoops)
        Guarded.insert(Loop);
    }
  for (TUFacts& TU : TUs)
    for (FunctionFacts& F : TU.Functions)
      for (Submission& S : F.Submissions)
        if (S.Role == ExecutorRole::EventLoop && S.ExecutorOwned && !S.ExecutorObject.empty() &&
            Guarded.contains(S.ExecutorObject) && !ServeIo.contains(S.ExecutorObject))
          S.Role = ExecutorRole::Generic;
}

Program Program::link(std::vector<TUFacts> TUs) {
  Program P;
  P.TUs = std::move(TUs);
  std::sort(P.TUs.begin(), P.TUs.end(),
            [](const TUFacts& A, const TUFacts& B) { return A.MainFile < B.MainFile; });
  separateCollidingDefinitions(P.TUs);
  queuesWithoutIo(P.TUs);
  for (const TUFacts& TU : P.TUs)
    for (const FunctionFacts& F : TU.Functions) {
      if (P.ByUsr.try_emplace(F.Usr, &F).second)
        P.Functions.push_back(&F);
      for (const std::string& Descriptor : F.NonBlockingDescriptors)
        P.NonBlocking.insert(Descriptor);
    }
  std::sort(P.Functions.begin(), P.Functions.end(),
            [](const FunctionFacts* A, const FunctionFacts* B) { return A->Usr < B->Usr; });
  return P;
}

} // namespace taskfit
