//===- Config.cpp ---------------------------------------------------------===//

#include "taskfit/analysis/Config.h"

#include "taskfit/analysis/Names.h"
#include "taskfit/analysis/YamlErrors.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

namespace taskfit {

static constexpr const char* ConfigShape =
    "checks: '<globs>', rules: [<pack.yaml>], decision-matrix: <file.yaml>, "
    "event-loop-entry-points: [<qualified name>], "
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

llvm::Expected<Config> parseConfig(llvm::StringRef Text, llvm::StringRef Path) {
  YamlContext Ctx{Path.str()};
  auto Root = Ctx.parse(Text);
  if (!Root)
    return Root.takeError();
  Config C;
  C.Path = Path.str();
  if (Root->IsNull())
    return C; // An empty file is a valid config with the defaults.
  llvm::SmallString<256> Dir(llvm::sys::path::parent_path(Path));
  auto Strings = [&](const YAML::Node& N, std::vector<std::string>& Out) -> llvm::Error {
    if (N.IsScalar()) {
      Out.push_back(N.Scalar());
      return llvm::Error::success();
    }
    if (!N.IsSequence())
      return Ctx.error(N, "expected a string or a list of strings", ConfigShape);
    for (const auto& Item : N) {
      if (!Item.IsScalar())
        return Ctx.error(Item, "expected a string", ConfigShape);
      Out.push_back(Item.Scalar());
    }
    return llvm::Error::success();
  };
  llvm::Error Err = Ctx.guard([&]() -> llvm::Error {
    if (!Root->IsMap())
      return Ctx.error(*Root, "a config file must be a mapping", ConfigShape);
    for (const auto& Entry : *Root) {
      const std::string Key = Entry.first.Scalar();
      const YAML::Node& V = Entry.second;
      if (Key == "checks") {
        if (!V.IsScalar())
          return Ctx.error(V, "expected a string of check globs", "checks: '-*,blocking-*'");
        C.Checks = V.Scalar();
      } else if (Key == "rules") {
        std::vector<std::string> Rules;
        if (auto E = Strings(V, Rules))
          return E;
        for (std::string& R : Rules) {
          llvm::SmallString<256> Abs(R);
          if (llvm::sys::path::is_relative(Abs)) {
            Abs = Dir;
            llvm::sys::path::append(Abs, R);
          }
          C.Rules.push_back(std::string(Abs));
        }
      } else if (Key == "decision-matrix") {
        if (!V.IsScalar() || V.Scalar().empty())
          return Ctx.error(V, "expected the path of a matrix file", "decision-matrix: <file.yaml>");
        llvm::SmallString<256> Abs(V.Scalar());
        if (llvm::sys::path::is_relative(Abs)) {
          Abs = Dir;
          llvm::sys::path::append(Abs, V.Scalar());
        }
        C.DecisionMatrix = std::string(Abs);
      } else if (Key == "event-loop-entry-points") {
        if (auto E = Strings(V, C.EventLoopEntryPoints))
          return E;
      } else if (Key == "max-call-depth") {
        unsigned Depth;
        if (!V.IsScalar() || llvm::StringRef(V.Scalar()).getAsInteger(10, Depth) || Depth == 0)
          return Ctx.error(V, "expected a positive integer", "max-call-depth: 32");
        C.MaxCallDepth = Depth;
      } else if (Key == "small-trip-count" || Key == "min-loop-operations") {
        unsigned Value;
        if (!V.IsScalar() || llvm::StringRef(V.Scalar()).getAsInteger(10, Value))
          return Ctx.error(V, "expected a non-negative integer", Key + ": <n>");
        if (Key == "small-trip-count")
          C.SmallTripCount = Value;
        else
          C.MinLoopOperations = static_cast<int>(Value);
      } else if (Key == "check-options") {
        if (!V.IsMap())
          return Ctx.error(V, "expected a mapping of check ids to options", ConfigShape);
        for (const auto& Check : V) {
          if (!Check.second.IsMap())
            return Ctx.error(Check.second, "expected a mapping of option names to values",
                             "<check-id>: {<option>: <value>}");
          for (const auto& Option : Check.second) {
            auto& Values = C.CheckOptions[Check.first.Scalar()][Option.first.Scalar()];
            if (auto E = Strings(Option.second, Values))
              return E;
          }
        }
      } else {
        return Ctx.error(Entry.first, "unknown key '" + Key + "'", ConfigShape);
      }
    }
    return llvm::Error::success();
  });
  if (Err)
    return std::move(Err);
  return C;
}

llvm::Expected<Config> loadConfigFile(llvm::StringRef Path) {
  auto Text = readYamlFile(Path, "config");
  if (!Text)
    return Text.takeError();
  return parseConfig(*Text, Path);
}

ConfigResolver::ConfigResolver(std::shared_ptr<const Config> Fixed)
    : Fixed(std::move(Fixed)), Defaults(std::make_shared<Config>()) {}

llvm::Expected<std::shared_ptr<const Config>> ConfigResolver::forFile(llvm::StringRef Path) {
  if (Fixed)
    return Fixed;
  return forDirectory(llvm::sys::path::parent_path(Path));
}

llvm::Expected<std::shared_ptr<const Config>> ConfigResolver::forDirectory(llvm::StringRef Dir) {
  if (Dir.empty())
    return Defaults;
  {
    std::lock_guard<std::mutex> Guard(Lock);
    if (auto It = ByDirectory.find(Dir); It != ByDirectory.end())
      return It->second;
  }
  llvm::SmallString<256> Candidate(Dir);
  llvm::sys::path::append(Candidate, ConfigFileName);
  std::shared_ptr<const Config> Found;
  if (llvm::sys::fs::exists(Candidate)) {
    auto Loaded = loadConfigFile(Candidate);
    if (!Loaded)
      return Loaded.takeError();
    Found = std::make_shared<Config>(std::move(*Loaded));
  } else {
    llvm::StringRef Parent = llvm::sys::path::parent_path(Dir);
    if (Parent == Dir || Parent.empty()) {
      Found = Defaults;
    } else {
      auto Up = forDirectory(Parent);
      if (!Up)
        return Up.takeError();
      Found = *Up;
    }
  }
  std::lock_guard<std::mutex> Guard(Lock);
  ByDirectory[Dir] = Found;
  return Found;
}

std::vector<std::shared_ptr<const Config>> ConfigResolver::loaded() const {
  std::lock_guard<std::mutex> Guard(Lock);
  std::vector<std::shared_ptr<const Config>> Out;
  if (Fixed)
    Out.push_back(Fixed);
  for (const auto& Entry : ByDirectory)
    if (Entry.second != Defaults && std::find(Out.begin(), Out.end(), Entry.second) == Out.end())
      Out.push_back(Entry.second);
  std::sort(Out.begin(), Out.end(), [](const auto& A, const auto& B) { return A->Path < B->Path; });
  return Out;
}

static void addGlobs(std::vector<std::pair<bool, std::string>>& Out, llvm::StringRef Globs) {
  llvm::SmallVector<llvm::StringRef, 8> Parts;
  Globs.split(Parts, ',', -1, false);
  for (llvm::StringRef Part : Parts) {
    Part = Part.trim();
    if (Part.empty())
      continue;
    bool Enable = !Part.consume_front("-");
    Out.emplace_back(Enable, Part.trim().str());
  }
}

CheckFilter::CheckFilter(llvm::StringRef G) {
  addGlobs(Globs, G);
}

CheckFilter::CheckFilter(llvm::StringRef Base, llvm::StringRef Override) {
  addGlobs(Globs, Base);
  addGlobs(Globs, Override);
}

bool CheckFilter::enabled(llvm::StringRef CheckId) const {
  bool Enabled = false;
  for (const auto& [Enable, Pattern] : Globs)
    if (globMatch(Pattern, CheckId))
      Enabled = Enable;
  return Enabled;
}

} // namespace taskfit
