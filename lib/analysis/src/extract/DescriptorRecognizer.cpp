//===- DescriptorRecognizer.cpp -------------------------------------------===//

#include "extract/DescriptorRecognizer.h"

#include "extract/MatchNames.h"
#include "extract/ObjectIdentity.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"

using namespace clang;

namespace taskfit {

std::string DescriptorRecognizer::resultIdentity(const Expr* CallExpr, const FunctionDecl* Scope) {
  DynTypedNodeList Parents = Context.getParents(*CallExpr);
  for (int Depth = 0; !Parents.empty() && Depth < 4; ++Depth) {
    if (const auto* Var = Parents[0].get<VarDecl>())
      return Var->hasGlobalStorage() && !Var->isStaticLocal()
                 ? matchName(Var)
                 : (Scope ? matchName(Scope) + "#" + Var->getNameAsString() : std::string());
    if (const auto* Assign = Parents[0].get<BinaryOperator>())
      return Assign->isAssignmentOp() ? objectIdentity(Assign->getLHS(), Scope) : std::string();
    if (!Parents[0].get<ImplicitCastExpr>() && !Parents[0].get<ParenExpr>() &&
        !Parents[0].get<ExprWithCleanups>())
      return {};
    Parents = Context.getParents(Parents[0]);
  }
  return {};
}

std::vector<std::string> DescriptorRecognizer::madeNonBlocking(const CallView& Call,
                                                               llvm::StringRef Name,
                                                               const Expr* CallExpr,
                                                               const FunctionDecl* Scope) {
  std::vector<std::string> Made;
  for (const NonBlockingMaker* Maker : Rules.nonBlockingMakersFor(Name)) {
    if (!llvm::all_of(Maker->If, [&](const ArgPredicate& P) { return holds(P, Call, Context); }))
      continue;
    std::string Id = Maker->Result ? resultIdentity(CallExpr, Scope)
                                   : objectIdentity(Call.argument(*Maker->Descriptor), Scope);
    if (!Id.empty())
      Made.push_back(std::move(Id));
  }
  return Made;
}

bool DescriptorRecognizer::spellsWouldBlock(const Expr* E) {
  if (const auto* Ref = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts()))
    if (isa<EnumConstantDecl>(Ref->getDecl()) && Rules.isWouldBlockName(matchName(Ref->getDecl())))
      return true;
  // EAGAIN and EWOULDBLOCK are macros: ask the expansion that spelt the literal.
  const SourceManager& SM = Context.getSourceManager();
  for (SourceLocation Loc = E->getBeginLoc(); Loc.isMacroID();
       Loc = SM.getImmediateMacroCallerLoc(Loc))
    if (Rules.isWouldBlockName(Lexer::getImmediateMacroName(Loc, SM, Context.getLangOpts())))
      return true;
  return false;
}

} // namespace taskfit
