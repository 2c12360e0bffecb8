//===- ArgumentPredicates.cpp ---------------------------------------------===//

#include "extract/ArgumentPredicates.h"

#include "extract/MatchNames.h"
#include "knowledge/Names.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/StringExtras.h"

#include <algorithm>

using namespace clang;

namespace taskfit {

const Expr* CallView::argument(const ArgRef& Ref) const {
  switch (Ref.K) {
  case ArgRef::Kind::This:
    return Object;
  case ArgRef::Kind::Last: {
    // The last argument the caller wrote: Asio's initiating functions end in
    // defaulted constraint parameters that no one passes.
    for (auto It = Args.rbegin(); It != Args.rend(); ++It)
      if (!isa<CXXDefaultArgExpr>(*It))
        return *It;
    return nullptr;
  }
  case ArgRef::Kind::Index:
    return Ref.Index < Args.size() ? Args[Ref.Index] : nullptr;
  case ArgRef::Kind::TemplateIndex:
    return nullptr;
  }
  return nullptr;
}

/// Peels the wrappers a value passes through on its way into a parameter.
static const Expr* peel(const Expr* E) {
  while (E) {
    E = E->IgnoreParenImpCasts();
    if (const auto* M = dyn_cast<MaterializeTemporaryExpr>(E))
      E = M->getSubExpr();
    else if (const auto* B = dyn_cast<CXXBindTemporaryExpr>(E))
      E = B->getSubExpr();
    else if (const auto* C = dyn_cast<CXXFunctionalCastExpr>(E))
      E = C->getSubExpr();
    else if (const auto* S = dyn_cast<CXXStaticCastExpr>(E))
      E = S->getSubExpr();
    else
      return E;
  }
  return E;
}

/// Zero, or a struct whose only member is zero (a std::chrono::duration).
static bool isZeroValue(const APValue& V) {
  if (V.isInt())
    return V.getInt().isZero();
  if (V.isFloat())
    return V.getFloat().isZero();
  if (V.isStruct() && V.getStructNumBases() == 0 && V.getStructNumFields() == 1)
    return isZeroValue(V.getStructField(0));
  return false;
}

bool isConstantZero(const Expr* E, ASTContext& Context) {
  E = peel(E);
  if (!E || E->isValueDependent())
    return false;
  // Constant evaluation sees through literal operators (`0s`), constructors
  // (`seconds(0)`), `::zero()` and constexpr variables alike.
  if (Expr::EvalResult Result; E->isPRValue() && E->EvaluateAsRValue(Result, Context) &&
                               !Result.HasSideEffects && isZeroValue(Result.Val))
    return true;
  if (E->isNullPointerConstant(Context, Expr::NPC_ValueDependentIsNotNull))
    return true;
  // Only a cooked literal operator has an argument to look at: libstdc++'s
  // integer `s`/`ms` are literal operator templates (`operator""s<'1'>()`),
  // whose call has no arguments, and getCookedLiteral() would read past them.
  if (const auto* Literal = dyn_cast<UserDefinedLiteral>(E)) { // 0.0s, 0.0ms
    UserDefinedLiteral::LiteralOperatorKind Kind = Literal->getLiteralOperatorKind();
    if (Kind == UserDefinedLiteral::LOK_Template || Kind == UserDefinedLiteral::LOK_Raw)
      return false;
    return isConstantZero(Literal->getCookedLiteral(), Context);
  }
  if (const auto* Construct = dyn_cast<CXXConstructExpr>(E)) // seconds(0), a copy of a zero
    return Construct->getNumArgs() == 1 && isConstantZero(Construct->getArg(0), Context);
  if (const auto* Call = dyn_cast<CallExpr>(E)) { // duration::zero()
    if (const FunctionDecl* Callee = Call->getDirectCallee())
      return Callee->getIdentifier() && Callee->getName() == "zero";
    return false;
  }
  if (const auto* Ref = dyn_cast<DeclRefExpr>(E)) // constexpr auto none = 0ms;
    if (const auto* Var = dyn_cast<VarDecl>(Ref->getDecl()))
      if (Var->getType().isConstQualified() && Var->getInit())
        return isConstantZero(Var->getInit(), Context);
  if (E->getType()->isIntegralOrEnumerationType() || E->getType()->isRealFloatingType()) {
    Expr::EvalResult Result;
    if (E->EvaluateAsRValue(Result, Context) && !Result.HasSideEffects) {
      if (Result.Val.isInt())
        return Result.Val.getInt().isZero();
      if (Result.Val.isFloat())
        return Result.Val.getFloat().isZero();
    }
  }
  return false;
}

static bool isIdentifierChar(char C) {
  return llvm::isAlnum(C) || C == '_';
}

/// Whether E's source text names one of Names as a whole word; with
/// SetsOnly, not right after a `~` (`flags & ~O_NONBLOCK` clears the flag).
static bool mentions(const Expr* E, const std::vector<std::string>& Names, ASTContext& Context,
                     bool SetsOnly = false) {
  const SourceManager& SM = Context.getSourceManager();
  CharSourceRange Range = CharSourceRange::getTokenRange(SM.getFileLoc(E->getBeginLoc()),
                                                         SM.getFileLoc(E->getEndLoc()));
  llvm::StringRef Text = Lexer::getSourceText(Range, SM, Context.getLangOpts());
  for (const std::string& Name : Names) {
    for (size_t Pos = Text.find(Name); Pos != llvm::StringRef::npos;
         Pos = Text.find(Name, Pos + 1)) {
      bool StartsWord = Pos == 0 || !isIdentifierChar(Text[Pos - 1]);
      size_t End = Pos + Name.size();
      bool EndsWord = End >= Text.size() || !isIdentifierChar(Text[End]);
      bool Complemented = Text.substr(0, Pos).rtrim().ends_with("~");
      if (StartsWord && EndsWord && !(SetsOnly && Complemented))
        return true;
    }
  }
  return false;
}

/// A constant that is true: `true`, `1`, a constexpr flag that is set.
static bool isConstantTrue(const Expr* E, ASTContext& Context) {
  E = peel(E);
  bool Value = false;
  return E && !E->isValueDependent() && E->EvaluateAsBooleanCondition(Value, Context) && Value;
}

static bool hasType(const Expr* E, const std::vector<std::string>& Names) {
  QualType Type = E->IgnoreParenImpCasts()->getType(); // Before derived-to-base conversions.
  if (Type->isPointerType())
    Type = Type->getPointeeType();
  std::string Name = typeMatchName(Type);
  return !Name.empty() && std::find(Names.begin(), Names.end(), Name) != Names.end();
}

static bool refersTo(const Expr* E, const std::vector<std::string>& Names) {
  const Expr* Stripped = peel(E);
  if (const auto* Unary = dyn_cast<UnaryOperator>(Stripped))
    Stripped = peel(Unary->getSubExpr());
  const auto* Ref = dyn_cast<DeclRefExpr>(Stripped);
  if (!Ref)
    return false;
  std::string Name = matchName(Ref->getDecl());
  return std::find(Names.begin(), Names.end(), Name) != Names.end();
}

bool holds(const ArgPredicate& Predicate, const CallView& Call, ASTContext& Context) {
  const Expr* Arg = Call.argument(Predicate.Arg);
  if (!Arg)
    return false;
  switch (Predicate.K) {
  case ArgPredicate::Kind::IsZero:
    return isConstantZero(Arg, Context);
  case ArgPredicate::Kind::IsTrue:
    return isConstantTrue(Arg, Context);
  case ArgPredicate::Kind::Mentions:
    return mentions(Arg, Predicate.Names, Context);
  case ArgPredicate::Kind::Sets:
    return mentions(Arg, Predicate.Names, Context, /*SetsOnly=*/true);
  case ArgPredicate::Kind::HasType:
    return hasType(Arg, Predicate.Names);
  case ArgPredicate::Kind::RefersTo:
    return refersTo(Arg, Predicate.Names);
  }
  return false;
}

} // namespace taskfit
