//===- ArgumentPredicates.h - Evaluating a rule's argument predicates -----===//
//
// `sleep_for(0s)`, `recv(fd, buf, n, MSG_DONTWAIT)` and `std::cin >> x` are
// told apart from their blocking siblings by looking at the arguments.
//
//===----------------------------------------------------------------------===//
#ifndef TASKFIT_ANALYSIS_EXTRACT_ARGUMENTPREDICATES_H
#define TASKFIT_ANALYSIS_EXTRACT_ARGUMENTPREDICATES_H

#include "knowledge/RuleSet.h"

#include "llvm/ADT/ArrayRef.h"

namespace clang {
class ASTContext;
class Expr;
class FunctionDecl;
} // namespace clang

namespace taskfit {

/// A call as the rules see it: callee, object (for member calls) and arguments.
struct CallView {
  const clang::FunctionDecl* Callee = nullptr;
  const clang::Expr* Object = nullptr;
  llvm::ArrayRef<const clang::Expr*> Args;

  /// The expression ArgRef names, or null when the call has no such argument.
  const clang::Expr* argument(const ArgRef& Ref) const;
};

bool holds(const ArgPredicate& Predicate, const CallView& Call, clang::ASTContext& Context);

/// Whether the expression is a constant zero: 0, 0.0, nullptr, `0s`, `seconds(0)`, `::zero()`.
bool isConstantZero(const clang::Expr* E, clang::ASTContext& Context);

} // namespace taskfit

#endif
