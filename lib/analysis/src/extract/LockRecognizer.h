//===- LockRecognizer.h - Which calls take and release which locks --------===//
//
// A call acquires a lock when a rule says so (`acquires:` in
// rules/blocking.yaml: std::mutex::lock, std::lock_guard, pthread_mutex_lock)
// or by its shape, as the standard defines BasicLockable: `.lock()` on an
// object with lock() and unlock(), or the construction of a guard from one
// (asio's scoped_lock, boost::unique_lock, a project's own). Without a tag:
// defer_lock, try_to_lock and adopt_lock construct guards that do not wait.
// A lock is released by `.unlock()` on such an object, or by a rule (`unlocks:`).
// A lock() defined empty (the null-mutex pattern) takes no lock.
//
//===----------------------------------------------------------------------===//
#ifndef TASKFIT_ANALYSIS_EXTRACT_LOCKRECOGNIZER_H
#define TASKFIT_ANALYSIS_EXTRACT_LOCKRECOGNIZER_H

#include "extract/ArgumentPredicates.h"

#include "clang/AST/Type.h"
#include "llvm/ADT/DenseMap.h"

namespace clang {
class CXXRecordDecl;
}

namespace taskfit {

/// What one call does to locks.
struct LockEffect {
  /// The identities of the locks it acquires (an empty string: a lock whose
  /// identity is unknown); empty when it acquires none.
  std::vector<std::string> Acquires;
  std::vector<std::string> Releases;
  /// Recognised by shape rather than by a rule: the call is not followed into
  /// (its body is the lock's implementation).
  bool ByShape = false;
  /// A rule's acquisition whose every lock is a null mutex (spdlog's
  /// `std::lock_guard<null_mutex>` in a single-threaded sink): no wait.
  bool LocksNothing = false;
};

class LockRecognizer {
public:
  explicit LockRecognizer(const RuleSet& Rules) : Rules(Rules) {}

  /// What Call (named Name, matched by Rule if a blocking rule matched it)
  /// does to locks, in the function Scope.
  LockEffect effect(const CallView& Call, llvm::StringRef Name, const BlockingRule* Rule,
                    const clang::FunctionDecl* Scope);

  /// A type with lock() and unlock() members (the standard's BasicLockable).
  bool isBasicLockable(clang::QualType Type);

private:
  /// None: without lock() and unlock(); Null: with a lock() defined empty.
  enum class LockShape { None, Lockable, Null };
  LockShape shape(const clang::CXXRecordDecl* Record);
  std::vector<std::string> guardAcquisitions(const CallView& Call,
                                             const clang::FunctionDecl* Scope);

  const RuleSet& Rules;
  llvm::DenseMap<const clang::CXXRecordDecl*, LockShape> Shapes;
};

} // namespace taskfit

#endif
