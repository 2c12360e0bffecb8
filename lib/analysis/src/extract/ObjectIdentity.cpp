//===- ObjectIdentity.cpp -------------------------------------------------===//

#include "extract/ObjectIdentity.h"

#include "extract/MatchNames.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"

using namespace clang;

namespace taskfit {

/// Strips what an object passes through: parentheses, casts, `&x`, `*p`,
/// `x[i]`, `std::ref(x)`, temporaries, `x.native_handle()`.
static const Expr* stripToObject(const Expr* E) {
  while (E) {
    E = E->IgnoreParenImpCasts();
    if (const auto* U = dyn_cast<UnaryOperator>(E);
        U && (U->getOpcode() == UO_AddrOf || U->getOpcode() == UO_Deref))
      E = U->getSubExpr();
    else if (const auto* Cast = dyn_cast<ExplicitCastExpr>(E))
      E = Cast->getSubExpr();
    else if (const auto* Subscript = dyn_cast<ArraySubscriptExpr>(E))
      E = Subscript->getBase();
    else if (const auto* M = dyn_cast<MaterializeTemporaryExpr>(E))
      E = M->getSubExpr();
    else if (const auto* Op = dyn_cast<CXXOperatorCallExpr>(E);
             Op && Op->getNumArgs() == 1 &&
             (Op->getOperator() == OO_Star || Op->getOperator() == OO_Arrow))
      E = Op->getArg(0); // `*ptr`, `ptr->` on a smart pointer: the object it owns.
    else if (const auto* Handle = dyn_cast<CXXMemberCallExpr>(E);
             Handle && Handle->getNumArgs() == 0 && Handle->getMethodDecl() &&
             Handle->getMethodDecl()->getIdentifier() &&
             Handle->getMethodDecl()->getName() == "native_handle")
      E = Handle->getImplicitObjectArgument(); // The OS handle is the object's.
    else if (const auto* Call = dyn_cast<CallExpr>(E);
             Call && Call->getNumArgs() == 1 && Call->getDirectCallee() &&
             Call->getDirectCallee()->getIdentifier() &&
             (Call->getDirectCallee()->getName() == "ref" ||
              Call->getDirectCallee()->getName() == "addressof"))
      E = Call->getArg(0);
    else
      return E;
  }
  return E;
}

/// A local guard (`std::unique_lock<std::mutex> lock(mu_)`) stands for the
/// object it was constructed from.
static const Expr* guardedObject(const VarDecl* Var) {
  const Expr* Init = Var->getInit();
  if (!Init)
    return nullptr;
  const auto* Construct = dyn_cast<CXXConstructExpr>(Init->IgnoreImplicit());
  if (!Construct || Construct->getNumArgs() == 0 ||
      Construct->getConstructor()->isCopyOrMoveConstructor())
    return nullptr;
  const Expr* First = Construct->getArg(0);
  return First->getType()->isRecordType() || First->getType()->isReferenceType() ? First : nullptr;
}

std::string objectIdentity(const Expr* E, const FunctionDecl* Scope) {
  E = stripToObject(E);
  if (!E)
    return {};
  if (const auto* Member = dyn_cast<MemberExpr>(E)) {
    if (const auto* Field = dyn_cast<FieldDecl>(Member->getMemberDecl()))
      return matchName(Field);
    return {};
  }
  const auto* Ref = dyn_cast<DeclRefExpr>(E);
  const auto* Var = Ref ? dyn_cast<VarDecl>(Ref->getDecl()) : nullptr;
  if (!Var || isa<ParmVarDecl>(Var))
    return {};
  if (Var->hasGlobalStorage() && !Var->isStaticLocal())
    return matchName(Var);
  if (Var->getType()->isRecordType() && !Var->getType()->isReferenceType())
    if (const Expr* Guarded = guardedObject(Var))
      if (std::string Id = objectIdentity(Guarded, Scope); !Id.empty())
        return Id;
  if (!Scope)
    return Var->isStaticLocal() ? matchName(Var) : std::string();
  // Named after the function that declares it: a lambda that captures it
  // names the same object.
  const auto* Owner = dyn_cast_or_null<FunctionDecl>(Var->getParentFunctionOrMethod());
  return matchName(Owner ? Owner : Scope) + "#" + Var->getNameAsString();
}

/// The type of a fixed-size buffer, if T is one.
static bool isFixedSizeType(QualType T, ASTContext& Context) {
  T = T.getNonReferenceType();
  if (T->isPointerType())
    T = T->getPointeeType(); // `buffer_->data()` through a pointer to the array.
  if (Context.getAsConstantArrayType(T))
    return true;
  const auto* Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(T->getAsCXXRecordDecl());
  if (!Spec)
    return false;
  std::string Name = matchName(Spec);
  return Name == "std::array" || Name == "boost::array";
}

bool isFixedSizeBuffer(const Expr* E, ASTContext& Context) {
  for (int Depth = 0; E && Depth < 8; ++Depth) {
    E = E->IgnoreParenImpCasts();
    if (isFixedSizeType(E->getType(), Context))
      return true;
    if (const auto* B = dyn_cast<BinaryOperator>(E); B && B->isAdditiveOp())
      E = B->getLHS()->getType()->isPointerType() ? B->getLHS() : B->getRHS();
    else if (const auto* U = dyn_cast<UnaryOperator>(E); U && U->getOpcode() == UO_AddrOf)
      E = U->getSubExpr();
    else if (const auto* S = dyn_cast<ArraySubscriptExpr>(E))
      E = S->getBase();
    else if (const auto* Member = dyn_cast<CXXMemberCallExpr>(E))
      E = Member->getImplicitObjectArgument(); // buf.data(), buf.begin(), buf.end()
    else if (const auto* Call = dyn_cast<CallExpr>(E); Call && Call->getNumArgs() == 1)
      E = Call->getArg(0); // std::begin(buf), std::data(buf), asio::buffer(buf)
    else
      return false;
  }
  return false;
}

} // namespace taskfit
