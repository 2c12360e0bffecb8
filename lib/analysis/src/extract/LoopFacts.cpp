//===- LoopFacts.cpp ------------------------------------------------------===//
//
// Trip counts are read from the loop header, the way a reviewer would:
//   for (int i = 0; i < 8; ++i)          constant (8)
//   for (auto& x : items)                bounded by a container (a parameter's if
//   for (size_t i = 0; i < v.size(); ++i)    it names one)
//   for (int i = 0; i < n; ++i)          bounded by a parameter
//   for (;;), while (true)               unbounded
// and anything else is unknown.
//
//===----------------------------------------------------------------------===//

#include "extract/LoopFacts.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"

using namespace clang;

namespace taskfit {
namespace {

/// Counts the operations of a body: assignments, increments, declarations and
/// arithmetic; comparisons and logic only steer.
/// Calls are weighed where their callees are known (CpuSummaries): a library
/// call by the cpu-heavy pack, a call into the program by the callee's body.
class OperationCounter : public RecursiveASTVisitor<OperationCounter> {
public:
  bool TraverseLambdaExpr(LambdaExpr*) { return true; }
  bool VisitBinaryOperator(BinaryOperator* B) {
    if (B->isAssignmentOp() || B->isCompoundAssignmentOp() || B->isMultiplicativeOp() ||
        B->isAdditiveOp() || B->isShiftOp() || B->isBitwiseOp())
      ++Count;
    return true;
  }
  bool VisitUnaryOperator(UnaryOperator* U) {
    if (U->isIncrementDecrementOp())
      ++Count;
    return true;
  }
  bool VisitDeclStmt(DeclStmt*) {
    ++Count;
    return true;
  }
  int Count = 0;
};

/// The first parameter E names, directly or through a member (`req.items`).
const ParmVarDecl* namedParameter(const Expr* E) {
  class Finder : public RecursiveASTVisitor<Finder> {
  public:
    bool VisitDeclRefExpr(DeclRefExpr* Ref) {
      if (!Found)
        Found = dyn_cast<ParmVarDecl>(Ref->getDecl());
      return !Found;
    }
    const ParmVarDecl* Found = nullptr;
  } F;
  F.TraverseStmt(const_cast<Expr*>(E));
  return F.Found;
}

/// Whether the body can leave the loop: a `break` that belongs to it, a
/// `return`, `co_return`, `goto` or `throw`.
class ExitFinder : public RecursiveASTVisitor<ExitFinder> {
public:
  bool TraverseLambdaExpr(LambdaExpr*) { return true; }
  // A `break` inside these belongs to them.
  bool TraverseForStmt(ForStmt* S) {
    return nested([&] { return Base::TraverseForStmt(S); });
  }
  bool TraverseWhileStmt(WhileStmt* S) {
    return nested([&] { return Base::TraverseWhileStmt(S); });
  }
  bool TraverseDoStmt(DoStmt* S) {
    return nested([&] { return Base::TraverseDoStmt(S); });
  }
  bool TraverseCXXForRangeStmt(CXXForRangeStmt* S) {
    return nested([&] { return Base::TraverseCXXForRangeStmt(S); });
  }
  bool TraverseSwitchStmt(SwitchStmt* S) {
    return nested([&] { return Base::TraverseSwitchStmt(S); });
  }
  bool VisitBreakStmt(BreakStmt*) {
    Exits = Exits || Depth == 0;
    return !Exits;
  }
  bool VisitReturnStmt(ReturnStmt*) { return !(Exits = true); }
  bool VisitCoreturnStmt(CoreturnStmt*) { return !(Exits = true); }
  bool VisitGotoStmt(GotoStmt*) { return !(Exits = true); }
  bool VisitCXXThrowExpr(CXXThrowExpr*) { return !(Exits = true); }

  bool Exits = false;

private:
  using Base = RecursiveASTVisitor<ExitFinder>;
  template <typename Traverse>
  bool nested(Traverse&& T) {
    ++Depth;
    bool Result = T();
    --Depth;
    return Result;
  }
  int Depth = 0;
};

/// Whether E asks a container for its size (`v.size()`, `std::size(v)`, `s.length()`).
bool asksForSize(const Expr* E) {
  class Finder : public RecursiveASTVisitor<Finder> {
  public:
    bool VisitCallExpr(CallExpr* Call) {
      if (const FunctionDecl* Callee = Call->getDirectCallee())
        if (const IdentifierInfo* Id = Callee->getIdentifier())
          if (Id->getName() == "size" || Id->getName() == "length" || Id->getName() == "end" ||
              Id->getName() == "ssize" || Id->getName() == "count")
            Found = true;
      return !Found;
    }
    bool Found = false;
  } F;
  F.TraverseStmt(const_cast<Expr*>(E));
  return F.Found;
}

std::string shortText(const Expr* E, ASTContext& Context) {
  const SourceManager& SM = Context.getSourceManager();
  CharSourceRange Range = CharSourceRange::getTokenRange(SM.getFileLoc(E->getBeginLoc()),
                                                         SM.getFileLoc(E->getEndLoc()));
  llvm::StringRef Text = Lexer::getSourceText(Range, SM, Context.getLangOpts());
  return Text.size() <= 40 && !Text.contains('\n') ? Text.str() : std::string();
}

/// Whether the body steps Var other than by adding or subtracting a constant
/// (`i = (i - 1) / 2`, `n >>= 1`, `index = parent`): not a trip count of Var.
bool stepsNonLinearly(const Stmt* Body, const ValueDecl* Var) {
  class Finder : public RecursiveASTVisitor<Finder> {
  public:
    explicit Finder(const ValueDecl* Var) : Var(Var) {}
    bool VisitBinaryOperator(BinaryOperator* B) {
      if (!B->isAssignmentOp() && !B->isCompoundAssignmentOp())
        return true;
      const auto* Ref = dyn_cast<DeclRefExpr>(B->getLHS()->IgnoreParenImpCasts());
      if (!Ref || Ref->getDecl() != Var)
        return true;
      bool Linear = (B->getOpcode() == BO_AddAssign || B->getOpcode() == BO_SubAssign) &&
                    B->getRHS()->isIntegerConstantExpr(Var->getASTContext());
      Found = Found || !Linear;
      return !Found;
    }
    const ValueDecl* Var;
    bool Found = false;
  } F(Var);
  F.TraverseStmt(const_cast<Stmt*>(Body));
  return F.Found;
}

/// A character or byte: a range of them is the text or bytes of one message.
bool isByteType(QualType T) {
  T = T.getNonReferenceType().getCanonicalType().getUnqualifiedType();
  if (T->isPointerType())
    T = T->getPointeeType().getCanonicalType().getUnqualifiedType();
  if (T->isAnyCharacterType() || T->isSpecificBuiltinType(BuiltinType::SChar) ||
      T->isSpecificBuiltinType(BuiltinType::UChar))
    return true;
  if (const auto* Enum = T->getAs<EnumType>())
    return Enum->getDecl()->getName() == "byte"; // std::byte
  return false;
}

/// Whether a range or bound (`text`, `s.size()`, `end` as a `char*`) is made
/// of characters or bytes: a string, a string view, a buffer of char.
bool overBytes(const Expr* E) {
  E = E->IgnoreParenImpCasts();
  if (const auto* Member = dyn_cast<CXXMemberCallExpr>(E)) // s.size(), buf.end()
    E = Member->getImplicitObjectArgument()->IgnoreParenImpCasts();
  QualType T = E->getType().getNonReferenceType();
  if (isByteType(T))
    return true;
  if (const auto* Array = T->getAsArrayTypeUnsafe())
    return isByteType(Array->getElementType());
  const CXXRecordDecl* Record = T->getAsCXXRecordDecl();
  const auto* Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(Record);
  if (!Spec || Spec->getTemplateArgs().size() == 0 ||
      Spec->getTemplateArgs()[0].getKind() != TemplateArgument::Type)
    return false;
  // basic_string<char>, basic_string_view<char>, vector<uint8_t>, array<char, N>, span<std::byte>.
  return isByteType(Spec->getTemplateArgs()[0].getAsType());
}

void fromBound(const Expr* Bound, ASTContext& Context, LoopFact& Fact) {
  Bound = Bound->IgnoreParenImpCasts();
  Expr::EvalResult Result;
  if (!Bound->isValueDependent() && Bound->EvaluateAsInt(Result, Context)) {
    Fact.Trips = TripCount::Constant;
    Fact.ConstantTrips = Result.Val.getInt().getExtValue();
  } else if (const ParmVarDecl* Param = namedParameter(Bound)) {
    Fact.Trips = TripCount::Parameter;
    Fact.BoundParam = static_cast<int>(Param->getFunctionScopeIndex());
  } else if (asksForSize(Bound)) {
    Fact.Trips = TripCount::Container;
  }
  Fact.Over = shortText(Bound, Context);
  Fact.OverBytes = overBytes(Bound);
}

/// `i < bound`, `bound > i`, `it != v.end()`, `begin != end`: the bound, when
/// the condition compares against one.
const Expr* comparedBound(const Expr* Cond) {
  if (!Cond)
    return nullptr;
  Cond = Cond->IgnoreImplicit()->IgnoreParenImpCasts(); // Past `ExprWithCleanups` too.
  if (const auto* Cmp = dyn_cast<BinaryOperator>(Cond); Cmp && Cmp->isComparisonOp()) {
    // A parameter counted down (`n-- > 0`) bounds the loop from the left.
    if (namedParameter(Cmp->getLHS()) && !namedParameter(Cmp->getRHS()))
      return Cmp->getLHS();
    // Otherwise the side that is not the induction variable.
    if (isa<DeclRefExpr>(Cmp->getRHS()->IgnoreParenImpCasts()) &&
        !isa<DeclRefExpr>(Cmp->getLHS()->IgnoreParenImpCasts()))
      return Cmp->getLHS();
    return Cmp->getRHS();
  }
  if (const auto* Op = dyn_cast<CXXOperatorCallExpr>(Cond);
      Op && Op->getNumArgs() == 2 && Op->isComparisonOp())
    return Op->getArg(1);
  // C++20 rewrites `it != end` as `!(it == end)` when only == is declared.
  if (const auto* Rewritten = dyn_cast<CXXRewrittenBinaryOperator>(Cond))
    return Rewritten->getRHS();
  return nullptr;
}

/// Whether an integer the condition compares is stepped non-linearly in the
/// body (a heap's sift-up halves its index, sift-down doubles it): the trip
/// count is logarithmic, not the bound's value.
bool steppedNonLinearly(const Expr* Cond, const Stmt* Body) {
  const auto* Cmp = Cond ? dyn_cast<BinaryOperator>(Cond->IgnoreParenImpCasts()) : nullptr;
  if (!Cmp || !Body)
    return false;
  for (const Expr* Side : {Cmp->getLHS(), Cmp->getRHS()})
    if (const auto* Ref = dyn_cast<DeclRefExpr>(Side->IgnoreParenImpCasts()))
      if (Ref->getType()->isIntegerType() && stepsNonLinearly(Body, Ref->getDecl()))
        return true;
  return false;
}

/// `while (cond) {}`, `while (cond);`: a body that does nothing.
bool isEmptyBody(const Stmt* Body) {
  if (isa<NullStmt>(Body))
    return true;
  const auto* Compound = dyn_cast<CompoundStmt>(Body);
  return Compound && Compound->body_empty();
}

/// The condition's constant value, if it has one; a missing condition is true.
std::optional<bool> constantCondition(const Expr* Cond, ASTContext& Context) {
  if (!Cond)
    return true;
  bool Value = false;
  if (!Cond->isValueDependent() && Cond->EvaluateAsBooleanCondition(Value, Context))
    return Value;
  return std::nullopt;
}

bool alwaysTrue(const Expr* Cond, ASTContext& Context) {
  return constantCondition(Cond, Context).value_or(false);
}

/// `while (false)` never runs; `do { ... } while (0)`, the macro idiom, runs once.
void fromConstantCondition(const Expr* Cond, ASTContext& Context, int64_t TripsIfFalse,
                           LoopFact& Fact) {
  std::optional<bool> Value = constantCondition(Cond, Context);
  if (!Value)
    return;
  if (*Value) {
    Fact.Trips = TripCount::Unbounded;
  } else {
    Fact.Trips = TripCount::Constant;
    Fact.ConstantTrips = TripsIfFalse;
  }
}

} // namespace

LoopFact describeLoop(const Stmt* Loop, ASTContext& Context) {
  LoopFact Fact;
  const Stmt* Body = nullptr;
  if (const auto* For = dyn_cast<ForStmt>(Loop)) {
    Body = For->getBody();
    if (alwaysTrue(For->getCond(), Context))
      Fact.Trips = TripCount::Unbounded;
    else if (const Expr* Bound = comparedBound(For->getCond()))
      fromBound(Bound, Context, Fact);
    if ((Fact.Trips == TripCount::Parameter || Fact.Trips == TripCount::Container) &&
        steppedNonLinearly(For->getCond(), For->getBody()))
      Fact.Trips = TripCount::Unknown;
  } else if (const auto* Range = dyn_cast<CXXForRangeStmt>(Loop)) {
    Body = Range->getBody();
    const Expr* Init = Range->getRangeInit();
    QualType Type = Init->getType().getNonReferenceType();
    if (const auto* Array = Context.getAsConstantArrayType(Type)) {
      Fact.Trips = TripCount::Constant;
      Fact.ConstantTrips = Array->getSize().getZExtValue();
    } else if (const auto* List = dyn_cast<InitListExpr>(Init->IgnoreImplicit())) {
      Fact.Trips = TripCount::Constant;
      Fact.ConstantTrips = List->getNumInits();
    } else if (const auto* Spec =
                   dyn_cast_or_null<ClassTemplateSpecializationDecl>(Type->getAsCXXRecordDecl());
               Spec && Spec->getName() == "array" && Spec->getTemplateArgs().size() == 2 &&
               Spec->getTemplateArgs()[1].getKind() == TemplateArgument::Integral) {
      Fact.Trips = TripCount::Constant;
      Fact.ConstantTrips = Spec->getTemplateArgs()[1].getAsIntegral().getExtValue();
    } else {
      Fact.Trips = TripCount::Container; // As many iterations as the range holds.
    }
    Fact.Over = shortText(Init, Context);
    Fact.OverBytes = overBytes(Init) || isByteType(Range->getLoopVariable()->getType());
  } else if (const auto* While = dyn_cast<WhileStmt>(Loop)) {
    Body = While->getBody();
    fromConstantCondition(While->getCond(), Context, 0, Fact);
    // `while (begin != end)`, `while (i < n)`: bounded like a for loop.
    if (Fact.Trips == TripCount::Unknown)
      if (const Expr* Bound = comparedBound(While->getCond()))
        fromBound(Bound, Context, Fact);
    if ((Fact.Trips == TripCount::Parameter || Fact.Trips == TripCount::Container) &&
        steppedNonLinearly(While->getCond(), While->getBody()))
      Fact.Trips = TripCount::Unknown;
  } else if (const auto* Do = dyn_cast<DoStmt>(Loop)) {
    Body = Do->getBody();
    fromConstantCondition(Do->getCond(), Context, 1, Fact);
  }
  if (Body) {
    Fact.Operations = countOperations(Body);
    Fact.EmptyBody = isEmptyBody(Body);
    ExitFinder Exits;
    Exits.TraverseStmt(const_cast<Stmt*>(Body));
    Fact.Exits = Exits.Exits;
  }
  return Fact;
}

int countOperations(const Stmt* Body) {
  OperationCounter Counter;
  Counter.TraverseStmt(const_cast<Stmt*>(Body));
  return Counter.Count;
}

} // namespace taskfit
