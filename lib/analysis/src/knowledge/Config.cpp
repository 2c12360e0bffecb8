//===- Config.cpp ---------------------------------------------------------===//

#include "taskfit/analysis/Config.h"

#include "knowledge/YamlReader.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

namespace taskfit {

static constexpr const char* ConfigShape =
    "checks: '<globs>', rules: [<pack.yaml>], decision-matrix: <file.yaml>, "
    "event-loop-entry-points: [<qualified name>], third-party: [<path or glob>], "
    "max-call-depth: <n>, small-trip-count: <n>, min-loop-operations: <n>, check-options: "
    "{<check-id>: {<option>: <value or list>}}";

const std::vector<std::string>* Config::option(llvm::StringRef Check, llvm::StringRef Name) const {
  auto C = CheckOptions.find(Check.str());
  if (C == CheckOptions.end())
    return nullptr;
  auto O = C->second.find(Name.str());
  return O == C->second.end() ? nullptr : &O->second;
}

std::string Config::toYAML() const {
  YAML::Emitter Out;
  Out << YAML::BeginMap;
  Out << YAML::Key << "checks" << YAML::Value << YAML::SingleQuoted << Checks;
  Out << YAML::Key << "rules" << YAML::Value << YAML::Flow << Rules;
  if (!DecisionMatrix.empty())
    Out << YAML::Key << "decision-matrix" << YAML::Value << DecisionMatrix;
  Out << YAML::Key << "event-loop-entry-points" << YAML::Value << YAML::Flow
      << EventLoopEntryPoints;
  Out << YAML::Key << "third-party" << YAML::Value << YAML::Flow << ThirdParty;
  Out << YAML::Key << "max-call-depth" << YAML::Value << MaxCallDepth;
  Out << YAML::Key << "small-trip-count" << YAML::Value << SmallTripCount;
  Out << YAML::Key << "min-loop-operations" << YAML::Value << MinLoopOperations;
  Out << YAML::Key << "check-options" << YAML::Value << YAML::BeginMap;
  for (const auto& [Check, Options] : CheckOptions) {
    Out << YAML::Key << Check << YAML::Value << YAML::BeginMap;
    for (const auto& [Name, Values] : Options)
      Out << YAML::Key << Name << YAML::Value << YAML::Flow << Values;
    Out << YAML::EndMap;
  }
  Out << YAML::EndMap << YAML::EndMap;
  return std::string(Out.c_str()) + "\n";
}

namespace {

using ListForm = YamlReader::ListForm;

/// A path as written in the config, made absolute against the config's folder.
std::string besideConfig(llvm::StringRef Dir, llvm::StringRef Path) {
  llvm::SmallString<256> Abs(Path);
  if (llvm::sys::path::is_relative(Abs)) {
    Abs = Dir;
    llvm::sys::path::append(Abs, Path);
  }
  return std::string(Abs);
}

/// A `third-party:` entry as the files it names are seen when parsed: an
/// absolute path without `.` or `..`, through its symbolic links when it
/// exists (a glob is kept as written, made absolute).
std::string thirdPartyPath(llvm::StringRef Dir, llvm::StringRef Path) {
  llvm::SmallString<256> Abs(besideConfig(Dir, Path));
  llvm::sys::fs::make_absolute(Abs);
  llvm::sys::path::remove_dots(Abs, /*remove_dot_dot=*/true);
  llvm::SmallString<256> Real;
  if (!Abs.str().contains('*') && !llvm::sys::fs::real_path(Abs, Real))
    return std::string(Real);
  return std::string(Abs);
}

class ConfigLoader {
public:
  ConfigLoader(const YamlReader& Yaml, Config& C)
      : Yaml(Yaml), C(C), Dir(llvm::sys::path::parent_path(Yaml.file())) {}

  llvm::Error load(const YAML::Node& Root) {
    if (Root.IsNull())
      return llvm::Error::success(); // An empty file is a valid config with the defaults.
    if (!Root.IsMap())
      return Yaml.error(Root, "a config file must be a mapping", ConfigShape);
    for (const auto& Entry : Root)
      if (auto Err = loadKey(Entry.first, Entry.second))
        return Err;
    return llvm::Error::success();
  }

private:
  llvm::Expected<std::vector<std::string>> strings(const YAML::Node& N) {
    if (!N.IsScalar() && !N.IsSequence())
      return Yaml.error(N, "expected a string or a list of strings", ConfigShape);
    std::vector<std::string> Out;
    if (N.IsScalar()) {
      Out.push_back(N.Scalar());
      return Out;
    }
    for (const auto& Item : N) {
      if (!Item.IsScalar())
        return Yaml.error(Item, "expected a string", ConfigShape);
      Out.push_back(Item.Scalar());
    }
    return Out;
  }

  llvm::Error loadKey(const YAML::Node& KeyNode, const YAML::Node& V) {
    const std::string Key = KeyNode.Scalar();
    if (Key == "checks") {
      if (!V.IsScalar())
        return Yaml.error(V, "expected a string of check globs", "checks: '-*,blocking-*'");
      C.Checks = V.Scalar();
    } else if (Key == "rules") {
      auto Rules = strings(V);
      if (!Rules)
        return Rules.takeError();
      for (const std::string& R : *Rules)
        C.Rules.push_back(besideConfig(Dir, R));
    } else if (Key == "decision-matrix") {
      auto Path = Yaml.scalar(V, Key, "decision-matrix: <file.yaml>");
      if (!Path) {
        llvm::consumeError(Path.takeError());
        return Yaml.error(V, "expected the path of a matrix file", "decision-matrix: <file.yaml>");
      }
      C.DecisionMatrix = besideConfig(Dir, *Path);
    } else if (Key == "event-loop-entry-points") {
      auto Names = strings(V);
      if (!Names)
        return Names.takeError();
      llvm::append_range(C.EventLoopEntryPoints, *Names);
    } else if (Key == "third-party") {
      auto Paths = strings(V);
      if (!Paths)
        return Paths.takeError();
      for (const std::string& P : *Paths)
        C.ThirdParty.push_back(thirdPartyPath(Dir, P));
    } else if (Key == "max-call-depth") {
      auto Depth = Yaml.natural(V, 1, "expected a positive integer", "max-call-depth: 32");
      if (!Depth)
        return Depth.takeError();
      C.MaxCallDepth = *Depth;
    } else if (Key == "small-trip-count" || Key == "min-loop-operations") {
      auto Value = Yaml.natural(V, 0, "expected a non-negative integer", Key + ": <n>");
      if (!Value)
        return Value.takeError();
      if (Key == "small-trip-count")
        C.SmallTripCount = *Value;
      else
        C.MinLoopOperations = static_cast<int>(*Value);
    } else if (Key == "check-options") {
      return loadCheckOptions(V);
    } else {
      return Yaml.error(KeyNode, "unknown key '" + Key + "'", ConfigShape);
    }
    return llvm::Error::success();
  }

  llvm::Error loadCheckOptions(const YAML::Node& V) {
    if (!V.IsMap())
      return Yaml.error(V, "expected a mapping of check ids to options", ConfigShape);
    for (const auto& Check : V) {
      if (!Check.second.IsMap())
        return Yaml.error(Check.second, "expected a mapping of option names to values",
                          "<check-id>: {<option>: <value>}");
      for (const auto& Option : Check.second) {
        auto Values = strings(Option.second);
        if (!Values)
          return Values.takeError();
        llvm::append_range(C.CheckOptions[Check.first.Scalar()][Option.first.Scalar()], *Values);
      }
    }
    return llvm::Error::success();
  }

  const YamlReader& Yaml;
  Config& C;
  std::string Dir;
};

} // namespace

llvm::Expected<Config> parseConfig(llvm::StringRef Text, llvm::StringRef Path) {
  Config C;
  C.Path = Path.str();
  if (auto Err = loadYaml(Text, Path, [&](const YamlReader& Yaml, const YAML::Node& Root) {
        return ConfigLoader(Yaml, C).load(Root);
      }))
    return std::move(Err);
  return C;
}

llvm::Expected<Config> loadConfigFile(llvm::StringRef Path) {
  auto Text = readYamlFile(Path, "config");
  if (!Text)
    return Text.takeError();
  return parseConfig(*Text, Path);
}

} // namespace taskfit
