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

/// Counts the operations of a loop body: calls, assignments, declarations.
class OperationCounter : public RecursiveASTVisitor<OperationCounter> {
public:
  bool TraverseLambdaExpr(LambdaExpr*) { return true; }
  bool VisitCallExpr(CallExpr*) {
    ++Count;
    return true;
  }
  bool VisitCXXConstructExpr(CXXConstructExpr* E) {
    if (!E->getConstructor()->isTrivial())
      ++Count;
    return true;
  }
  bool VisitBinaryOperator(BinaryOperator* B) {
    if (B->isAssignmentOp() || B->isCompoundAssignmentOp())
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

/// Whether E names a parameter, directly or through a member (`req.items`).
bool namesParameter(const Expr* E) {
  class Finder : public RecursiveASTVisitor<Finder> {
  public:
    bool VisitDeclRefExpr(DeclRefExpr* Ref) {
      if (isa<ParmVarDecl>(Ref->getDecl()))
        Found = true;
      return !Found;
    }
    bool Found = false;
  } F;
  F.TraverseStmt(const_cast<Expr*>(E));
  return F.Found;
}

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

void fromBound(const Expr* Bound, ASTContext& Context, LoopFact& Fact) {
  Bound = Bound->IgnoreParenImpCasts();
  Expr::EvalResult Result;
  if (!Bound->isValueDependent() && Bound->EvaluateAsInt(Result, Context)) {
    Fact.Trips = TripCount::Constant;
    Fact.ConstantTrips = Result.Val.getInt().getExtValue();
  } else if (asksForSize(Bound)) {
    Fact.Trips = namesParameter(Bound) ? TripCount::Parameter : TripCount::Container;
  } else if (namesParameter(Bound)) {
    Fact.Trips = TripCount::Parameter;
  }
  Fact.Over = shortText(Bound, Context);
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
    if (alwaysTrue(For->getCond(), Context)) {
      Fact.Trips = TripCount::Unbounded;
    } else if (const auto* Cmp = dyn_cast<BinaryOperator>(For->getCond()->IgnoreParenImpCasts());
               Cmp && Cmp->isComparisonOp()) {
      // `i < bound` or `bound > i`: the side that is not the induction variable.
      const Expr* Bound = Cmp->getRHS();
      if (isa<DeclRefExpr>(Cmp->getRHS()->IgnoreParenImpCasts()) &&
          !isa<DeclRefExpr>(Cmp->getLHS()->IgnoreParenImpCasts()))
        Bound = Cmp->getLHS();
      fromBound(Bound, Context, Fact);
    } else if (const auto* Op =
                   dyn_cast<CXXOperatorCallExpr>(For->getCond()->IgnoreParenImpCasts());
               Op && Op->getNumArgs() == 2) {
      fromBound(Op->getArg(1), Context, Fact); // `it != v.end()`
    }
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
  } else if (const auto* While = dyn_cast<WhileStmt>(Loop)) {
    Body = While->getBody();
    fromConstantCondition(While->getCond(), Context, 0, Fact);
  } else if (const auto* Do = dyn_cast<DoStmt>(Loop)) {
    Body = Do->getBody();
    fromConstantCondition(Do->getCond(), Context, 1, Fact);
  }
  if (Body) {
    OperationCounter Counter;
    Counter.TraverseStmt(const_cast<Stmt*>(Body));
    Fact.Operations = Counter.Count;
  }
  return Fact;
}

} // namespace taskfit
