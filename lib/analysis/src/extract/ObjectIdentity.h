//===- ObjectIdentity.h - Which object an expression names ----------------===//
//
// Locks and descriptors are matched across functions and files by the object
// that holds them: a global by its qualified name, a data member by
// `Class::field` (the same member of the same type: every instance is the same
// lock as far as the analysis can tell), a local variable by its function and
// name. Through a lock guard, the guarded mutex; through `fds[0]`, the array.
//
//===----------------------------------------------------------------------===//
#ifndef TASKFIT_ANALYSIS_EXTRACT_OBJECTIDENTITY_H
#define TASKFIT_ANALYSIS_EXTRACT_OBJECTIDENTITY_H

#include <string>

namespace clang {
class ASTContext;
class Expr;
class FunctionDecl;
} // namespace clang

namespace taskfit {

/// The identity of the object E names, or empty when it is unknown (a
/// parameter, a temporary, an element of a container). Locals are named only
/// when Scope (the function E is in) is given: `<declaring function>#<variable>`.
std::string objectIdentity(const clang::Expr* E, const clang::FunctionDecl* Scope = nullptr);

/// Whether E points into, iterates or sizes a buffer of fixed size: a C
/// array, a `std::array` (`buf.data() + n`, `buf.begin()`, `&buf[0]`, `buf`).
bool isFixedSizeBuffer(const clang::Expr* E, clang::ASTContext& Context);

} // namespace taskfit

#endif
