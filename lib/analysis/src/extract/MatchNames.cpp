//===- MatchNames.cpp -----------------------------------------------------===//

#include "extract/MatchNames.h"

#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/Type.h"

using namespace clang;

namespace taskfit {

std::string matchName(const NamedDecl* Decl) {
  auto Name = [&](const NamedDecl* D) -> std::string {
    if (const auto* Ctor = dyn_cast<CXXConstructorDecl>(D))
      return Ctor->getParent()->getName().str();
    if (const auto* Dtor = dyn_cast<CXXDestructorDecl>(D))
      return "~" + Dtor->getParent()->getName().str();
    return D->getDeclName().getAsString();
  };
  std::string Result = Name(Decl);
  for (const DeclContext* Ctx = Decl->getDeclContext(); Ctx; Ctx = Ctx->getParent()) {
    if (const auto* NS = dyn_cast<NamespaceDecl>(Ctx)) {
      if (NS->isInline() || NS->isAnonymousNamespace())
        continue;
      Result = NS->getName().str() + "::" + Result;
    } else if (const auto* Record = dyn_cast<RecordDecl>(Ctx)) {
      if (Record->getName().empty())
        continue;
      Result = Record->getName().str() + "::" + Result;
    } else if (const auto* Enum = dyn_cast<EnumDecl>(Ctx)) {
      Result = Enum->getName().str() + "::" + Result;
    } else if (isa<FunctionDecl>(Ctx)) {
      break; // A local entity: the enclosing function does not qualify it for matching.
    }
  }
  return Result;
}

std::string typeMatchName(QualType Type) {
  if (Type.isNull())
    return {};
  Type = Type.getNonReferenceType().getCanonicalType().getUnqualifiedType();
  if (const auto* Decl = Type->getAsTagDecl())
    return matchName(Decl);
  // In a template, `asio::awaitable<T>` is still the class template's
  // specialisation: its name is the template's.
  if (const auto* Spec = Type->getAs<TemplateSpecializationType>())
    if (const TemplateDecl* Template = Spec->getTemplateName().getAsTemplateDecl())
      return matchName(Template);
  return {};
}

} // namespace taskfit
