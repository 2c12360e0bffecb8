//===- PayloadAssessment.cpp ----------------------------------------------===//

#include "extract/PayloadAssessment.h"

#include "extract/MatchNames.h"
#include "knowledge/Names.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/RecursiveASTVisitor.h"

#include <algorithm>

using namespace clang;

namespace taskfit {

PayloadAssessor::PayloadAssessor(ASTContext& Context, const SerialisationRules* Rules)
    : Context(Context), Rules(Rules) {
  if (Rules)
    Walker = std::make_unique<SerialisabilityWalker>(Context, *Rules);
}

/// Strips what a pointer passes through on its way to an argument: casts
/// (`reinterpret_cast<const char*>(&r)`), parentheses, `&x[i]`, `p + n`, `s->field`.
static const Expr* pointerSource(const Expr* E) {
  while (E) {
    E = E->IgnoreParens();
    if (const auto* Cast = dyn_cast<CastExpr>(E))
      E = Cast->getSubExpr();
    else if (const auto* U = dyn_cast<UnaryOperator>(E);
             U && (U->getOpcode() == UO_AddrOf || U->getOpcode() == UO_Deref))
      E = U->getSubExpr();
    else if (const auto* S = dyn_cast<ArraySubscriptExpr>(E))
      E = S->getBase();
    else if (const auto* B = dyn_cast<BinaryOperator>(E); B && B->isAdditiveOp())
      E = B->getLHS()->getType()->isPointerType() ? B->getLHS() : B->getRHS();
    else if (const auto* M = dyn_cast<MemberExpr>(E); M && M->isArrow())
      E = M->getBase();
    else
      return E;
  }
  return E;
}

bool PayloadAssessor::comesFrom(const Expr* E, const ExecutorRule::Origin& Origin, unsigned Depth) {
  E = pointerSource(E);
  if (!E || Depth > 6)
    return false;
  if (const auto* Call = dyn_cast<CallExpr>(E)) {
    const FunctionDecl* Callee = Call->getDirectCallee();
    if (!Callee || llvm::none_of(Origin.From, [&](const std::string& P) {
          return globMatch(P, matchName(Callee));
        }))
      return false;
    if (Origin.Mentions.empty())
      return true;
    std::vector<const Expr*> Args(Call->arg_begin(), Call->arg_end());
    CallView View{Callee, nullptr, Args};
    for (unsigned I = 0; I < Args.size(); ++I)
      if (holds({ArgPredicate::Kind::Mentions, {ArgRef::Kind::Index, I}, Origin.Mentions}, View,
                Context))
        return true;
    return false;
  }
  if (const auto* Ref = dyn_cast<DeclRefExpr>(E))
    if (const auto* Var = dyn_cast<VarDecl>(Ref->getDecl()); Var && Var->getInit())
      return comesFrom(Var->getInit(), Origin, Depth + 1);
  return false;
}

bool PayloadAssessor::applies(const ExecutorRule& Rule, const CallView& Call) {
  if (Rule.BoundaryIf.empty())
    return true;
  for (const ExecutorRule::Origin& O : Rule.BoundaryIf)
    if (const Expr* Arg = Call.argument(O.Arg); Arg && comesFrom(Arg, O, 0))
      return true;
  return false;
}

void PayloadAssessor::add(Submission& S, PayloadSubject Subject, QualType Type, PayloadMode Mode,
                          bool RequireProtocol) {
  std::optional<TypeProblem> P = Walker->check(Type, Mode, RequireProtocol);
  if (!P)
    return;
  PayloadProblem Problem;
  Problem.Subject = std::move(Subject);
  Problem.Type = Walker->print(Type.getNonReferenceType());
  Problem.Path = P->Path;
  Problem.Holds = P->Holds;
  Problem.Through = P->Through;
  Problem.Fault = P->Fault;
  Problem.Offender = P->Offender;
  Problem.Detail = P->Detail;
  Problem.Certain = P->Certain;
  S.PayloadProblems.push_back(std::move(Problem));
  if (!P->Certain)
    Unknown = true;
  else if (P->SharesMemory)
    Shares = true;
}

/// The type whose bytes a pointer argument sends: `&record` -> Record.
static QualType pointee(const Expr* Arg, ASTContext& Context) {
  const Expr* E = Arg->IgnoreParens();
  // Down through casts while they are casts between pointers: the type the
  // caller had before making it `const void*` or `const char*`.
  while (const auto* Cast = dyn_cast<CastExpr>(E)) {
    const Expr* Sub = Cast->getSubExpr()->IgnoreParens();
    QualType T = Sub->getType();
    if (!T->isPointerType() && !T->isArrayType())
      break;
    E = Sub;
  }
  QualType T = E->getType();
  if (const auto* Pointer = T->getAs<PointerType>())
    return Pointer->getPointeeType();
  if (const ArrayType* Array = Context.getAsArrayType(T))
    return Array->getElementType();
  return {};
}

/// `sendmsg(fd, &msg, 0)` sends the bytes msg's iovecs point at. They are set
/// in the same function, by `iov.iov_base = &record` or `iovec iov{&record, n}`:
/// the types of those objects are the payload.
static std::vector<QualType> iovecPayloads(const Expr* Arg, ASTContext& Context) {
  const FunctionDecl* Function = nullptr;
  DynTypedNodeList Parents = Context.getParents(*Arg);
  for (int Depth = 0; !Parents.empty() && !Function && Depth < 256; ++Depth) {
    Function = Parents[0].get<FunctionDecl>();
    if (!Function)
      Parents = Context.getParents(Parents[0]);
  }
  if (!Function || !Function->getBody())
    return {};
  struct Finder : RecursiveASTVisitor<Finder> {
    ASTContext& Context;
    std::vector<QualType> Found;
    explicit Finder(ASTContext& C) : Context(C) {}
    void take(const Expr* Pointer) {
      QualType T = pointee(Pointer, Context);
      if (!T.isNull() && !T->isVoidType())
        Found.push_back(T);
    }
    bool VisitBinaryOperator(BinaryOperator* B) {
      if (const auto* Member = dyn_cast<MemberExpr>(B->getLHS()->IgnoreParenImpCasts());
          B->isAssignmentOp() && Member && Member->getMemberDecl()->getName() == "iov_base")
        take(B->getRHS());
      return true;
    }
    bool VisitInitListExpr(InitListExpr* List) {
      if (List->getNumInits() > 0 && typeMatchName(List->getType()) == "iovec")
        take(List->getInit(0));
      return true;
    }
  } F(Context);
  F.TraverseStmt(Function->getBody());
  return F.Found;
}

/// What a ProcessPool parameter travels as: `const T&` as T, `T&` stays a
/// reference (writes to it would be lost in the worker), as the runtime's
/// payload_type_t does.
static QualType travelsAs(QualType Param) {
  if (const auto* Ref = Param->getAs<LValueReferenceType>()) {
    if (!Ref->getPointeeType().isConstQualified())
      return Param;
  }
  return Param.getNonReferenceType().getUnqualifiedType();
}

/// A problem with how the callable is given (not with a type).
static PayloadProblem callableProblem(PayloadSubject::Kind Subject, const std::string& Api,
                                      PayloadFault Fault, std::string Type = {}) {
  PayloadProblem P;
  P.Subject = {Subject, 0, Api};
  P.Type = std::move(Type);
  P.Fault = Fault;
  return P;
}

void PayloadAssessor::callable(Submission& S, const CallView& Call, const FunctionDecl* Named,
                               const Expr* Passed) {
  using Kind = PayloadSubject::Kind;
  std::string Api = Call.Callee->getNameAsString();
  if (const auto* Method = dyn_cast_or_null<CXXMethodDecl>(Named); Method && Method->isInstance()) {
    QualType Type = Context.getMemberPointerType(
        Method->getType(), Context.getRecordType(Method->getParent()).getTypePtr());
    PayloadProblem P =
        callableProblem(Kind::Callable, Api, PayloadFault::MemberFunction, Walker->print(Type));
    P.Detail = Method->getQualifiedNameAsString();
    S.PayloadProblems.push_back(std::move(P));
    Shares = true;
    return;
  }
  if (!Passed)
    return;
  const Expr* E = Passed->IgnoreParenImpCasts();
  while (const auto* M = dyn_cast<MaterializeTemporaryExpr>(E))
    E = M->getSubExpr()->IgnoreParenImpCasts();
  QualType Type = E->getType();
  const CXXRecordDecl* Closure = Type->getAsCXXRecordDecl();
  if (Closure && Closure->isLambda()) {
    std::vector<std::string> Names;
    for (const LambdaCapture& C : Closure->captures()) {
      if (C.capturesThis())
        Names.push_back("this");
      else if (C.capturesVariable())
        Names.push_back(C.getCapturedVar()->getNameAsString());
    }
    PayloadProblem P = callableProblem(Kind::Lambda, Api,
                                       Names.empty() ? PayloadFault::ClosureAtRunTime
                                                     : PayloadFault::ClosureWithCaptures);
    Shares = Shares || !Names.empty();
    P.Captures = std::move(Names);
    S.PayloadProblems.push_back(std::move(P));
    return;
  }
  PayloadFault Fault = Type->isFunctionPointerType() || Type->isFunctionType()
                           ? PayloadFault::FunctionPointerAtRunTime
                           : PayloadFault::FunctionObjectAtRunTime;
  S.PayloadProblems.push_back(callableProblem(Kind::Callable, Api, Fault, Walker->print(Type)));
  Shares = true;
}

void PayloadAssessor::threadCaptures(Submission& S, const std::string& Api, const Expr* Passed) {
  const Expr* E = Passed->IgnoreParenImpCasts();
  const CXXRecordDecl* Closure = E->getType()->getAsCXXRecordDecl();
  if (!Closure || !Closure->isLambda() || !Closure->hasDefinition())
    return;
  for (const LambdaCapture& C : Closure->captures()) {
    if (!C.capturesThis() && C.getCaptureKind() != LCK_ByRef)
      continue;
    PayloadProblem P;
    P.Subject = {PayloadSubject::Kind::Lambda, 0, Api};
    P.Fault = PayloadFault::CapturesByReference;
    P.Captures = {C.capturesThis()       ? "this"
                  : C.capturesVariable() ? C.getCapturedVar()->getNameAsString()
                                         : ""};
    S.PayloadProblems.push_back(std::move(P));
    Shares = true;
    return;
  }
  for (const FieldDecl* Field : Closure->fields())
    add(S, {PayloadSubject::Kind::LambdaCapture, 0, Api}, Field->getType(), PayloadMode::Values,
        false);
}

/// The indices of a call's payload arguments.
static std::vector<unsigned> payloadIndices(const ExecutorRule& Rule, const CallView& Call,
                                            bool PassedAtRunTime) {
  if (!Rule.PayloadRest)
    return Rule.Payload;
  unsigned Start = 0;
  for (const ArgRef& C : Rule.Callables)
    if (C.K == ArgRef::Kind::Index)
      Start = std::max(Start, C.Index + 1);
  if (PassedAtRunTime && !Rule.Callables.empty() &&
      Rule.Callables.front().K == ArgRef::Kind::TemplateIndex)
    Start = 1; // The overload that takes a callable at run time.
  std::vector<unsigned> Indices;
  for (unsigned I = Start; I < Call.Args.size(); ++I)
    Indices.push_back(I);
  return Indices;
}

void PayloadAssessor::arguments(Submission& S, const ExecutorRule& Rule, const CallView& Call,
                                const FunctionDecl* Params, const Expr* Passed, PayloadMode Mode,
                                bool RequireProtocol) {
  std::string Api = Call.Callee->getNameAsString();
  // With a callable named at compile time, the k-th payload argument is the
  // function's k-th parameter.
  unsigned K = 0;
  for (unsigned I : payloadIndices(Rule, Call, Passed)) {
    if (I >= Call.Args.size() || isa<CXXDefaultArgExpr>(Call.Args[I]))
      continue;
    QualType Type;
    if (Mode != PayloadMode::Values) {
      Type = pointee(Call.Args[I], Context);
      if (!Type.isNull() && typeMatchName(Type) == "msghdr") {
        for (QualType Sent : iovecPayloads(Call.Args[I], Context))
          add(S, {PayloadSubject::Kind::IovecArgument, I, Api}, Sent, Mode, RequireProtocol);
        ++K;
        continue;
      }
    } else if (Params && K < Params->getNumParams())
      Type = travelsAs(Params->getParamDecl(K)->getType());
    else
      Type = Call.Args[I]->getType();
    ++K;
    if (Type.isNull() || Type->isVoidType())
      continue; // `write(fd, buffer, n)` with a `void*`: nothing to judge.
    add(S, {PayloadSubject::Kind::Argument, I, Api}, Type, Mode, RequireProtocol);
  }
}

void PayloadAssessor::assess(Submission& S, const ExecutorRule& Rule, const CallView& Call,
                             const FunctionDecl* Named, const Expr* Passed) {
  if (!Walker)
    return;
  Shares = Unknown = false;
  bool Process = S.Role == ExecutorRole::Process;
  std::string Api = Call.Callee->getNameAsString();
  PayloadMode Mode = Rule.PayloadInSegment ? PayloadMode::Segment
                     : Rule.PayloadBytes   ? PayloadMode::Bytes
                                           : PayloadMode::Values;
  bool RequireProtocol = Process && Mode == PayloadMode::Values;

  if (Process)
    callable(S, Call, Named, Passed);
  else if (Passed)
    threadCaptures(S, Api, Passed); // A thread's task shares memory through what it captures.

  const FunctionDecl* Params = Process && Named && !isa<CXXMethodDecl>(Named) ? Named : nullptr;
  if (const auto* Method = dyn_cast_or_null<CXXMethodDecl>(Named); Method && Method->isStatic())
    Params = Named;
  arguments(S, Rule, Call, Params, Passed, Mode, RequireProtocol);
  if (Params && Process && !Params->getReturnType()->isVoidType())
    add(S, {PayloadSubject::Kind::Result, 0, Params->getNameAsString()},
        travelsAs(Params->getReturnType()), Mode, RequireProtocol);
  if (Rule.PayloadTemplate)
    if (const TemplateArgumentList* Args = Call.Callee->getTemplateSpecializationArgs();
        Args && *Rule.PayloadTemplate < Args->size() &&
        (*Args)[*Rule.PayloadTemplate].getKind() == TemplateArgument::Type)
      add(S, {PayloadSubject::Kind::TemplateArgument, *Rule.PayloadTemplate, Api},
          (*Args)[*Rule.PayloadTemplate].getAsType(), Mode, RequireProtocol);

  S.Payload = Shares ? "shares-memory" : Unknown ? "unknown" : "serialisable";
}

} // namespace taskfit
