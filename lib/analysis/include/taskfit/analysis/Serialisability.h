//===- Serialisability.h - Which values can cross a process boundary ------===//
//
// The model of rules/serialisation.yaml (see docs/checks/non-serialisable-
// process-payload.md): types that never cross (pointers, references, views,
// handles, synchronisation state, behaviour), standard value types whose
// template arguments are their elements, and the protocols a user type opts
// into (cereal, Boost.Serialization, nlohmann, msgpack, protobuf). A payload
// travels either as values (through a serialisation library, as
// taskfit::ProcessPool sends it) or as raw bytes (write, send, memcpy into
// shared memory), where anything that owns memory is rejected too.
//
//===----------------------------------------------------------------------===//
#ifndef TASKFIT_ANALYSIS_SERIALISABILITY_H
#define TASKFIT_ANALYSIS_SERIALISABILITY_H

#include "clang/AST/Type.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/Support/Error.h"

#include <optional>
#include <string>
#include <vector>

namespace clang {
class ASTContext;
class CXXRecordDecl;
} // namespace clang

namespace taskfit {

struct SerialisationRules {
  /// A type that never crosses, and why: `a reference`, `a stream`.
  struct Never {
    std::string Name; ///< A matchName, possibly with `*` globs.
    std::string What;
    bool Derived = false; ///< Classes derived from it are the same kind of thing.
  };
  /// A standard type that crosses as a value when its type arguments do.
  struct Value {
    std::string Name;
    bool OwnsMemory = false; ///< Its bytes point into the heap: never raw bytes.
  };
  /// How a user type opts into serialisation. A `save+load` entry needs both.
  struct Protocol {
    std::string Name;
    std::vector<std::vector<std::string>> Members;
    std::vector<std::vector<std::string>> FreeFunctions;
    std::vector<std::string> Bases;
  };

  std::vector<Never> NeverTypes;
  std::vector<Value> Values;
  std::vector<std::string> IgnoredArguments; ///< allocator, char_traits, less, hash...
  std::vector<Protocol> Protocols;
  std::vector<std::string> Files;

  /// Loads one `serialisation.yaml`; errors carry `file:line:column` and the expected shape.
  llvm::Error loadFile(llvm::StringRef Path);
  llvm::Error loadString(llvm::StringRef Text, llvm::StringRef Path);

  const Never* never(llvm::StringRef Name) const;
  const Value* value(llvm::StringRef Name) const;
  bool ignoredArgument(llvm::StringRef Name) const;
};

enum class PayloadMode {
  Values, ///< Through a serialisation library: user types need a protocol.
  Bytes,  ///< The object's bytes: only trivially copyable plain data means the same elsewhere.
};

/// The first path to an offending part of a type.
struct TypeProblem {
  std::string Path;   ///< `Job::sink`; empty when the type itself offends.
  std::string Reason; ///< `is 'std::ostream &' (a reference)`.
  bool Certain = true;
  /// The type holds identities (pointers, references, handles), not only
  /// values: a thread pool would share memory with it.
  bool SharesMemory = true;
};

/// Walks types against the rules, memoised per type; cycles are cut (a
/// recursive type's problem is found on the way in).
class SerialisabilityWalker {
public:
  SerialisabilityWalker(clang::ASTContext& Context, const SerialisationRules& Rules)
      : Context(Context), Rules(Rules) {}

  /// RequireProtocol: a user type must opt into a protocol (taskfit::ProcessPool
  /// sends values through cereal); otherwise plain data of user types passes.
  std::optional<TypeProblem> check(clang::QualType Type, PayloadMode Mode, bool RequireProtocol);

  /// Printed as in messages: sugar kept, `std::ostream &`.
  std::string print(clang::QualType Type) const;

private:
  struct Found; // A problem relative to the type walked.
  std::optional<Found> walk(clang::QualType Type, PayloadMode Mode, bool RequireProtocol);
  std::optional<Found> walkRecord(clang::QualType Type, const clang::CXXRecordDecl* Record,
                                  PayloadMode Mode, bool RequireProtocol);
  const SerialisationRules::Never* neverRule(const clang::CXXRecordDecl* Record);
  bool optsIn(const clang::CXXRecordDecl* Record);
  bool hasMembers(const clang::CXXRecordDecl* Record, const std::vector<std::string>& Names);
  bool hasFreeFunctions(const clang::CXXRecordDecl* Record, const std::vector<std::string>& Names);

  clang::ASTContext& Context;
  const SerialisationRules& Rules;
  struct Memo;
  llvm::DenseMap<std::pair<const clang::Type*, unsigned>, std::shared_ptr<Memo>> Cache;
};

/// Loads `Dir/serialisation.yaml`; a missing file leaves Rules empty.
llvm::Error loadSerialisationRules(SerialisationRules& Rules, llvm::StringRef Dir);

} // namespace taskfit

#endif
