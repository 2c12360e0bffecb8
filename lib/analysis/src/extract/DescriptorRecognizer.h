//===- DescriptorRecognizer.h - Which descriptors are non-blocking --------===//
//
// `read`, `recv`, `accept`... block only on a blocking descriptor. A
// descriptor is shown non-blocking by how it was made or set (the
// `nonblocking-descriptors` of rules/blocking.yaml: `socket(...,
// SOCK_NONBLOCK, ...)`, `fcntl(fd, F_SETFL, O_NONBLOCK)`, `pipe2(fds,
// O_NONBLOCK)`, `sock.non_blocking(true)`), or by its caller expecting
// EAGAIN (`would-block`: EAGAIN, EWOULDBLOCK, asio::error::would_block).
// Descriptors are matched by identity (ObjectIdentity.h), across files.
//
//===----------------------------------------------------------------------===//
#ifndef TASKFIT_ANALYSIS_EXTRACT_DESCRIPTORRECOGNIZER_H
#define TASKFIT_ANALYSIS_EXTRACT_DESCRIPTORRECOGNIZER_H

#include "extract/ArgumentPredicates.h"

namespace clang {
class CallExpr;
class CXXConstructExpr;
class Stmt;
} // namespace clang

namespace taskfit {

class DescriptorRecognizer {
public:
  DescriptorRecognizer(clang::ASTContext& Context, const RuleSet& Rules)
      : Context(Context), Rules(Rules) {}

  /// The descriptors a call named Name makes non-blocking, by identity; Call
  /// is the expression (its result may be the descriptor).
  std::vector<std::string> madeNonBlocking(const CallView& Call, llvm::StringRef Name,
                                           const clang::Expr* CallExpr,
                                           const clang::FunctionDecl* Scope);

  /// Whether E (an integer literal, a reference to an enumerator) spells one
  /// of the names that show the caller expects EAGAIN.
  bool spellsWouldBlock(const clang::Expr* E);

private:
  /// The object a call's result is stored in: `int fd = f()`, `fd_ = f()`.
  std::string resultIdentity(const clang::Expr* CallExpr, const clang::FunctionDecl* Scope);

  clang::ASTContext& Context;
  const RuleSet& Rules;
};

} // namespace taskfit

#endif
