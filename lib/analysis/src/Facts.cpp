//===- Facts.cpp - Facts as versioned, deterministic JSON -----------------===//

#include "taskfit/analysis/Facts.h"

#include <algorithm>
#include <tuple>

using llvm::json::Array;
using llvm::json::Object;
using llvm::json::Value;

namespace taskfit {

void TUFacts::normalise() {
  auto ByLocation = [](const auto& A, const auto& B) {
    return std::tie(A.Loc, A.CalleeUsr) < std::tie(B.Loc, B.CalleeUsr);
  };
  for (FunctionFacts& F : Functions) {
    std::sort(F.Locks.begin(), F.Locks.end());
    std::stable_sort(F.Calls.begin(), F.Calls.end(), ByLocation);
    std::stable_sort(F.Submissions.begin(), F.Submissions.end(),
                     [](const Submission& A, const Submission& B) {
                       return std::tie(A.Loc, A.CallableUsr) < std::tie(B.Loc, B.CallableUsr);
                     });
  }
  std::sort(Functions.begin(), Functions.end(),
            [](const FunctionFacts& A, const FunctionFacts& B) { return A.Usr < B.Usr; });
  Functions.erase(
      std::unique(Functions.begin(), Functions.end(),
                  [](const FunctionFacts& A, const FunctionFacts& B) { return A.Usr == B.Usr; }),
      Functions.end());
}

static Value toJSON(const SourceLoc& L) {
  return Array{L.File, L.Line, L.Column};
}

static Value toJSON(const BlockingMatch& M) {
  return Object{{"api", M.Api}, {"category", M.Category}, {"replacement", M.Replacement}};
}

static const char* kindName(CallKind K) {
  return K == CallKind::Direct ? "direct" : "inline-callable";
}

static const char* coroutineName(CoroutineKind K) {
  switch (K) {
  case CoroutineKind::None:
    return "none";
  case CoroutineKind::Async:
    return "async";
  case CoroutineKind::Generator:
    return "generator";
  }
  return "none";
}

static const char* tripName(TripCount T) {
  switch (T) {
  case TripCount::Constant:
    return "constant";
  case TripCount::Container:
    return "container";
  case TripCount::Parameter:
    return "parameter";
  case TripCount::Unknown:
    return "unknown";
  case TripCount::Unbounded:
    return "unbounded";
  }
  return "unknown";
}

static Value toJSON(const LoopFact& L) {
  Object O{{"loc", toJSON(L.Loc)},
           {"parent", L.Parent},
           {"trips", tripName(L.Trips)},
           {"operations", L.Operations}};
  if (L.Trips == TripCount::Constant)
    O["constantTrips"] = L.ConstantTrips;
  if (L.Suspends)
    O["suspends"] = true;
  if (L.HasNestedLoop)
    O["nested"] = true;
  if (!L.Over.empty())
    O["over"] = L.Over;
  if (!L.HeldLock.empty())
    O["heldLock"] = L.HeldLock;
  return O;
}

static Value toJSON(const CallSite& C) {
  Object O{{"loc", toJSON(C.Loc)},
           {"callee", C.CalleeUsr},
           {"name", C.CalleeName},
           {"kind", kindName(C.Kind)}};
  if (C.Blocking)
    O["blocking"] = toJSON(*C.Blocking);
  if (C.CalleeTrustedNonBlocking)
    O["trustedNonBlocking"] = true;
  if (C.CpuHeavy)
    O["cpuHeavy"] = Object{
        {"api", C.CpuHeavy->Api}, {"category", C.CpuHeavy->Category}, {"hint", C.CpuHeavy->Hint}};
  if (C.Loop >= 0)
    O["loop"] = C.Loop;
  if (!C.HeldLock.empty())
    O["heldLock"] = C.HeldLock;
  return O;
}

static Value toJSON(const PayloadProblem& P) {
  return Object{{"subject", P.Subject},
                {"type", P.Type},
                {"path", P.Path},
                {"reason", P.Reason},
                {"certain", P.Certain}};
}

static Value toJSON(const Submission& S) {
  Object O{{"loc", toJSON(S.Loc)},
           {"api", S.Api},
           {"role", S.Role},
           {"callable", S.CallableUsr},
           {"callableName", S.CallableName}};
  if (!S.Payload.empty())
    O["payload"] = S.Payload;
  if (S.Loop >= 0)
    O["loop"] = S.Loop;
  if (S.TasksPerCall != 1)
    O["tasksPerCall"] = S.TasksPerCall;
  if (!S.Executor.empty()) {
    O["executor"] = S.Executor;
    O["executorName"] = S.ExecutorName;
  }
  if (!S.PayloadProblems.empty()) {
    Array Problems;
    for (const PayloadProblem& P : S.PayloadProblems)
      Problems.push_back(toJSON(P));
    O["payloadProblems"] = std::move(Problems);
  }
  return O;
}

static Value toJSON(const FunctionFacts& F) {
  Object O{{"usr", F.Usr},
           {"name", F.Name},
           {"loc", toJSON(F.Loc)},
           {"coroutine", coroutineName(F.Coroutine)}};
  if (!F.ReturnType.empty())
    O["returnType"] = F.ReturnType;
  if (F.ReturnsReactorFuture)
    O["reactorFuture"] = true;
  if (F.AnnotatedEventLoop)
    O["eventLoopEntry"] = true;
  if (F.TrustedNonBlocking)
    O["trustedNonBlocking"] = true;
  if (F.DeclaredBlocking)
    O["declaredBlocking"] = toJSON(*F.DeclaredBlocking);
  Array Calls;
  for (const CallSite& C : F.Calls)
    Calls.push_back(toJSON(C));
  O["calls"] = std::move(Calls);
  Array Subs;
  for (const Submission& S : F.Submissions)
    Subs.push_back(toJSON(S));
  O["submissions"] = std::move(Subs);
  if (!F.Loops.empty()) {
    Array Loops;
    for (const LoopFact& L : F.Loops)
      Loops.push_back(toJSON(L));
    O["loops"] = std::move(Loops);
  }
  if (!F.Locks.empty()) {
    Array Locks;
    for (const std::string& L : F.Locks)
      Locks.push_back(L);
    O["locks"] = std::move(Locks);
  }
  return O;
}

Value toJSON(const TUFacts& T) {
  Array Errors;
  for (const ParseDiagnostic& D : T.Errors)
    Errors.push_back(Object{{"loc", toJSON(D.Loc)}, {"message", D.Message}});
  Array Functions;
  for (const FunctionFacts& F : T.Functions)
    Functions.push_back(toJSON(F));
  return Object{{"version", T.Version},   {"mainFile", T.MainFile},
                {"complete", T.Complete}, {"errors", std::move(Errors)},
                {"inputs", T.Inputs},     {"functions", std::move(Functions)}};
}

// Reading back. llvm::json::ObjectMapper reports the path of the first bad field.

static bool fromJSON(const Value& V, SourceLoc& L, llvm::json::Path P) {
  const Array* A = V.getAsArray();
  if (!A || A->size() != 3) {
    P.report("expected [file, line, column]");
    return false;
  }
  auto File = (*A)[0].getAsString();
  auto Line = (*A)[1].getAsInteger();
  auto Column = (*A)[2].getAsInteger();
  if (!File || !Line || !Column) {
    P.report("expected [file, line, column]");
    return false;
  }
  L = {File->str(), static_cast<unsigned>(*Line), static_cast<unsigned>(*Column)};
  return true;
}

static bool fromJSON(const Value& V, BlockingMatch& M, llvm::json::Path P) {
  llvm::json::ObjectMapper O(V, P);
  return O && O.map("api", M.Api) && O.map("category", M.Category) &&
         O.map("replacement", M.Replacement);
}

static bool fromJSON(const Value& V, CpuHeavyMatch& M, llvm::json::Path P) {
  llvm::json::ObjectMapper O(V, P);
  return O && O.map("api", M.Api) && O.map("category", M.Category) && O.map("hint", M.Hint);
}

static bool fromJSON(const Value& V, LoopFact& L, llvm::json::Path P) {
  llvm::json::ObjectMapper O(V, P);
  std::string Trips;
  if (!(O && O.map("loc", L.Loc) && O.map("parent", L.Parent) && O.map("trips", Trips) &&
        O.map("operations", L.Operations) && O.mapOptional("constantTrips", L.ConstantTrips) &&
        O.mapOptional("suspends", L.Suspends) && O.mapOptional("nested", L.HasNestedLoop) &&
        O.mapOptional("over", L.Over) && O.mapOptional("heldLock", L.HeldLock)))
    return false;
  for (TripCount T : {TripCount::Constant, TripCount::Container, TripCount::Parameter,
                      TripCount::Unknown, TripCount::Unbounded})
    if (Trips == tripName(T))
      L.Trips = T;
  return true;
}

static bool fromJSON(const Value& V, CallSite& C, llvm::json::Path P) {
  llvm::json::ObjectMapper O(V, P);
  std::string Kind;
  if (!(O && O.map("loc", C.Loc) && O.map("callee", C.CalleeUsr) && O.map("name", C.CalleeName) &&
        O.map("kind", Kind) && O.mapOptional("blocking", C.Blocking) &&
        O.mapOptional("trustedNonBlocking", C.CalleeTrustedNonBlocking) &&
        O.mapOptional("cpuHeavy", C.CpuHeavy) && O.mapOptional("loop", C.Loop) &&
        O.mapOptional("heldLock", C.HeldLock)))
    return false;
  C.Kind = Kind == "inline-callable" ? CallKind::InlineCallable : CallKind::Direct;
  return true;
}

static bool fromJSON(const Value& V, PayloadProblem& P, llvm::json::Path Path) {
  llvm::json::ObjectMapper O(V, Path);
  return O && O.map("subject", P.Subject) && O.map("type", P.Type) && O.map("path", P.Path) &&
         O.map("reason", P.Reason) && O.map("certain", P.Certain);
}

static bool fromJSON(const Value& V, Submission& S, llvm::json::Path P) {
  llvm::json::ObjectMapper O(V, P);
  return O && O.map("loc", S.Loc) && O.map("api", S.Api) && O.map("role", S.Role) &&
         O.map("callable", S.CallableUsr) && O.map("callableName", S.CallableName) &&
         O.mapOptional("payload", S.Payload) &&
         O.mapOptional("payloadProblems", S.PayloadProblems) && O.mapOptional("loop", S.Loop) &&
         O.mapOptional("executor", S.Executor) && O.mapOptional("tasksPerCall", S.TasksPerCall) &&
         O.mapOptional("executorName", S.ExecutorName);
}

static bool fromJSON(const Value& V, FunctionFacts& F, llvm::json::Path P) {
  llvm::json::ObjectMapper O(V, P);
  std::string Coroutine;
  if (!(O && O.map("usr", F.Usr) && O.map("name", F.Name) && O.map("loc", F.Loc) &&
        O.map("coroutine", Coroutine) && O.mapOptional("returnType", F.ReturnType) &&
        O.mapOptional("reactorFuture", F.ReturnsReactorFuture) &&
        O.mapOptional("eventLoopEntry", F.AnnotatedEventLoop) &&
        O.mapOptional("trustedNonBlocking", F.TrustedNonBlocking) &&
        O.mapOptional("declaredBlocking", F.DeclaredBlocking) && O.map("calls", F.Calls) &&
        O.map("submissions", F.Submissions) && O.mapOptional("loops", F.Loops) &&
        O.mapOptional("locks", F.Locks)))
    return false;
  F.Coroutine = Coroutine == "async"       ? CoroutineKind::Async
                : Coroutine == "generator" ? CoroutineKind::Generator
                                           : CoroutineKind::None;
  return true;
}

static bool fromJSON(const Value& V, ParseDiagnostic& D, llvm::json::Path P) {
  llvm::json::ObjectMapper O(V, P);
  return O && O.map("loc", D.Loc) && O.map("message", D.Message);
}

llvm::Expected<TUFacts> factsFromJSON(const Value& V) {
  TUFacts T;
  llvm::json::Path::Root Root("facts");
  llvm::json::ObjectMapper O(V, Root);
  if (!O || !O.map("version", T.Version))
    return Root.getError();
  if (T.Version != FactsVersion)
    return llvm::createStringError("facts version %d, expected %d", T.Version, FactsVersion);
  if (!(O.map("mainFile", T.MainFile) && O.map("complete", T.Complete) &&
        O.map("errors", T.Errors) && O.map("inputs", T.Inputs) && O.map("functions", T.Functions)))
    return Root.getError();
  return T;
}

Value factsFileToJSON(const std::vector<TUFacts>& TUs) {
  Array Units;
  for (const TUFacts& TU : TUs)
    Units.push_back(toJSON(TU));
  return Object{{"taskfitFacts", FactsVersion}, {"translationUnits", std::move(Units)}};
}

llvm::Expected<std::vector<TUFacts>> factsFileFromJSON(const Value& V) {
  const Object* O = V.getAsObject();
  std::optional<int64_t> Version = O ? O->getInteger("taskfitFacts") : std::nullopt;
  const Array* Units = O ? O->getArray("translationUnits") : nullptr;
  if (!Version || !Units)
    return llvm::createStringError("not a taskfit facts file (written by 'taskfit extract')");
  if (*Version != FactsVersion)
    return llvm::createStringError("facts version %d, expected %d: extract again with this "
                                   "taskfit",
                                   static_cast<int>(*Version), FactsVersion);
  std::vector<TUFacts> TUs;
  for (const Value& Unit : *Units) {
    auto TU = factsFromJSON(Unit);
    if (!TU)
      return TU.takeError();
    TUs.push_back(std::move(*TU));
  }
  return TUs;
}

} // namespace taskfit
