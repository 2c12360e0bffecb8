//===- Serialisability.cpp - The type walker and its rule pack ------------===//

#include "taskfit/analysis/Serialisability.h"

#include "taskfit/analysis/Names.h"
#include "taskfit/analysis/YamlErrors.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclFriend.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/Support/Path.h"

#include <algorithm>

using namespace clang;

namespace taskfit {

//===-- The rule pack -----------------------------------------------------===//

namespace {

constexpr const char* PackShape =
    "version: 1, never: [{name|names, what: <text>, derived: true|false}], values: "
    "[{name|names, owns-memory: true|false}], ignored-arguments: [<type>], protocols: [{name: "
    "<text>, members: [<fn>|<fn>+<fn>], free-functions: [...], bases: [<type>]}]";

class SerialisationLoader {
public:
  SerialisationLoader(YamlContext Ctx, SerialisationRules& Out) : Ctx(std::move(Ctx)), Out(Out) {}

  llvm::Error load(const YAML::Node& Root) {
    if (!Root.IsMap())
      return Ctx.error(Root, "a serialisation pack must be a mapping", PackShape);
    for (const auto& Entry : Root) {
      std::string Key = Entry.first.as<std::string>();
      const YAML::Node& Value = Entry.second;
      llvm::Error Err = llvm::Error::success();
      if (Key == "version") {
        if (!Value.IsScalar() || Value.Scalar() != "1")
          Err = Ctx.error(Value, "unsupported serialisation pack version", "version: 1");
      } else if (Key == "never") {
        Err = loadNever(Value);
      } else if (Key == "values") {
        Err = loadValues(Value);
      } else if (Key == "ignored-arguments") {
        auto L = strings(Value, Key);
        if (!L)
          return L.takeError();
        Out.IgnoredArguments.insert(Out.IgnoredArguments.end(), L->begin(), L->end());
      } else if (Key == "protocols") {
        Err = loadProtocols(Value);
      } else {
        Err = Ctx.error(Entry.first, "unknown key '" + Key + "'",
                        "one of version, never, values, ignored-arguments, protocols");
      }
      if (Err)
        return Err;
    }
    return llvm::Error::success();
  }

private:
  llvm::Expected<std::string> scalar(const YAML::Node& N, llvm::StringRef What) {
    if (!N || !N.IsScalar() || N.Scalar().empty())
      return Ctx.error(N, "expected a non-empty string for '" + What.str() + "'", What);
    return N.Scalar();
  }

  llvm::Expected<std::vector<std::string>> strings(const YAML::Node& N, llvm::StringRef What) {
    std::vector<std::string> Result;
    if (!N.IsSequence())
      return Ctx.error(N, "expected a list of strings for '" + What.str() + "'",
                       "[name, name, ...]");
    for (const auto& Item : N) {
      auto S = scalar(Item, What);
      if (!S)
        return S.takeError();
      Result.push_back(*S);
    }
    return Result;
  }

  llvm::Error checkKeys(const YAML::Node& Map, std::initializer_list<llvm::StringRef> Allowed) {
    if (!Map.IsMap())
      return Ctx.error(Map, "expected a mapping", PackShape);
    for (const auto& Entry : Map) {
      std::string Key = Entry.first.Scalar();
      if (std::find(Allowed.begin(), Allowed.end(), Key) == Allowed.end())
        return Ctx.error(Entry.first, "unknown key '" + Key + "'", PackShape);
    }
    return llvm::Error::success();
  }

  llvm::Expected<std::vector<std::string>> names(const YAML::Node& Entry) {
    const YAML::Node Name = Entry["name"], Names = Entry["names"];
    if (Name && Names)
      return Ctx.error(Entry, "give either 'name' or 'names', not both", "name: <type>");
    if (Name) {
      auto S = scalar(Name, "name");
      if (!S)
        return S.takeError();
      return std::vector<std::string>{*S};
    }
    if (Names)
      return strings(Names, "names");
    return Ctx.error(Entry, "entry has no 'name'", "name: <type> | names: [...]");
  }

  llvm::Expected<bool> flag(const YAML::Node& N, llvm::StringRef Key) {
    if (!N)
      return false;
    if (N.IsScalar() && (N.Scalar() == "true" || N.Scalar() == "false"))
      return N.Scalar() == "true";
    return Ctx.error(N, "expected true or false for '" + Key.str() + "'", Key.str() + ": true");
  }

  llvm::Error loadNever(const YAML::Node& N) {
    if (!N.IsSequence())
      return Ctx.error(N, "expected a list for 'never'", PackShape);
    for (const auto& Item : N) {
      if (auto Err = checkKeys(Item, {"name", "names", "what", "derived", "note"}))
        return Err;
      auto Names = names(Item);
      if (!Names)
        return Names.takeError();
      auto What = scalar(Item["what"], "what");
      if (!What)
        return What.takeError();
      auto Derived = flag(Item["derived"], "derived");
      if (!Derived)
        return Derived.takeError();
      for (const std::string& Name : *Names)
        Out.NeverTypes.push_back({Name, *What, *Derived});
    }
    return llvm::Error::success();
  }

  llvm::Error loadValues(const YAML::Node& N) {
    if (!N.IsSequence())
      return Ctx.error(N, "expected a list for 'values'", PackShape);
    for (const auto& Item : N) {
      if (auto Err = checkKeys(Item, {"name", "names", "owns-memory", "note"}))
        return Err;
      auto Names = names(Item);
      if (!Names)
        return Names.takeError();
      auto Owns = flag(Item["owns-memory"], "owns-memory");
      if (!Owns)
        return Owns.takeError();
      for (const std::string& Name : *Names)
        Out.Values.push_back({Name, *Owns});
    }
    return llvm::Error::success();
  }

  llvm::Expected<std::vector<std::vector<std::string>>> functionSets(const YAML::Node& N,
                                                                     llvm::StringRef Key) {
    auto List = strings(N, Key);
    if (!List)
      return List.takeError();
    std::vector<std::vector<std::string>> Sets;
    for (const std::string& Item : *List) {
      llvm::SmallVector<llvm::StringRef, 2> Parts;
      llvm::StringRef(Item).split(Parts, '+');
      std::vector<std::string> Set;
      for (llvm::StringRef Part : Parts) {
        if (Part.trim().empty())
          return Ctx.error(N, "empty function name in '" + Item + "'", "serialize | save+load");
        Set.push_back(Part.trim().str());
      }
      Sets.push_back(std::move(Set));
    }
    return Sets;
  }

  llvm::Error loadProtocols(const YAML::Node& N) {
    if (!N.IsSequence())
      return Ctx.error(N, "expected a list for 'protocols'", PackShape);
    for (const auto& Item : N) {
      if (auto Err = checkKeys(Item, {"name", "members", "free-functions", "bases", "note"}))
        return Err;
      SerialisationRules::Protocol P;
      auto Name = scalar(Item["name"], "name");
      if (!Name)
        return Name.takeError();
      P.Name = *Name;
      if (Item["members"]) {
        auto M = functionSets(Item["members"], "members");
        if (!M)
          return M.takeError();
        P.Members = std::move(*M);
      }
      if (Item["free-functions"]) {
        auto F = functionSets(Item["free-functions"], "free-functions");
        if (!F)
          return F.takeError();
        P.FreeFunctions = std::move(*F);
      }
      if (Item["bases"]) {
        auto B = strings(Item["bases"], "bases");
        if (!B)
          return B.takeError();
        P.Bases = std::move(*B);
      }
      if (P.Members.empty() && P.FreeFunctions.empty() && P.Bases.empty())
        return Ctx.error(Item, "protocol '" + P.Name + "' names no members, functions or bases",
                         PackShape);
      Out.Protocols.push_back(std::move(P));
    }
    return llvm::Error::success();
  }

  YamlContext Ctx;
  SerialisationRules& Out;
};

} // namespace

llvm::Error SerialisationRules::loadFile(llvm::StringRef Path) {
  auto Text = readYamlFile(Path, "rule pack");
  if (!Text)
    return Text.takeError();
  return loadString(*Text, Path);
}

llvm::Error SerialisationRules::loadString(llvm::StringRef Text, llvm::StringRef Path) {
  SerialisationRules Copy = *this; // A pack failing half-way leaves the rules unchanged.
  if (auto Err = loadYaml(Text, Path, [&](const YamlContext& Ctx, const YAML::Node& Root) {
        return SerialisationLoader(Ctx, Copy).load(Root);
      }))
    return Err;
  Copy.Files.push_back(Path.str());
  *this = std::move(Copy);
  return llvm::Error::success();
}

const SerialisationRules::Never* SerialisationRules::never(llvm::StringRef Name) const {
  return findByName(NeverTypes, Name);
}

const SerialisationRules::Value* SerialisationRules::value(llvm::StringRef Name) const {
  return findByName(Values, Name);
}

bool SerialisationRules::ignoredArgument(llvm::StringRef Name) const {
  return llvm::any_of(IgnoredArguments, [&](const std::string& P) { return globMatch(P, Name); });
}

llvm::Error loadSerialisationRules(SerialisationRules& Rules, llvm::StringRef Dir) {
  llvm::SmallString<256> Path(Dir);
  llvm::sys::path::append(Path, "serialisation.yaml");
  if (!llvm::sys::fs::exists(Path))
    return llvm::Error::success();
  return Rules.loadFile(Path);
}

//===-- The walker --------------------------------------------------------===//

/// A problem relative to the type walked: the members from it to the
/// offending part (empty when the type itself offends), then a verb and a
/// description, so that containers can say "holds" where records say "is".
struct SerialisabilityWalker::Found {
  std::vector<std::string> Members;
  std::string Verb = "is";
  std::string Description; ///< `'std::ostream &' (a reference)`.
  bool Certain = true;
  bool SharesMemory = true;
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
  TypeProblem P;
  if (!F->Members.empty()) {
    QualType Root = Type.getNonReferenceType();
    if (const ArrayType* Array = Context.getAsArrayType(Root))
      Root = Array->getElementType();
    const CXXRecordDecl* Record = Root->getAsCXXRecordDecl();
    P.Path = Record ? recordName(Record) : print(Root);
    for (const std::string& M : F->Members)
      P.Path += "::" + M;
  }
  P.Reason = F->Verb + " " + F->Description;
  P.Certain = F->Certain;
  P.SharesMemory = F->SharesMemory;
  return P;
}

std::optional<SerialisabilityWalker::Found>
SerialisabilityWalker::walk(QualType Type, PayloadMode Mode, bool RequireProtocol) {
  if (Type.isNull() || Type->isDependentType())
    return std::nullopt;
  auto Leaf = [&](llvm::StringRef What, bool Certain = true, bool Shares = true) {
    Found F;
    F.Description = "'" + print(Type) + "' (" + What.str() + ")";
    F.Certain = Certain;
    F.SharesMemory = Shares;
    return std::optional<Found>(std::move(F));
  };
  if (Type->isReferenceType())
    return Leaf("a reference");
  if (Type->isFunctionPointerType() || Type->isMemberFunctionPointerType())
    return Leaf("a function pointer");
  if (Type->isMemberPointerType())
    return Leaf("a pointer to member");
  if (Type->isAnyPointerType() || Type->isBlockPointerType())
    return Leaf("a pointer");
  if (Type->isNullPtrType())
    return Leaf("a null pointer");
  QualType Canonical = Type.getCanonicalType().getUnqualifiedType();
  if (Canonical->isArithmeticType() || Canonical->isEnumeralType())
    return std::nullopt;
  if (const ArrayType* Array = Context.getAsArrayType(Canonical)) {
    if (!isa<ConstantArrayType>(Array))
      return Leaf("an array of unknown size");
    if (auto Element = walk(Array->getElementType(), Mode, RequireProtocol)) {
      if (Element->Members.empty())
        Element->Verb = "holds";
      return Element;
    }
    return std::nullopt;
  }
  const CXXRecordDecl* Record = Canonical->getAsCXXRecordDecl();
  if (!Record) {
    if (Canonical->isFunctionType())
      return Leaf("a function");
    return Leaf("a type with no known serialisation", /*Certain=*/false, /*Shares=*/false);
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

std::optional<SerialisabilityWalker::Found>
SerialisabilityWalker::walkRecord(QualType Type, const CXXRecordDecl* Record, PayloadMode Mode,
                                  bool RequireProtocol) {
  auto Leaf = [&](const llvm::Twine& What, bool Certain = true, bool Shares = true) {
    Found F;
    F.Description = "'" + print(Type) + "' (" + What.str() + ")";
    F.Certain = Certain;
    F.SharesMemory = Shares;
    return std::optional<Found>(std::move(F));
  };
  if (Record->isLambda()) {
    if (Record->hasDefinition() && Record->capture_size() > 0)
      return Leaf("a lambda with captures");
    return Leaf("a lambda: behaviour, not data");
  }
  if (const auto* N = neverRule(Record))
    return Leaf(N->What);
  // A standard value type is judged by its type arguments, which a
  // specialisation has even when nothing instantiated its definition (a
  // `std::map<K, V>` only named in a function's parameter).
  std::string Name = matchName(Record);

  // The elements of a standard value type are its type arguments.
  auto Elements = [&]() -> std::optional<Found> {
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
        if (F->Members.empty()) {
          F->Verb = "holds";
        } else {
          const CXXRecordDecl* Inner = Arg->getAsCXXRecordDecl();
          std::string Path = Inner ? recordName(Inner) : print(Arg);
          for (const std::string& M : F->Members)
            Path += "::" + M;
          F->Description =
              "'" + print(Arg) + "', whose '" + Path + "' " + F->Verb + " " + F->Description;
          F->Members.clear();
          F->Verb = "holds";
        }
        return F;
      }
    }
    return std::nullopt;
  };

  if (const SerialisationRules::Value* V = Rules.value(Name)) {
    if (Mode == PayloadMode::Bytes && V->OwnsMemory)
      return Leaf("owns memory: its bytes point into this process's heap");
    return Elements();
  }
  if (!Record->hasDefinition())
    return Leaf("an incomplete type", /*Certain=*/false);
  Record = Record->getDefinition();

  bool System = Context.getSourceManager().isInSystemHeader(Record->getLocation());
  if (Mode == PayloadMode::Values && optsIn(Record))
    return std::nullopt;

  if (Mode == PayloadMode::Bytes && Record->isPolymorphic())
    return Leaf("has virtual functions: its bytes hold a pointer to this process's vtable");

  if (Mode == PayloadMode::Values && System)
    return Leaf("a library type with no known serialisation", /*Certain=*/false,
                /*Shares=*/false);

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

  if (Mode == PayloadMode::Bytes) {
    if (!Record->isTriviallyCopyable())
      return Leaf("not trivially copyable", /*Certain=*/false, /*Shares=*/false);
    return std::nullopt;
  }
  if (RequireProtocol) {
    Found F;
    F.Description = "'" + print(Type) +
                    "', which has no serialisation function (give it a cereal serialize(Archive&) "
                    "member or save/load functions)";
    F.SharesMemory = false;
    return F;
  }
  return std::nullopt;
}

} // namespace taskfit
