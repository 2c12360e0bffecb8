//===- Analysis.cpp -------------------------------------------------------===//

#include "taskfit/analysis/Analysis.h"

#include "taskfit/analysis/BlockingSummaries.h"
#include "taskfit/analysis/Check.h"
#include "taskfit/analysis/Config.h"
#include "taskfit/analysis/Contexts.h"
#include "taskfit/analysis/IsolatedExtraction.h"
#include "taskfit/analysis/Program.h"
#include "taskfit/analysis/RuleSet.h"
#include "taskfit/analysis/Suppressions.h"
#include "taskfit/analysis/TranslationUnit.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <algorithm>
#include <map>
#include <set>

namespace taskfit {

llvm::StringRef levelName(Level L) {
  switch (L) {
  case Level::Note:
    return "note";
  case Level::Warning:
    return "warning";
  case Level::Error:
    return "error";
  }
  return "warning";
}

std::optional<Level> parseLevel(llvm::StringRef Name) {
  if (Name == "note")
    return Level::Note;
  if (Name == "warning")
    return Level::Warning;
  if (Name == "error")
    return Level::Error;
  return std::nullopt;
}

std::string findSourceRoot(llvm::StringRef Start) {
  llvm::SmallString<256> Dir(Start);
  llvm::sys::fs::make_absolute(Dir);
  llvm::sys::path::remove_dots(Dir, true);
  for (llvm::StringRef D = Dir; !D.empty(); D = llvm::sys::path::parent_path(D)) {
    llvm::SmallString<256> Git(D);
    llvm::sys::path::append(Git, ".git");
    if (llvm::sys::fs::exists(Git))
      return D.str();
    if (llvm::sys::path::parent_path(D) == D)
      break;
  }
  return std::string(Dir);
}

namespace {

/// One RuleSet per distinct set of extra packs (the command line's plus a config's).
class RuleSets {
public:
  RuleSets(std::string Dir, std::vector<std::string> Extra)
      : Dir(std::move(Dir)), Extra(std::move(Extra)) {}

  llvm::Expected<const RuleSet*> forConfig(const Config& C) {
    std::vector<std::string> Packs = Extra;
    Packs.insert(Packs.end(), C.Rules.begin(), C.Rules.end());
    auto [It, Inserted] = Sets.try_emplace(Packs);
    if (Inserted) {
      It->second = std::make_unique<RuleSet>();
      if (auto Err = loadRuleSet(*It->second, Dir, Packs)) {
        Sets.erase(It);
        return std::move(Err);
      }
    }
    return It->second.get();
  }

private:
  std::string Dir;
  std::vector<std::string> Extra;
  std::map<std::vector<std::string>, std::unique_ptr<RuleSet>> Sets;
};

bool findingOrder(const Finding& A, const Finding& B) {
  return std::tie(A.Loc, A.CheckId, A.Message) < std::tie(B.Loc, B.CheckId, B.Message);
}

} // namespace

llvm::Expected<AnalysisResult> runAnalysis(const AnalysisOptions& Options) {
  AnalysisResult Result;

  std::shared_ptr<const Config> Fixed;
  if (!Options.ConfigFile.empty()) {
    auto Loaded = loadConfigFile(Options.ConfigFile);
    if (!Loaded)
      return Loaded.takeError();
    Fixed = std::make_shared<Config>(std::move(*Loaded));
  }
  ConfigResolver Configs(Fixed);

  auto Jobs = collectCompileJobs(Options.Jobs);
  if (!Jobs)
    return Jobs.takeError();

  if (!Options.SourceRoot.empty()) {
    llvm::SmallString<256> Root(Options.SourceRoot);
    llvm::sys::fs::make_absolute(Root);
    llvm::sys::path::remove_dots(Root, true);
    Result.SourceRoot = std::string(Root);
  } else {
    llvm::SmallString<256> Start(Options.Jobs.DatabaseDir);
    if (Start.empty())
      llvm::sys::fs::current_path(Start);
    Result.SourceRoot = findSourceRoot(Start);
  }

  RuleSets Rules(Options.RulesDir, Options.ExtraRules);
  ExtractSettings Settings{Result.SourceRoot, Options.ResourceDir, Options.Jobs.ExtraArgs, 3};

  // Configuration errors stop the run before any parsing starts.
  std::vector<const RuleSet*> JobRules;
  for (const CompileJob& Job : *Jobs) {
    auto Cfg = Configs.forFile(Job.File);
    if (!Cfg)
      return Cfg.takeError();
    auto Set = Rules.forConfig(**Cfg);
    if (!Set)
      return Set.takeError();
    JobRules.push_back(*Set);
  }

  // The decision matrix: the users' rows (decision-matrix: in a config) first.
  auto Matrix = std::make_shared<DecisionMatrix>();
  for (const auto& C : Configs.loaded())
    if (!C->DecisionMatrix.empty())
      if (auto Err = Matrix->loadFile(C->DecisionMatrix))
        return std::move(Err);
  {
    llvm::SmallString<256> Default(Options.RulesDir);
    llvm::sys::path::append(Default, "decision-matrix.yaml");
    if (auto Err = Matrix->loadFile(Default))
      return std::move(Err);
  }

  // Extract.
  std::vector<TUFacts> TUs;
  for (size_t I = 0; I < Jobs->size(); ++I) {
    if (Options.OnTranslationUnit)
      Options.OnTranslationUnit(I, Jobs->size(), (*Jobs)[I].File);
    TUs.push_back(extractInChildProcess((*Jobs)[I], *JobRules[I], Settings));
  }
  Result.TranslationUnits = TUs.size();
  for (const TUFacts& TU : TUs)
    if (!TU.Complete)
      Result.Failures.push_back({TU.MainFile, TU.Errors});

  // Link, propagate.
  Program Prog = Program::link(std::move(TUs));
  unsigned MaxDepth = 32;
  std::vector<std::string> EntryPoints;
  for (const auto& C : Configs.loaded()) {
    MaxDepth = std::max(MaxDepth, C->MaxCallDepth);
    EntryPoints.insert(EntryPoints.end(), C->EventLoopEntryPoints.begin(),
                       C->EventLoopEntryPoints.end());
  }
  if (Fixed)
    MaxDepth = Fixed->MaxCallDepth;
  BlockingSummaries Blocking(Prog, MaxDepth);
  std::vector<ContextRoot> Roots = findContextRoots(Prog, EntryPoints);

  // Check.
  auto ConfigFor = [&](llvm::StringRef File) -> const Config& {
    SourceFiles Paths(Result.SourceRoot);
    auto Cfg = Configs.forFile(Paths.absolute(File));
    if (!Cfg) {
      llvm::consumeError(Cfg.takeError()); // Reported when its TU's config was read.
      static const Config Defaults;
      return Defaults;
    }
    return **Cfg;
  };
  CpuSummaries Cpu(Prog, Blocking, ConfigFor, MaxDepth);
  Result.Tasks = classifyTaskSites(Prog, Blocking, Cpu, *Matrix);
  Result.Matrix = Matrix;
  AnalysisContext Context{Prog, Blocking, Roots, ConfigFor, Cpu, Result.Tasks};
  std::vector<Finding> Findings;
  for (const auto& C : allChecks())
    C->run(Context, Findings);

  // Filter: check selection per file, NOLINT, duplicates (templates, headers).
  SourceFiles Files(Result.SourceRoot);
  NolintFilter Nolint(Files);
  std::set<std::string> EnabledIds;
  std::sort(Findings.begin(), Findings.end(), findingOrder);
  for (Finding& F : Findings) {
    const Config& Cfg = ConfigFor(F.Loc.File);
    if (!CheckFilter(Cfg.Checks, Options.Checks).enabled(F.CheckId) || Nolint.suppressed(F))
      continue;
    if (!Result.Findings.empty() && Result.Findings.back().Loc == F.Loc &&
        Result.Findings.back().CheckId == F.CheckId && Result.Findings.back().Message == F.Message)
      continue;
    Result.Findings.push_back(std::move(F));
  }

  // The checks that ran, as far as the command line and the fixed config say.
  const std::string BaseChecks = Fixed ? Fixed->Checks : "*";
  for (const auto& C : allChecks())
    if (CheckFilter(BaseChecks, Options.Checks).enabled(C->id()))
      Result.Checks.push_back(C->info());
  return Result;
}

} // namespace taskfit
