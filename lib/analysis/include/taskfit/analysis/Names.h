//===- Names.h - The names rule packs match against -----------------------===//
//
// Rule packs name APIs the way users write them: `std::basic_ifstream::open`,
// `asio::basic_stream_socket::read_some`. Clang's qualified names carry
// template arguments and inline namespaces (`std::__cxx11::`, `std::_V2::`)
// that users never write; these helpers drop both.
//
//===----------------------------------------------------------------------===//
#ifndef TASKFIT_ANALYSIS_NAMES_H
#define TASKFIT_ANALYSIS_NAMES_H

#include "clang/AST/Type.h"

#include <string>
#include <vector>

namespace clang {
class NamedDecl;
}

namespace taskfit {

/// `ns::Class::method` with no template arguments and no inline namespaces.
std::string matchName(const clang::NamedDecl* Decl);

/// The matchName of the class or enum a type names (through typedefs,
/// references, pointers' pointee excluded, cv-qualifiers); empty otherwise.
std::string typeMatchName(clang::QualType Type);

/// Whether Name matches Pattern, where `*` in Pattern matches any run of characters.
bool globMatch(llvm::StringRef Pattern, llvm::StringRef Name);

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
