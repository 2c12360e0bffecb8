//===- MatchNames.h - The names rule packs match against, from the AST ---===//
//
// Rule packs name APIs the way users write them: `std::basic_ifstream::open`,
// `asio::basic_stream_socket::read_some`. Clang's qualified names carry
// template arguments and inline namespaces (`std::__cxx11::`, `std::_V2::`)
// that users never write; these helpers drop both.
//
//===----------------------------------------------------------------------===//
#ifndef TASKFIT_ANALYSIS_EXTRACT_MATCHNAMES_H
#define TASKFIT_ANALYSIS_EXTRACT_MATCHNAMES_H

#include "clang/AST/Type.h"

#include <string>

namespace clang {
class NamedDecl;
}

namespace taskfit {

/// `ns::Class::method` with no template arguments and no inline namespaces.
std::string matchName(const clang::NamedDecl* Decl);

/// The matchName of the class or enum a type names (through typedefs,
/// references, pointers' pointee excluded, cv-qualifiers); empty otherwise.
std::string typeMatchName(clang::QualType Type);

} // namespace taskfit

#endif
