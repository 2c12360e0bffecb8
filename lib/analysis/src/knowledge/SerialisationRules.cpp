//===- SerialisationRules.cpp - Loading rules/serialisation.yaml ----------===//

#include "knowledge/SerialisationRules.h"

#include "knowledge/Names.h"
#include "knowledge/YamlReader.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

namespace taskfit {
namespace {

constexpr const char* PackShape =
    "version: 1, never: [{name|names, what: <text>, derived: true|false}], values: "
    "[{name|names, owns-memory: true|false}], ignored-arguments: [<type>], "
    "position-independent: [<type>], protocols: [{name: "
    "<text>, members: [<fn>|<fn>+<fn>], free-functions: [...], bases: [<type>]}]";

using ListForm = YamlReader::ListForm;

class SerialisationLoader {
public:
  SerialisationLoader(const YamlReader& Yaml, SerialisationRules& Out) : Yaml(Yaml), Out(Out) {}

  llvm::Error load(const YAML::Node& Root) {
    if (!Root.IsMap())
      return Yaml.error(Root, "a serialisation pack must be a mapping", PackShape);
    for (const auto& Entry : Root) {
      std::string Key = Entry.first.as<std::string>();
      const YAML::Node& Value = Entry.second;
      llvm::Error Err = llvm::Error::success();
      if (Key == "version") {
        Err = Yaml.version(Value, "serialisation pack");
      } else if (Key == "never") {
        Err = loadNever(Value);
      } else if (Key == "values") {
        Err = loadValues(Value);
      } else if (Key == "ignored-arguments" || Key == "position-independent") {
        auto Names = Yaml.strings(Value, Key, ListForm::Sequence);
        if (!Names)
          return Names.takeError();
        llvm::append_range(
            Key == "ignored-arguments" ? Out.IgnoredArguments : Out.PositionIndependent, *Names);
      } else if (Key == "protocols") {
        Err = loadProtocols(Value);
      } else {
        Err = Yaml.error(Entry.first, "unknown key '" + Key + "'",
                         "one of version, never, values, ignored-arguments, "
                         "position-independent, protocols");
      }
      if (Err)
        return Err;
    }
    return llvm::Error::success();
  }

private:
  llvm::Error loadNever(const YAML::Node& N) {
    if (!N.IsSequence())
      return Yaml.error(N, "expected a list for 'never'", PackShape);
    for (const auto& Item : N) {
      if (auto Err = Yaml.keys(Item, {"name", "names", "what", "derived", "note"}, PackShape))
        return Err;
      auto Names = Yaml.names(Item, "<type>");
      if (!Names)
        return Names.takeError();
      auto What = Yaml.scalar(Item["what"], "what");
      if (!What)
        return What.takeError();
      auto Derived = Yaml.flag(Item["derived"], "derived");
      if (!Derived)
        return Derived.takeError();
      for (const std::string& Name : *Names)
        Out.NeverTypes.push_back({Name, *What, *Derived});
    }
    return llvm::Error::success();
  }

  llvm::Error loadValues(const YAML::Node& N) {
    if (!N.IsSequence())
      return Yaml.error(N, "expected a list for 'values'", PackShape);
    for (const auto& Item : N) {
      if (auto Err = Yaml.keys(Item, {"name", "names", "owns-memory", "note"}, PackShape))
        return Err;
      auto Names = Yaml.names(Item, "<type>");
      if (!Names)
        return Names.takeError();
      auto Owns = Yaml.flag(Item["owns-memory"], "owns-memory");
      if (!Owns)
        return Owns.takeError();
      for (const std::string& Name : *Names)
        Out.Values.push_back({Name, *Owns});
    }
    return llvm::Error::success();
  }

  /// `[serialize, save+load]`: each item a set of functions that must all exist.
  llvm::Expected<std::vector<std::vector<std::string>>> functionSets(const YAML::Node& N,
                                                                     llvm::StringRef Key) {
    auto List = Yaml.strings(N, Key, ListForm::Sequence);
    if (!List)
      return List.takeError();
    std::vector<std::vector<std::string>> Sets;
    for (const std::string& Item : *List) {
      llvm::SmallVector<llvm::StringRef, 2> Parts;
      llvm::StringRef(Item).split(Parts, '+');
      std::vector<std::string> Set;
      for (llvm::StringRef Part : Parts) {
        if (Part.trim().empty())
          return Yaml.error(N, "empty function name in '" + Item + "'", "serialize | save+load");
        Set.push_back(Part.trim().str());
      }
      Sets.push_back(std::move(Set));
    }
    return Sets;
  }

  llvm::Error loadProtocols(const YAML::Node& N) {
    if (!N.IsSequence())
      return Yaml.error(N, "expected a list for 'protocols'", PackShape);
    for (const auto& Item : N) {
      if (auto Err =
              Yaml.keys(Item, {"name", "members", "free-functions", "bases", "note"}, PackShape))
        return Err;
      SerialisationRules::Protocol P;
      auto Name = Yaml.scalar(Item["name"], "name");
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
        auto B = Yaml.strings(Item["bases"], "bases", ListForm::Sequence);
        if (!B)
          return B.takeError();
        P.Bases = std::move(*B);
      }
      if (P.Members.empty() && P.FreeFunctions.empty() && P.Bases.empty())
        return Yaml.error(Item, "protocol '" + P.Name + "' names no members, functions or bases",
                          PackShape);
      Out.Protocols.push_back(std::move(P));
    }
    return llvm::Error::success();
  }

  const YamlReader& Yaml;
  SerialisationRules& Out;
};

} // namespace

llvm::Error SerialisationRules::loadFile(llvm::StringRef Path) {
  return loadYamlFile(Path, "rule pack",
                      [&](llvm::StringRef Text) { return loadString(Text, Path); });
}

llvm::Error SerialisationRules::loadString(llvm::StringRef Text, llvm::StringRef Path) {
  if (auto Err = loadYamlInto(
          *this, Text, Path,
          [](const YamlReader& Yaml, const YAML::Node& Root, SerialisationRules& Into) {
            return SerialisationLoader(Yaml, Into).load(Root);
          }))
    return Err;
  Files.push_back(Path.str());
  return llvm::Error::success();
}

const SerialisationRules::Never* SerialisationRules::never(llvm::StringRef Name) const {
  return findByName(NeverTypes, Name);
}

const SerialisationRules::Value* SerialisationRules::value(llvm::StringRef Name) const {
  return findByName(Values, Name);
}

bool SerialisationRules::positionIndependent(llvm::StringRef Name) const {
  return llvm::any_of(PositionIndependent,
                      [&](const std::string& P) { return globMatch(P, Name); });
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

} // namespace taskfit
