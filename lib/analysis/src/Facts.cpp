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
  if (!L.Macro.empty())
    return Array{L.File, L.Line, L.Column, L.Macro};
  return Array{L.File, L.Line, L.Column};
}

static Value toJSON(const BlockingMatch& M) {
  Object O{{"api", M.Api}, {"category", M.Category}, {"replacement", M.Replacement}};
  if (M.ReleasesLock)
    O["releasesLock"] = true;
  return O;
}

namespace {

/// The spelling of each value of an enum, in declaration order: how Facts
/// write it and read it back.
template <typename Enum, size_t N>
struct Spellings {
  const char* Names[N];

  const char* name(Enum E) const { return Names[static_cast<size_t>(E)]; }
  std::optional<Enum> parse(llvm::StringRef Text) const {
    for (size_t I = 0; I < N; ++I)
      if (Text == Names[I])
        return static_cast<Enum>(I);
    return std::nullopt;
  }
};

constexpr Spellings<CallKind, 2> CallKinds{{"direct", "inline-callable"}};
constexpr Spellings<CoroutineKind, 3> CoroutineKinds{{"none", "async", "generator"}};
constexpr Spellings<TripCount, 5> TripCounts{
    {"constant", "container", "parameter", "unknown", "unbounded"}};
constexpr Spellings<ExecutorRole, 6> Roles{
    {"event-loop", "strand", "io", "cpu", "generic", "process"}};
constexpr Spellings<PayloadSubject::Kind, 7> SubjectKinds{{"argument", "iovec-argument", "result",
                                                           "template-argument", "callable",
                                                           "lambda", "lambda-capture"}};
constexpr Spellings<PayloadFault, 23> Faults{{"reference",
                                              "function-pointer",
                                              "member-pointer",
                                              "pointer",
                                              "null-pointer",
                                              "array-of-unknown-size",
                                              "function",
                                              "no-known-serialisation",
                                              "lambda-with-captures",
                                              "lambda",
                                              "never",
                                              "owns-memory",
                                              "incomplete",
                                              "polymorphic",
                                              "library-type",
                                              "not-trivially-copyable",
                                              "no-protocol",
                                              "member-function",
                                              "closure-with-captures",
                                              "closure-at-run-time",
                                              "function-pointer-at-run-time",
                                              "function-object-at-run-time",
                                              "captures-by-reference"}};

/// Maps an enum member of a JSON object through its spellings.
template <typename Enum, size_t N>
bool mapEnum(llvm::json::ObjectMapper& O, llvm::StringLiteral Key, const Spellings<Enum, N>& Names,
             Enum& Out, llvm::json::Path P) {
  std::string Text;
  if (!O.map(Key, Text))
    return false;
  if (std::optional<Enum> Value = Names.parse(Text)) {
    Out = *Value;
    return true;
  }
  P.field(Key).report("unknown value");
  return false;
}

} // namespace

llvm::StringRef roleName(ExecutorRole Role) {
  return Roles.name(Role);
}

std::optional<ExecutorRole> parseRole(llvm::StringRef Name) {
  return Roles.parse(Name);
}

llvm::StringRef roleNames() {
  return "event-loop|strand|io|cpu|generic|process";
}

static Value toJSON(const LoopFact& L) {
  Object O{{"loc", toJSON(L.Loc)},
           {"parent", L.Parent},
           {"trips", TripCounts.name(L.Trips)},
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
  if (L.Exits)
    O["exits"] = true;
  if (L.HandsOff)
    O["handsOff"] = true;
  if (L.BoundParam >= 0)
    O["boundParam"] = L.BoundParam;
  if (L.OverBytes)
    O["overBytes"] = true;
  if (L.EmptyBody)
    O["emptyBody"] = true;
  return O;
}

static Value toJSON(const CallSite& C) {
  Object O{{"loc", toJSON(C.Loc)},
           {"callee", C.CalleeUsr},
           {"name", C.CalleeName},
           {"kind", CallKinds.name(C.Kind)}};
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
  if (!C.Acquires.empty())
    O["acquires"] = C.Acquires;
  if (!C.Descriptor.empty())
    O["descriptor"] = C.Descriptor;
  if (!C.RunsLoop.empty())
    O["runsLoop"] = C.RunsLoop;
  if (!C.FixedSizeArgs.empty())
    O["fixedSizeArgs"] = C.FixedSizeArgs;
  if (C.HandsOverLock)
    O["handsOverLock"] = true;
  if (C.HandlesWouldBlock)
    O["handlesWouldBlock"] = true;
  return O;
}

static Value toJSON(const PayloadProblem& P) {
  Object Subject{{"kind", SubjectKinds.name(P.Subject.K)}, {"api", P.Subject.Api}};
  if (P.Subject.Index)
    Subject["index"] = P.Subject.Index;
  Object O{{"subject", std::move(Subject)},
           {"type", P.Type},
           {"fault", Faults.name(P.Fault)},
           {"certain", P.Certain}};
  if (!P.Path.empty())
    O["path"] = P.Path;
  if (P.Holds)
    O["holds"] = true;
  if (!P.Through.empty()) {
    Array Through;
    for (const PayloadHolder& H : P.Through)
      Through.push_back(Object{{"type", H.Type}, {"path", H.Path}, {"holds", H.Holds}});
    O["through"] = std::move(Through);
  }
  if (!P.Offender.empty())
    O["offender"] = P.Offender;
  if (!P.Detail.empty())
    O["detail"] = P.Detail;
  if (!P.Captures.empty())
    O["captures"] = P.Captures;
  return O;
}

static Value toJSON(const Submission& S) {
  Object O{{"loc", toJSON(S.Loc)},
           {"api", S.Api},
           {"role", Roles.name(S.Role)},
           {"callable", S.CallableUsr},
           {"callableName", S.CallableName}};
  if (S.RoleGuessed)
    O["roleGuessed"] = true;
  if (S.Forwarded)
    O["forwarded"] = true;
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
  if (!S.ExecutorObject.empty())
    O["executorObject"] = S.ExecutorObject;
  if (S.ExecutorOwned)
    O["executorOwned"] = true;
  if (S.AfterReadiness)
    O["afterReadiness"] = true;
  if (!S.Offload.empty())
    O["offload"] = S.Offload;
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
           {"coroutine", CoroutineKinds.name(F.Coroutine)}};
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
  if (!F.Locks.empty())
    O["locks"] = F.Locks;
  if (!F.NonBlockingDescriptors.empty())
    O["nonBlockingDescriptors"] = F.NonBlockingDescriptors;
  if (F.Operations)
    O["operations"] = F.Operations;
  if (!F.IoLoops.empty())
    O["ioLoops"] = F.IoLoops;
  if (!F.GuardedLoops.empty())
    O["guardedLoops"] = F.GuardedLoops;
  if (!F.Offload.empty())
    O["offload"] = F.Offload;
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
  if (!A || (A->size() != 3 && A->size() != 4)) {
    P.report("expected [file, line, column] or [file, line, column, macro]");
    return false;
  }
  auto File = (*A)[0].getAsString();
  auto Line = (*A)[1].getAsInteger();
  auto Column = (*A)[2].getAsInteger();
  std::optional<llvm::StringRef> Macro =
      A->size() == 4 ? (*A)[3].getAsString() : std::optional<llvm::StringRef>("");
  if (!File || !Line || !Column || !Macro) {
    P.report("expected [file, line, column] or [file, line, column, macro]");
    return false;
  }
  L = {File->str(), static_cast<unsigned>(*Line), static_cast<unsigned>(*Column), Macro->str()};
  return true;
}

static bool fromJSON(const Value& V, BlockingMatch& M, llvm::json::Path P) {
  llvm::json::ObjectMapper O(V, P);
  return O && O.map("api", M.Api) && O.map("category", M.Category) &&
         O.map("replacement", M.Replacement) && O.mapOptional("releasesLock", M.ReleasesLock);
}

static bool fromJSON(const Value& V, CpuHeavyMatch& M, llvm::json::Path P) {
  llvm::json::ObjectMapper O(V, P);
  return O && O.map("api", M.Api) && O.map("category", M.Category) && O.map("hint", M.Hint);
}

static bool fromJSON(const Value& V, LoopFact& L, llvm::json::Path P) {
  llvm::json::ObjectMapper O(V, P);
  return O && O.map("loc", L.Loc) && O.map("parent", L.Parent) &&
         mapEnum(O, "trips", TripCounts, L.Trips, P) && O.map("operations", L.Operations) &&
         O.mapOptional("constantTrips", L.ConstantTrips) && O.mapOptional("suspends", L.Suspends) &&
         O.mapOptional("nested", L.HasNestedLoop) && O.mapOptional("over", L.Over) &&
         O.mapOptional("heldLock", L.HeldLock) && O.mapOptional("exits", L.Exits) &&
         O.mapOptional("handsOff", L.HandsOff) && O.mapOptional("boundParam", L.BoundParam) &&
         O.mapOptional("overBytes", L.OverBytes) && O.mapOptional("emptyBody", L.EmptyBody);
}

static bool fromJSON(const Value& V, CallSite& C, llvm::json::Path P) {
  llvm::json::ObjectMapper O(V, P);
  return O && O.map("loc", C.Loc) && O.map("callee", C.CalleeUsr) && O.map("name", C.CalleeName) &&
         mapEnum(O, "kind", CallKinds, C.Kind, P) && O.mapOptional("blocking", C.Blocking) &&
         O.mapOptional("trustedNonBlocking", C.CalleeTrustedNonBlocking) &&
         O.mapOptional("cpuHeavy", C.CpuHeavy) && O.mapOptional("loop", C.Loop) &&
         O.mapOptional("heldLock", C.HeldLock) && O.mapOptional("acquires", C.Acquires) &&
         O.mapOptional("descriptor", C.Descriptor) && O.mapOptional("runsLoop", C.RunsLoop) &&
         O.mapOptional("fixedSizeArgs", C.FixedSizeArgs) &&
         O.mapOptional("handsOverLock", C.HandsOverLock) &&
         O.mapOptional("handlesWouldBlock", C.HandlesWouldBlock);
}

static bool fromJSON(const Value& V, PayloadSubject& S, llvm::json::Path P) {
  llvm::json::ObjectMapper O(V, P);
  int64_t Index = 0;
  if (!(O && mapEnum(O, "kind", SubjectKinds, S.K, P) && O.map("api", S.Api) &&
        O.mapOptional("index", Index)))
    return false;
  S.Index = static_cast<unsigned>(Index);
  return true;
}

static bool fromJSON(const Value& V, PayloadHolder& H, llvm::json::Path P) {
  llvm::json::ObjectMapper O(V, P);
  return O && O.map("type", H.Type) && O.map("path", H.Path) && O.map("holds", H.Holds);
}

static bool fromJSON(const Value& V, PayloadProblem& Problem, llvm::json::Path P) {
  llvm::json::ObjectMapper O(V, P);
  return O && O.map("subject", Problem.Subject) && O.map("type", Problem.Type) &&
         mapEnum(O, "fault", Faults, Problem.Fault, P) && O.map("certain", Problem.Certain) &&
         O.mapOptional("path", Problem.Path) && O.mapOptional("holds", Problem.Holds) &&
         O.mapOptional("through", Problem.Through) && O.mapOptional("offender", Problem.Offender) &&
         O.mapOptional("detail", Problem.Detail) && O.mapOptional("captures", Problem.Captures);
}

static bool fromJSON(const Value& V, Submission& S, llvm::json::Path P) {
  llvm::json::ObjectMapper O(V, P);
  return O && O.map("loc", S.Loc) && O.map("api", S.Api) && mapEnum(O, "role", Roles, S.Role, P) &&
         O.map("callable", S.CallableUsr) && O.map("callableName", S.CallableName) &&
         O.mapOptional("payload", S.Payload) &&
         O.mapOptional("payloadProblems", S.PayloadProblems) && O.mapOptional("loop", S.Loop) &&
         O.mapOptional("executor", S.Executor) && O.mapOptional("tasksPerCall", S.TasksPerCall) &&
         O.mapOptional("executorName", S.ExecutorName) &&
         O.mapOptional("executorObject", S.ExecutorObject) &&
         O.mapOptional("executorOwned", S.ExecutorOwned) &&
         O.mapOptional("afterReadiness", S.AfterReadiness) && O.mapOptional("offload", S.Offload) &&
         O.mapOptional("roleGuessed", S.RoleGuessed) && O.mapOptional("forwarded", S.Forwarded);
}

static bool fromJSON(const Value& V, FunctionFacts& F, llvm::json::Path P) {
  llvm::json::ObjectMapper O(V, P);
  return O && O.map("usr", F.Usr) && O.map("name", F.Name) && O.map("loc", F.Loc) &&
         mapEnum(O, "coroutine", CoroutineKinds, F.Coroutine, P) &&
         O.mapOptional("returnType", F.ReturnType) &&
         O.mapOptional("reactorFuture", F.ReturnsReactorFuture) &&
         O.mapOptional("eventLoopEntry", F.AnnotatedEventLoop) &&
         O.mapOptional("trustedNonBlocking", F.TrustedNonBlocking) &&
         O.mapOptional("declaredBlocking", F.DeclaredBlocking) && O.map("calls", F.Calls) &&
         O.map("submissions", F.Submissions) && O.mapOptional("loops", F.Loops) &&
         O.mapOptional("locks", F.Locks) &&
         O.mapOptional("nonBlockingDescriptors", F.NonBlockingDescriptors) &&
         O.mapOptional("operations", F.Operations) && O.mapOptional("ioLoops", F.IoLoops) &&
         O.mapOptional("guardedLoops", F.GuardedLoops) && O.mapOptional("offload", F.Offload);
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
