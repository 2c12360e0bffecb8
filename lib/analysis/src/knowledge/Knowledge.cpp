//===- Knowledge.cpp ------------------------------------------------------===//

#include "knowledge/Knowledge.h"

#include "filter/CheckFilter.h"

#include "llvm/Support/Path.h"

#include <algorithm>

namespace taskfit {

llvm::Expected<std::unique_ptr<Knowledge>> Knowledge::open(KnowledgeOptions Options) {
  std::shared_ptr<const Config> Fixed;
  if (!Options.ConfigFile.empty()) {
    auto Loaded = loadConfigFile(Options.ConfigFile);
    if (!Loaded)
      return Loaded.takeError();
    Fixed = std::make_shared<const Config>(std::move(*Loaded));
  }
  return std::unique_ptr<Knowledge>(new Knowledge(std::move(Options), std::move(Fixed)));
}

Knowledge::Knowledge(KnowledgeOptions Options, std::shared_ptr<const Config> Fixed)
    : Options(std::move(Options)), Configs(std::move(Fixed)) {}

std::string Knowledge::absolute(llvm::StringRef File) const {
  if (llvm::sys::path::is_absolute(File) || Options.SourceRoot.empty())
    return File.str();
  llvm::SmallString<256> Path(Options.SourceRoot);
  llvm::sys::path::append(Path, File);
  return std::string(Path);
}

llvm::Expected<const Config*> Knowledge::configFor(llvm::StringRef File) {
  auto Found = Configs.forFile(absolute(File));
  if (!Found)
    return Found.takeError();
  return Found->get();
}

const Config& Knowledge::settingsFor(llvm::StringRef File) {
  auto Found = configFor(File);
  if (!Found) {
    llvm::consumeError(Found.takeError());
    static const Config Defaults;
    return Defaults;
  }
  return **Found;
}

std::vector<std::string> Knowledge::packsFor(const Config& C) const {
  std::vector<std::string> Packs = Options.ExtraRules;
  llvm::append_range(Packs, C.Rules);
  return Packs;
}

llvm::Expected<const RuleSet*> Knowledge::rulesFor(const Config& C) {
  auto [It, Inserted] = RuleSets.try_emplace(packsFor(C));
  if (Inserted) {
    It->second = std::make_unique<RuleSet>();
    if (auto Err = loadRuleSet(*It->second, Options.RulesDir, It->first)) {
      RuleSets.erase(It);
      return std::move(Err);
    }
  }
  return It->second.get();
}

std::vector<std::string> Knowledge::shapingFiles(const Config& C, const RuleSet& Rules) const {
  std::vector<std::string> Files = Rules.files();
  llvm::SmallString<256> Serialisation(Options.RulesDir);
  llvm::sys::path::append(Serialisation, "serialisation.yaml");
  Files.push_back(std::string(Serialisation));
  if (!C.Path.empty())
    Files.push_back(C.Path);
  return Files;
}

llvm::Expected<std::shared_ptr<const DecisionMatrix>> Knowledge::matrix() {
  if (Matrix)
    return Matrix;
  auto Loaded = std::make_shared<DecisionMatrix>();
  for (const auto& C : Configs.loaded())
    if (!C->DecisionMatrix.empty())
      if (auto Err = Loaded->loadFile(C->DecisionMatrix))
        return std::move(Err);
  llvm::SmallString<256> Default(Options.RulesDir);
  llvm::sys::path::append(Default, "decision-matrix.yaml");
  if (auto Err = Loaded->loadFile(Default))
    return std::move(Err);
  Matrix = std::move(Loaded);
  return Matrix;
}

bool Knowledge::checkEnabled(const Config& C, llvm::StringRef CheckId) const {
  return CheckFilter(C.Checks, Options.Checks).enabled(CheckId);
}

unsigned Knowledge::maxCallDepth() const {
  if (const Config* Fixed = Configs.fixed())
    return Fixed->MaxCallDepth;
  unsigned Depth = Config().MaxCallDepth;
  for (const auto& C : Configs.loaded())
    Depth = std::max(Depth, C->MaxCallDepth);
  return Depth;
}

std::vector<std::string> Knowledge::eventLoopEntryPoints() const {
  std::vector<std::string> Names;
  for (const auto& C : Configs.loaded())
    llvm::append_range(Names, C->EventLoopEntryPoints);
  return Names;
}

} // namespace taskfit
