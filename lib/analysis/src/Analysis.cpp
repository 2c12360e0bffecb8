//===- Analysis.cpp -------------------------------------------------------===//

#include "taskfit/analysis/Analysis.h"

#include "taskfit/analysis/Baseline.h"
#include "taskfit/analysis/BlockingSummaries.h"
#include "taskfit/analysis/Check.h"
#include "taskfit/analysis/Config.h"
#include "taskfit/analysis/Contexts.h"
#include "taskfit/analysis/FactsCache.h"
#include "taskfit/analysis/ParallelExtraction.h"
#include "taskfit/analysis/Program.h"
#include "taskfit/analysis/RuleSet.h"
#include "taskfit/analysis/Suppressions.h"
#include "taskfit/analysis/TranslationUnit.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <algorithm>
#include <chrono>
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

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point Start) {
  return std::chrono::duration<double>(Clock::now() - Start).count();
}

/// One RuleSet per distinct set of extra packs (the command line's plus a config's).
class RuleSets {
public:
  RuleSets(std::string Dir, std::vector<std::string> Extra)
      : Dir(std::move(Dir)), Extra(std::move(Extra)) {}

  std::vector<std::string> packsFor(const Config& C) const {
    std::vector<std::string> Packs = Extra;
    Packs.insert(Packs.end(), C.Rules.begin(), C.Rules.end());
    return Packs;
  }

  llvm::Expected<const RuleSet*> forConfig(const Config& C) {
    auto [It, Inserted] = Sets.try_emplace(packsFor(C));
    if (Inserted) {
      It->second = std::make_unique<RuleSet>();
      if (auto Err = loadRuleSet(*It->second, Dir, It->first)) {
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

llvm::Expected<std::shared_ptr<const Config>> fixedConfig(const AnalysisOptions& Options) {
  if (Options.ConfigFile.empty())
    return nullptr;
  auto Loaded = loadConfigFile(Options.ConfigFile);
  if (!Loaded)
    return Loaded.takeError();
  return std::make_shared<const Config>(std::move(*Loaded));
}

/// The files whose content shapes a TU's facts, besides its own inputs.
std::vector<std::string> shapingFiles(llvm::StringRef RulesDir, const RuleSet& Rules,
                                      const Config& Cfg) {
  std::vector<std::string> Files = Rules.files();
  llvm::SmallString<256> Serialisation(RulesDir);
  llvm::sys::path::append(Serialisation, "serialisation.yaml");
  Files.push_back(std::string(Serialisation));
  if (!Cfg.Path.empty())
    Files.push_back(Cfg.Path);
  return Files;
}

const CheckInfo& unusedSuppressionInfo() {
  static const CheckInfo Info{
      "unused-suppression",
      "UnusedSuppression",
      Level::Warning,
      "A NOLINT comment or baseline entry that suppresses nothing",
      "A NOLINT comment naming taskfit checks, or a baseline entry, matched no finding in this "
      "run: the code it excused has changed. Stale suppressions hide the next finding at the "
      "same place; remove them.",
      "Remove the comment, or rewrite the baseline with --update-baseline.",
      {"maintainability"}};
  return Info;
}

/// The files the analysis read inside the source root: main files and their
/// headers, as Facts name them.
std::set<std::string> filesRead(const ExtractionOutcome& Extracted) {
  std::set<std::string> Files;
  for (const TUFacts& TU : Extracted.TranslationUnits) {
    Files.insert(TU.MainFile);
    for (const std::string& Input : TU.Inputs) {
      std::string Relative = relativeToRoot(Input, Extracted.SourceRoot);
      if (!llvm::sys::path::is_absolute(Relative))
        Files.insert(Relative);
    }
  }
  return Files;
}

/// Findings for NOLINT markers and baseline entries that matched nothing.
std::vector<Finding> unusedSuppressions(const std::set<std::string>& Files, NolintFilter& Nolint,
                                        const Baseline* Accepted) {
  std::vector<std::string> CheckIds;
  for (const auto& C : allChecks())
    CheckIds.push_back(C->id().str());
  const std::string& Id = unusedSuppressionInfo().Id;
  std::vector<Finding> Out;
  for (const std::string& File : Files)
    for (UnusedSuppression& U : Nolint.unused(File, CheckIds)) {
      Finding F;
      F.CheckId = Id;
      F.Severity = Level::Warning;
      F.Loc = U.Loc;
      F.Message = "'" + U.Text + "' suppresses no finding; remove it";
      F.FingerprintKey = Id + "|" + File + "|" + U.Text;
      Out.push_back(std::move(F));
    }
  if (Accepted)
    for (const BaselineEntry& E : Accepted->unused()) {
      Finding F;
      F.CheckId = Id;
      F.Severity = Level::Warning;
      F.Loc = E.Loc;
      // The finding as it was, without the check's advice after "; ".
      F.Message = "the baseline entry '" + llvm::StringRef(E.Message).split("; ").first.str() +
                  "' [" + E.CheckId + "] matches no finding; update the baseline";
      F.FingerprintKey = Id + "|baseline|" + E.Fingerprint;
      Out.push_back(std::move(F));
    }
  std::sort(Out.begin(), Out.end(), findingOrder);
  assignFingerprints(Out);
  return Out;
}

} // namespace

std::string resolveSourceRoot(const AnalysisOptions& Options) {
  if (!Options.SourceRoot.empty()) {
    llvm::SmallString<256> Root(Options.SourceRoot);
    llvm::sys::fs::make_absolute(Root);
    llvm::sys::path::remove_dots(Root, true);
    return std::string(Root);
  }
  llvm::SmallString<256> Start(Options.Jobs.DatabaseDir);
  if (Start.empty())
    llvm::sys::fs::current_path(Start);
  return findSourceRoot(Start);
}

llvm::Expected<ExtractionOutcome> extractAll(const AnalysisOptions& Options) {
  ExtractionOutcome Out;
  auto Fixed = fixedConfig(Options);
  if (!Fixed)
    return Fixed.takeError();
  ConfigResolver Configs(*Fixed);

  auto Jobs = collectCompileJobs(Options.Jobs);
  if (!Jobs)
    return Jobs.takeError();
  if (Options.Slice.Count > 1) {
    std::vector<CompileJob> Mine;
    for (size_t I = Options.Slice.Index - 1; I < Jobs->size(); I += Options.Slice.Count)
      Mine.push_back(std::move((*Jobs)[I]));
    *Jobs = std::move(Mine);
  }
  Out.SourceRoot = resolveSourceRoot(Options);

  // Configuration errors stop the run before any parsing starts.
  RuleSets Rules(Options.RulesDir, Options.ExtraRules);
  ExtractSettings Settings{Out.SourceRoot, Options.ResourceDir, Options.Jobs.ExtraArgs, 3};
  std::vector<ExtractionRequest> Requests;
  std::vector<std::vector<std::string>> Shaping;
  for (const CompileJob& Job : *Jobs) {
    auto Cfg = Configs.forFile(Job.File);
    if (!Cfg)
      return Cfg.takeError();
    auto Set = Rules.forConfig(**Cfg);
    if (!Set)
      return Set.takeError();
    Requests.push_back({Job, Options.RulesDir, Rules.packsFor(**Cfg), Settings});
    Shaping.push_back(shapingFiles(Options.RulesDir, **Set, **Cfg));
  }

  std::set<std::string> AllShaping;
  for (const auto& Files : Shaping)
    AllShaping.insert(Files.begin(), Files.end());
  Out.ShapingFiles.assign(AllShaping.begin(), AllShaping.end());

  std::optional<FactsCache> Cache;
  if (!Options.CacheDir.empty()) {
    auto Opened = FactsCache::open(Options.CacheDir, Options.ToolIdentity);
    if (!Opened)
      return Opened.takeError();
    Cache.emplace(std::move(*Opened));
  }

  auto Start = Clock::now();
  Out.TranslationUnits.resize(Requests.size());
  ExtractionProgress Progress;
  Progress.Total = Requests.size();
  auto Finished = [&](size_t I, bool Cached) {
    ++Progress.Done;
    Progress.File = Out.TranslationUnits[I].MainFile;
    Progress.Cached = Cached;
    Progress.Failed = !Out.TranslationUnits[I].Complete;
    if (Options.OnTranslationUnit)
      Options.OnTranslationUnit(Progress);
  };

  // Cached TUs first: their facts are ready, only the rest go to the pool.
  std::vector<std::string> Keys(Requests.size());
  std::vector<size_t> ToExtract;
  for (size_t I = 0; I < Requests.size(); ++I) {
    if (Cache) {
      const CompileJob& Job = Requests[I].Job;
      Keys[I] = Cache->key(
          Job, adjustArguments(Job.Arguments, Options.ResourceDir, Options.Jobs.ExtraArgs),
          Shaping[I]);
      if (std::optional<TUFacts> Hit = Cache->lookup(Keys[I])) {
        Out.TranslationUnits[I] = std::move(*Hit);
        ++Out.Stats.CachedTranslationUnits;
        Finished(I, /*Cached=*/true);
        continue;
      }
    }
    ToExtract.push_back(I);
  }

  std::vector<ExtractionRequest> Pending;
  for (size_t I : ToExtract)
    Pending.push_back(std::move(Requests[I]));
  ExtractionPool Pool({Options.Workers, Options.TuTimeout, Options.Server});
  Pool.run(Pending, [&](size_t K, TUFacts Facts) {
    size_t I = ToExtract[K];
    if (Cache)
      if (llvm::Error Err = Cache->store(Keys[I], Facts))
        Out.Stats.Warnings.push_back(llvm::toString(std::move(Err)));
    Out.TranslationUnits[I] = std::move(Facts);
    Finished(I, /*Cached=*/false);
  });
  Out.Stats.ExtractSeconds = secondsSince(Start);
  return Out;
}

llvm::Expected<AnalysisResult> analyseFacts(ExtractionOutcome Extracted,
                                            const AnalysisOptions& Options) {
  AnalysisResult Result;
  Result.SourceRoot = Extracted.SourceRoot;
  Result.Stats = Extracted.Stats;
  auto Fixed = fixedConfig(Options);
  if (!Fixed)
    return Fixed.takeError();
  ConfigResolver Configs(*Fixed);
  SourceFiles Files(Result.SourceRoot);

  // The same order however the TUs were extracted: -j, shards and the cache
  // must not change a byte of the report.
  std::sort(Extracted.TranslationUnits.begin(), Extracted.TranslationUnits.end(),
            [](const TUFacts& A, const TUFacts& B) { return A.MainFile < B.MainFile; });
  for (const TUFacts& TU : Extracted.TranslationUnits) {
    auto Cfg = Configs.forFile(Files.absolute(TU.MainFile));
    if (!Cfg)
      return Cfg.takeError();
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

  std::optional<Baseline> Accepted;
  if (!Options.BaselineFile.empty() && Options.BaselineFile != Options.UpdateBaselineFile) {
    auto Loaded = Baseline::load(Options.BaselineFile);
    if (!Loaded)
      return Loaded.takeError();
    Accepted.emplace(std::move(*Loaded));
  }

  Result.TranslationUnits = Extracted.TranslationUnits.size();
  for (const TUFacts& TU : Extracted.TranslationUnits)
    if (!TU.Complete)
      Result.Failures.push_back({TU.MainFile, TU.Errors});

  std::set<std::string> ReadFiles;
  if (Options.ReportUnusedSuppressions)
    ReadFiles = filesRead(Extracted);

  // Link, propagate.
  auto Start = Clock::now();
  Program Prog = Program::link(std::move(Extracted.TranslationUnits));
  Result.Stats.LinkSeconds = secondsSince(Start);
  Start = Clock::now();
  unsigned MaxDepth = 32;
  std::vector<std::string> EntryPoints;
  for (const auto& C : Configs.loaded()) {
    MaxDepth = std::max(MaxDepth, C->MaxCallDepth);
    EntryPoints.insert(EntryPoints.end(), C->EventLoopEntryPoints.begin(),
                       C->EventLoopEntryPoints.end());
  }
  if (*Fixed)
    MaxDepth = (*Fixed)->MaxCallDepth;
  BlockingSummaries Blocking(Prog, MaxDepth);
  std::vector<ContextRoot> Roots = findContextRoots(Prog, EntryPoints);
  auto ConfigFor = [&](llvm::StringRef File) -> const Config& {
    auto Cfg = Configs.forFile(Files.absolute(File));
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
  Result.Stats.PropagateSeconds = secondsSince(Start);

  // Check.
  Start = Clock::now();
  AnalysisContext Context{Prog, Blocking, Roots, ConfigFor, Cpu, Result.Tasks};
  std::vector<Finding> Findings;
  for (const auto& C : allChecks())
    C->run(Context, Findings);

  // Filter: check selection per file, NOLINT, duplicates (templates, headers
  // included by many TUs), then the baseline.
  NolintFilter Nolint(Files);
  std::sort(Findings.begin(), Findings.end(), findingOrder);
  std::vector<Finding> Kept;
  for (Finding& F : Findings) {
    const Config& Cfg = ConfigFor(F.Loc.File);
    bool Suppressed = Nolint.suppressed(F); // Even for disabled checks: the marker is in use.
    if (Suppressed || !CheckFilter(Cfg.Checks, Options.Checks).enabled(F.CheckId))
      continue;
    if (!Kept.empty() && Kept.back().Loc == F.Loc && Kept.back().CheckId == F.CheckId &&
        Kept.back().Message == F.Message)
      continue;
    Kept.push_back(std::move(F));
  }
  assignFingerprints(Kept);
  if (!Options.UpdateBaselineFile.empty()) {
    if (auto Err = Baseline::fromFindings(Kept).save(Options.UpdateBaselineFile))
      return std::move(Err);
    Result.BaselinedFindings = Kept.size();
    Kept.clear();
  }
  for (Finding& F : Kept) {
    if (Accepted && Accepted->accepts(F)) {
      ++Result.BaselinedFindings;
      continue;
    }
    Result.Findings.push_back(std::move(F));
  }

  // The checks that ran, as far as the command line and the fixed config say.
  const std::string BaseChecks = *Fixed ? (*Fixed)->Checks : "*";
  for (const auto& C : allChecks())
    if (CheckFilter(BaseChecks, Options.Checks).enabled(C->id()))
      Result.Checks.push_back(C->info());

  if (Options.ReportUnusedSuppressions) {
    std::vector<Finding> Unused =
        unusedSuppressions(ReadFiles, Nolint, Accepted ? &*Accepted : nullptr);
    Result.Findings.insert(Result.Findings.end(), std::make_move_iterator(Unused.begin()),
                           std::make_move_iterator(Unused.end()));
    std::sort(Result.Findings.begin(), Result.Findings.end(), findingOrder);
    Result.Checks.push_back(unusedSuppressionInfo());
  }
  Result.Stats.CheckSeconds = secondsSince(Start);
  return Result;
}

llvm::Expected<AnalysisResult> runAnalysis(const AnalysisOptions& Options) {
  auto Extracted = extractAll(Options);
  if (!Extracted)
    return Extracted.takeError();
  return analyseFacts(std::move(*Extracted), Options);
}

} // namespace taskfit
