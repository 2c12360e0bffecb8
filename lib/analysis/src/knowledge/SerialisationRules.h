//===- SerialisationRules.h - rules/serialisation.yaml: what can cross ----===//
//
// The model behind non-serialisable-process-payload (see docs/checks/non-
// serialisable-process-payload.md): types that never cross (pointers and
// references are built in; views, handles, synchronisation state, behaviour),
// standard value types whose template arguments are their elements, and the
// protocols a user type opts into (cereal, Boost.Serialization, nlohmann,
// msgpack, protobuf). The extractor's type walker applies them.
//
//===----------------------------------------------------------------------===//
#ifndef TASKFIT_ANALYSIS_KNOWLEDGE_SERIALISATIONRULES_H
#define TASKFIT_ANALYSIS_KNOWLEDGE_SERIALISATIONRULES_H

#include "llvm/Support/Error.h"

#include <string>
#include <vector>

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
  /// Pointers that mean the same in every process mapping one shared segment
  /// (`boost::interprocess::offset_ptr`): valid in objects built there.
  std::vector<std::string> PositionIndependent;
  std::vector<Protocol> Protocols;
  std::vector<std::string> Files;

  /// Loads one `serialisation.yaml`; errors carry `file:line:column` and the expected shape.
  llvm::Error loadFile(llvm::StringRef Path);
  llvm::Error loadString(llvm::StringRef Text, llvm::StringRef Path);

  const Never* never(llvm::StringRef Name) const;
  const Value* value(llvm::StringRef Name) const;
  bool ignoredArgument(llvm::StringRef Name) const;
  bool positionIndependent(llvm::StringRef Name) const;
};

/// Loads `Dir/serialisation.yaml`; a missing file leaves Rules empty.
llvm::Error loadSerialisationRules(SerialisationRules& Rules, llvm::StringRef Dir);

} // namespace taskfit

#endif
