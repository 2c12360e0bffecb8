//===- Names.h - Matching qualified names against the packs' patterns -----===//
//
// Rule packs, configs and check selections name things with `*` globs:
// `asio::*::async_*`, `acme::Reactor::on_*`, `blocking-*`.
//
//===----------------------------------------------------------------------===//
#ifndef TASKFIT_ANALYSIS_KNOWLEDGE_NAMES_H
#define TASKFIT_ANALYSIS_KNOWLEDGE_NAMES_H

#include "llvm/ADT/StringRef.h"

#include <string>
#include <vector>

namespace taskfit {

/// Whether Name matches Pattern, where `*` in Pattern matches any run of characters.
bool globMatch(llvm::StringRef Pattern, llvm::StringRef Name);

/// Whether Name matches any of Patterns.
bool matchesAny(const std::vector<std::string>& Patterns, llvm::StringRef Name);

/// The first entry whose Name (a qualified name, or a glob) matches Name.
template <typename Entry>
const Entry* findByName(const std::vector<Entry>& Entries, llvm::StringRef Name) {
  for (const Entry& E : Entries)
    if (E.Name == Name || (llvm::StringRef(E.Name).contains('*') && globMatch(E.Name, Name)))
      return &E;
  return nullptr;
}

} // namespace taskfit

#endif
