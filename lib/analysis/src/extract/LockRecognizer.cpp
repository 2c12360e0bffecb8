//===- LockRecognizer.cpp -------------------------------------------------===//

#include "extract/LockRecognizer.h"

#include "extract/MatchNames.h"
#include "extract/ObjectIdentity.h"

#include "clang/AST/DeclCXX.h"
#include "clang/AST/Expr.h"
#include "clang/AST/ExprCXX.h"

using namespace clang;

namespace taskfit {

static const CXXRecordDecl* recordOf(QualType Type) {
  Type = Type.getNonReferenceType();
  if (Type->isPointerType())
    Type = Type->getPointeeType();
  return Type->getAsCXXRecordDecl();
}

bool LockRecognizer::isBasicLockable(QualType Type) {
  const CXXRecordDecl* Record = recordOf(Type);
  return Record && shape(Record) == LockShape::Lockable;
}

/// A lock() defined with nothing in it: the null-mutex pattern
/// (asio::detail::null_mutex, a policy's no-op lock) locks nothing.
static bool locksNothing(const CXXMethodDecl* Lock) {
  const FunctionDecl* Definition = nullptr;
  if (!Lock->isDefined(Definition))
    return false;
  const auto* Body = dyn_cast_or_null<CompoundStmt>(Definition->getBody());
  return Body && Body->body_empty();
}

LockRecognizer::LockShape LockRecognizer::shape(const CXXRecordDecl* Record) {
  Record = Record->getDefinition();
  if (!Record)
    return LockShape::None;
  auto [It, Inserted] = Shapes.try_emplace(Record, LockShape::None);
  if (!Inserted)
    return It->second;
  const CXXMethodDecl* Lock = nullptr;
  bool HasUnlock = false;
  auto Look = [&](const CXXRecordDecl* R) {
    for (const CXXMethodDecl* M : R->methods())
      if (M->getIdentifier() && !M->isStatic() && M->getMinRequiredArguments() == 0) {
        if (M->getName() == "lock" && !Lock)
          Lock = M;
        HasUnlock = HasUnlock || M->getName() == "unlock";
      }
    return true;
  };
  Look(Record);
  Record->forallBases(Look);
  LockShape Shape = !Lock || !HasUnlock  ? LockShape::None
                    : locksNothing(Lock) ? LockShape::Null
                                         : LockShape::Lockable;
  return Shapes[Record] = Shape;
}

/// A tag that makes a guard not wait: defer_lock, try_to_lock, adopt_lock.
static bool isNoWaitTag(const Expr* Arg) {
  std::string Type = typeMatchName(Arg->getType());
  llvm::StringRef Name(Type);
  return Name.ends_with("defer_lock_t") || Name.ends_with("try_to_lock_t") ||
         Name.ends_with("adopt_lock_t");
}

std::vector<std::string> LockRecognizer::guardAcquisitions(const CallView& Call,
                                                           const FunctionDecl* Scope) {
  const auto* Ctor = dyn_cast<CXXConstructorDecl>(Call.Callee);
  if (!Ctor || Ctor->isCopyOrMoveConstructor() || shape(Ctor->getParent()) == LockShape::None)
    return {};
  if (llvm::any_of(Call.Args, isNoWaitTag))
    return {};
  std::vector<std::string> Locks;
  for (unsigned I = 0; I < Call.Args.size() && I < Ctor->getNumParams(); ++I) {
    QualType Param = Ctor->getParamDecl(I)->getType();
    if (Param->isLValueReferenceType() && isBasicLockable(Call.Args[I]->getType()))
      Locks.push_back(objectIdentity(Call.Args[I], Scope));
  }
  return Locks;
}

LockEffect LockRecognizer::effect(const CallView& Call, llvm::StringRef Name,
                                  const BlockingRule* Rule, const FunctionDecl* Scope) {
  LockEffect Effect;
  auto Identity = [&](const Expr* E) { return E ? objectIdentity(E, Scope) : std::string(); };
  // A rule names the lock; a null mutex in its place locks nothing.
  auto Acquire = [&](const Expr* Lock) {
    if (const CXXRecordDecl* Record = Lock ? recordOf(Lock->getType()) : nullptr;
        Record && shape(Record) == LockShape::Null)
      return;
    Effect.Acquires.push_back(Identity(Lock));
  };
  if (Rule && (Rule->AcquiresEveryArg || Rule->Acquires)) {
    unsigned Locks = 0;
    if (Rule->AcquiresEveryArg) {
      for (const Expr* Arg : Call.Args)
        if (!isNoWaitTag(Arg)) {
          ++Locks;
          Acquire(Arg);
        }
    } else {
      ++Locks;
      Acquire(Call.argument(*Rule->Acquires));
    }
    Effect.LocksNothing = Locks > 0 && Effect.Acquires.empty();
    return Effect;
  }
  if (const UnlockRule* Unlock = Rules.unlockFor(Name)) {
    Effect.Releases.push_back(Identity(Call.argument(Unlock->Lock)));
    return Effect;
  }
  const auto* Method = dyn_cast<CXXMethodDecl>(Call.Callee);
  if (Rule || !Method || !Method->getIdentifier()) {
    if (!Rule)
      Effect.Acquires = guardAcquisitions(Call, Scope);
    Effect.ByShape = !Effect.Acquires.empty();
    return Effect;
  }
  llvm::StringRef Member = Method->getName();
  if (!Call.Object || shape(Method->getParent()) != LockShape::Lockable)
    return Effect;
  if (Member == "lock" || Member == "lock_shared") {
    Effect.Acquires.push_back(Identity(Call.Object));
    Effect.ByShape = true;
  } else if (Member == "unlock" || Member == "unlock_shared") {
    Effect.Releases.push_back(Identity(Call.Object));
  }
  return Effect;
}

} // namespace taskfit
