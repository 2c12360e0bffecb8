//===- Serialisability.cpp - The type walker -----------------------------===//

#include "extract/Serialisability.h"

#include "extract/MatchNames.h"
#include "knowledge/Names.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclFriend.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/Basic/SourceManager.h"

#include <algorithm>

using namespace clang;

namespace taskfit {

//===-- The walker --------------------------------------------------------===//

/// A problem relative to the type walked: the members from it to the
/// offending part (empty when the type itself offends) rather than a path,
/// which the type at the top names.
struct SerialisabilityWalker::Found : TypeProblem {
  std::vector<std::string> Members;
};

struct SerialisabilityWalker::Memo {
  bool InProgress = true;
  std::optional<Found> Result;
};

std::string SerialisabilityWalker::print(QualType Type) const {
  PrintingPolicy Policy = Context.getPrintingPolicy();
  Policy.SuppressTagKeyword = true;
  Policy.SuppressScope = false;
  Policy.FullyQualifiedName = false;
  return Type.getAsString(Policy);
}

std::optional<SerialisabilityWalker::Found>
SerialisabilityWalker::leaf(QualType Type, PayloadFault Fault, bool Certain, bool Shares) const {
  Found F;
  F.Fault = Fault;
  F.Offender = print(Type);
  F.Certain = Certain;
  F.SharesMemory = Shares;
  return F;
}

static std::string recordName(const CXXRecordDecl* Record) {
  if (Record->getIdentifier())
    return Record->getName().str();
  return "(anonymous)";
}

std::optional<TypeProblem> SerialisabilityWalker::check(QualType Type, PayloadMode Mode,
                                                        bool RequireProtocol) {
  std::optional<Found> F = walk(Type, Mode, RequireProtocol);
  if (!F)
    return std::nullopt;
  TypeProblem P = *F;
  if (!F->Members.empty()) {
    QualType Root = Type.getNonReferenceType();
    if (const ArrayType* Array = Context.getAsArrayType(Root))
      Root = Array->getElementType();
    const CXXRecordDecl* Record = Root->getAsCXXRecordDecl();
    P.Path = Record ? recordName(Record) : print(Root);
    for (const std::string& M : F->Members)
      P.Path += "::" + M;
  }
  return P;
}

std::optional<SerialisabilityWalker::Found>
SerialisabilityWalker::walk(QualType Type, PayloadMode Mode, bool RequireProtocol) {
  if (Type.isNull() || Type->isDependentType())
    return std::nullopt;
  auto Leaf = [&](PayloadFault Fault, bool Certain = true, bool Shares = true) {
    return leaf(Type, Fault, Certain, Shares);
  };
  if (Type->isReferenceType())
    return Leaf(PayloadFault::Reference);
  if (Type->isFunctionPointerType() || Type->isMemberFunctionPointerType())
    return Leaf(PayloadFault::FunctionPointer);
  if (Type->isMemberPointerType())
    return Leaf(PayloadFault::MemberPointer);
  if (Type->isAnyPointerType() || Type->isBlockPointerType())
    return Leaf(PayloadFault::Pointer);
  if (Type->isNullPtrType())
    return Leaf(PayloadFault::NullPointer);
  QualType Canonical = Type.getCanonicalType().getUnqualifiedType();
  if (Canonical->isArithmeticType() || Canonical->isEnumeralType())
    return std::nullopt;
  if (const ArrayType* Array = Context.getAsArrayType(Canonical)) {
    if (!isa<ConstantArrayType>(Array))
      return Leaf(PayloadFault::ArrayOfUnknownSize);
    if (auto Element = walk(Array->getElementType(), Mode, RequireProtocol)) {
      if (Element->Members.empty())
        Element->Holds = true;
      return Element;
    }
    return std::nullopt;
  }
  const CXXRecordDecl* Record = Canonical->getAsCXXRecordDecl();
  if (!Record) {
    if (Canonical->isFunctionType())
      return Leaf(PayloadFault::Function);
    return Leaf(PayloadFault::NoKnownSerialisation, /*Certain=*/false, /*Shares=*/false);
  }

  auto Key = std::make_pair(Canonical.getTypePtr(), unsigned(Mode) * 2 + unsigned(RequireProtocol));
  auto [It, Inserted] = Cache.try_emplace(Key);
  if (!Inserted)
    return It->second->Result; // In progress: a cycle, judged where it started.
  auto M = std::make_shared<Memo>();
  It->second = M;
  std::optional<Found> Result = walkRecord(Type, Record, Mode, RequireProtocol);
  M->InProgress = false;
  M->Result = Result;
  return Result;
}

const SerialisationRules::Never* SerialisabilityWalker::neverRule(const CXXRecordDecl* Record) {
  if (const auto* N = Rules.never(matchName(Record)))
    return N;
  if (!Record->hasDefinition())
    return nullptr;
  const SerialisationRules::Never* Found = nullptr;
  Record->getDefinition()->forallBases([&](const CXXRecordDecl* Base) {
    if (const auto* N = Rules.never(matchName(Base)); N && N->Derived) {
      Found = N;
      return false;
    }
    return true;
  });
  return Found;
}

bool SerialisabilityWalker::hasMembers(const CXXRecordDecl* Record,
                                       const std::vector<std::string>& Names) {
  for (const std::string& Name : Names) {
    bool Has = false;
    auto Look = [&](const CXXRecordDecl* R) {
      for (const Decl* D : R->decls()) {
        const NamedDecl* N = dyn_cast<NamedDecl>(D);
        if (const auto* Friend = dyn_cast<FriendDecl>(D))
          N = Friend->getFriendDecl();
        if (N && N->getIdentifier() && N->getName() == Name &&
            (isa<FunctionDecl>(N) || isa<FunctionTemplateDecl>(N) || isa<UsingDecl>(N)))
          return true;
      }
      return false;
    };
    Has = Look(Record);
    if (!Has)
      Record->forallBases([&](const CXXRecordDecl* Base) {
        Has = Look(Base);
        return !Has;
      });
    if (!Has)
      return false;
  }
  return true;
}

/// Whether a free function (or function template) named Name takes Record
/// (or the template Record specialises) as one of its parameters after the first.
static bool takesRecord(const FunctionDecl* F, const CXXRecordDecl* Record) {
  const auto* Spec = dyn_cast<ClassTemplateSpecializationDecl>(Record);
  for (unsigned I = 1; I < F->getNumParams(); ++I) {
    QualType T = F->getParamDecl(I)->getType().getNonReferenceType();
    if (const CXXRecordDecl* R = T->getAsCXXRecordDecl())
      if (R->getCanonicalDecl() == Record->getCanonicalDecl())
        return true;
    if (Spec)
      if (const auto* TST = T->getAs<TemplateSpecializationType>())
        if (const TemplateDecl* TD = TST->getTemplateName().getAsTemplateDecl())
          if (TD->getCanonicalDecl() == Spec->getSpecializedTemplate()->getCanonicalDecl())
            return true;
  }
  return false;
}

bool SerialisabilityWalker::hasFreeFunctions(const CXXRecordDecl* Record,
                                             const std::vector<std::string>& Names) {
  // Where argument-dependent lookup and cereal look: the type's namespace,
  // the global namespace, the cereal namespace; and friends of the class.
  std::vector<const DeclContext*> Scopes{Record->getEnclosingNamespaceContext(),
                                         Context.getTranslationUnitDecl()};
  for (const Decl* D : Context.getTranslationUnitDecl()->decls())
    if (const auto* NS = dyn_cast<NamespaceDecl>(D); NS && NS->getName() == "cereal")
      Scopes.push_back(NS);
  for (const std::string& Name : Names) {
    DeclarationName DN(&Context.Idents.get(Name));
    bool Has = false;
    for (const DeclContext* Scope : Scopes) {
      for (const NamedDecl* N : Scope->lookup(DN)) {
        const FunctionDecl* F = dyn_cast<FunctionDecl>(N);
        if (const auto* T = dyn_cast<FunctionTemplateDecl>(N))
          F = T->getTemplatedDecl();
        if (F && takesRecord(F, Record))
          Has = true;
      }
      if (Has)
        break;
    }
    if (!Has)
      for (const Decl* D : Record->decls())
        if (const auto* Friend = dyn_cast<FriendDecl>(D))
          if (const NamedDecl* N = Friend->getFriendDecl();
              N && N->getIdentifier() && N->getName() == Name) {
            const FunctionDecl* F = N->getAsFunction();
            if (F && takesRecord(F, Record))
              Has = true;
          }
    if (!Has)
      return false;
  }
  return true;
}

bool SerialisabilityWalker::optsIn(const CXXRecordDecl* Record) {
  for (const SerialisationRules::Protocol& P : Rules.Protocols) {
    for (const auto& Set : P.Members)
      if (hasMembers(Record, Set))
        return true;
    for (const auto& Set : P.FreeFunctions)
      if (hasFreeFunctions(Record, Set))
        return true;
    bool Based = false;
    Record->forallBases([&](const CXXRecordDecl* Base) {
      std::string Name = matchName(Base);
      Based = llvm::any_of(P.Bases, [&](const std::string& B) { return globMatch(B, Name); });
      return !Based;
    });
    if (Based)
      return true;
  }
  return false;
}

/// The elements of a standard value type are its type arguments.
std::optional<SerialisabilityWalker::Found>
SerialisabilityWalker::walkElements(QualType Type, const CXXRecordDecl* Record, PayloadMode Mode,
                                    bool RequireProtocol) {
  const auto* Spec = dyn_cast<ClassTemplateSpecializationDecl>(Record);
  if (!Spec)
    return std::nullopt;
  std::vector<QualType> Args;
  auto Collect = [&](const TemplateArgument& A, auto& Self) -> void {
    if (A.getKind() == TemplateArgument::Pack) {
      for (const TemplateArgument& E : A.pack_elements())
        Self(E, Self);
    } else if (A.getKind() == TemplateArgument::Type) {
      Args.push_back(A.getAsType());
    }
  };
  // The arguments as written keep their sugar (`std::string`), when there are any.
  const auto* Written = Type->getAs<TemplateSpecializationType>();
  if (Written && !Written->isTypeAlias() &&
      Written->template_arguments().size() <= Spec->getTemplateArgs().size()) {
    for (const TemplateArgument& A : Written->template_arguments())
      Collect(A, Collect);
  } else {
    for (const TemplateArgument& A : Spec->getTemplateArgs().asArray())
      Collect(A, Collect);
  }
  for (QualType Arg : Args) {
    if (Rules.ignoredArgument(typeMatchName(Arg)))
      continue;
    if (auto F = walk(Arg, Mode, RequireProtocol)) {
      if (!F->Members.empty()) {
        // An element with an offending member: `holds 'Job', whose 'Job::sink' is ...`.
        const CXXRecordDecl* Inner = Arg->getAsCXXRecordDecl();
        std::string Path = Inner ? recordName(Inner) : print(Arg);
        for (const std::string& M : F->Members)
          Path += "::" + M;
        F->Through.insert(F->Through.begin(), PayloadHolder{print(Arg), Path, F->Holds});
        F->Members.clear();
      }
      F->Holds = true;
      return F;
    }
  }
  return std::nullopt;
}

std::optional<SerialisabilityWalker::Found>
SerialisabilityWalker::walkRecord(QualType Type, const CXXRecordDecl* Record, PayloadMode Mode,
                                  bool RequireProtocol) {
  auto Leaf = [&](PayloadFault Fault, bool Certain = true, bool Shares = true) {
    return leaf(Type, Fault, Certain, Shares);
  };
  if (Record->isLambda()) {
    if (Record->hasDefinition() && Record->capture_size() > 0)
      return Leaf(PayloadFault::LambdaWithCaptures);
    return Leaf(PayloadFault::Lambda);
  }
  if (Mode == PayloadMode::Segment && Rules.positionIndependent(matchName(Record)))
    return std::nullopt;
  if (const auto* N = neverRule(Record)) {
    std::optional<Found> F = Leaf(PayloadFault::Never);
    F->Detail = N->What;
    return F;
  }
  // A standard value type is judged by its type arguments, which a
  // specialisation has even when nothing instantiated its definition (a
  // `std::map<K, V>` only named in a function's parameter).
  std::string Name = matchName(Record);

  if (const SerialisationRules::Value* V = Rules.value(Name)) {
    if (Mode != PayloadMode::Values && V->OwnsMemory)
      return Leaf(PayloadFault::OwnsMemory);
    return walkElements(Type, Record, Mode, RequireProtocol);
  }
  if (!Record->hasDefinition())
    return Leaf(PayloadFault::Incomplete, /*Certain=*/false);
  Record = Record->getDefinition();

  bool System = Context.getSourceManager().isInSystemHeader(Record->getLocation());
  if (Mode == PayloadMode::Values && optsIn(Record))
    return std::nullopt;

  if (Mode != PayloadMode::Values && Record->isPolymorphic())
    return Leaf(PayloadFault::Polymorphic);

  if (Mode == PayloadMode::Values && System)
    return Leaf(PayloadFault::LibraryType, /*Certain=*/false, /*Shares=*/false);

  // A user's type (or, as raw bytes, any type): its bases, then its members.
  for (const CXXBaseSpecifier& Base : Record->bases())
    if (auto F = walk(Base.getType(), Mode, RequireProtocol)) {
      const CXXRecordDecl* B = Base.getType()->getAsCXXRecordDecl();
      F->Members.insert(F->Members.begin(), B ? recordName(B) : print(Base.getType()));
      return F;
    }
  for (const FieldDecl* Field : Record->fields())
    if (auto F = walk(Field->getType(), Mode, RequireProtocol)) {
      F->Members.insert(F->Members.begin(),
                        Field->getIdentifier() ? Field->getName().str() : "(anonymous)");
      return F;
    }

  if (Mode == PayloadMode::Segment)
    return std::nullopt; // Built in place: its copy constructor never runs across.
  if (Mode == PayloadMode::Bytes) {
    if (!Record->isTriviallyCopyable())
      return Leaf(PayloadFault::NotTriviallyCopyable, /*Certain=*/false, /*Shares=*/false);
    return std::nullopt;
  }
  if (RequireProtocol)
    return Leaf(PayloadFault::NoProtocol, /*Certain=*/true, /*Shares=*/false);
  return std::nullopt;
}

} // namespace taskfit
