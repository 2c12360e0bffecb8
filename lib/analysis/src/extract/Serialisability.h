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
#ifndef TASKFIT_ANALYSIS_EXTRACT_SERIALISABILITY_H
#define TASKFIT_ANALYSIS_EXTRACT_SERIALISABILITY_H

#include "knowledge/SerialisationRules.h"
#include "taskfit/analysis/Facts.h"

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

enum class PayloadMode {
  Values,  ///< Through a serialisation library: user types need a protocol.
  Bytes,   ///< The object's bytes: only trivially copyable plain data means the same elsewhere.
  Segment, ///< Built in place in a shared segment: plain data and position-independent pointers.
};

/// The first path to an offending part of a type, as PayloadProblem records it.
struct TypeProblem {
  std::string Path; ///< `Job::sink`; empty when the type itself offends.
  bool Holds = false;
  std::vector<PayloadHolder> Through;
  PayloadFault Fault = PayloadFault::Pointer;
  std::string Offender;
  std::string Detail;
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
  std::optional<Found> leaf(clang::QualType Type, PayloadFault Fault, bool Certain,
                            bool Shares) const;
  std::optional<Found> walk(clang::QualType Type, PayloadMode Mode, bool RequireProtocol);
  std::optional<Found> walkRecord(clang::QualType Type, const clang::CXXRecordDecl* Record,
                                  PayloadMode Mode, bool RequireProtocol);
  std::optional<Found> walkElements(clang::QualType Type, const clang::CXXRecordDecl* Record,
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

} // namespace taskfit

#endif
