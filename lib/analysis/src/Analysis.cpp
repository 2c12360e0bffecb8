//===- Analysis.cpp - The pipeline as a sequence of stage calls -----------===//

#include "taskfit/analysis/Analysis.h"

#include "checks/Check.h"
#include "checks/Wording.h"
#include "extract/Extract.h"
#include "extract/TranslationUnit.h"
#include "filter/CheckFilter.h"
#include "filter/Filter.h"
#include "knowledge/Knowledge.h"
#include "link/Program.h"
#include "propagate/Propagate.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <algorithm>
#include <chrono>
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

llvm::StringRef precisionName(PrecisionRating P) {
  switch (P) {
  case PrecisionRating::VeryHigh:
    return "very-high";
  case PrecisionRating::High:
    return "high";
  case PrecisionRating::Medium:
    return "medium";
  case PrecisionRating::Low:
    return "low";
  }
  return "medium";
}

std::optional<Level> parseLevel(llvm::StringRef Name) {
  for (Level L : {Level::Note, Level::Warning, Level::Error})
    if (Name == levelName(L))
      return L;
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

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point Start) {
  return std::chrono::duration<double>(Clock::now() - Start).count();
}

/// The files the analysis read inside the source root: main files and their
/// headers, as Facts name them.
std::set<std::string> filesRead(const std::vector<TUFacts>& TUs, llvm::StringRef Root) {
  std::set<std::string> Files;
  for (const TUFacts& TU : TUs) {
    Files.insert(TU.MainFile);
    for (const std::string& Input : TU.Inputs) {
      std::string Relative = relativeToRoot(Input, Root);
      if (!llvm::sys::path::is_absolute(Relative))
        Files.insert(Relative);
    }
  }
  return Files;
}

/// The check stage: every check of a stage, in the registry's order.
std::vector<Finding> runChecks(std::vector<std::unique_ptr<Check>>& Checks, CheckStage Stage,
                               const CheckContext& Context) {
  std::vector<Finding> Findings;
  for (const auto& C : Checks)
    if (C->stage() == Stage)
      llvm::append_range(Findings, C->run(Context));
  return Findings;
}

/// The check and filter stages: the checks of the program, filtered; then,
/// when asked for, the checks of what the filter did not use.
llvm::Error checkAndFilter(const Program& Prog, const Propagation& Found, FilterInput& Filter,
                           const AnalysisOptions& Options, const Knowledge& Known,
                           AnalysisResult& Result) {
  std::vector<std::unique_ptr<Check>> Checks = createChecks();
  for (const auto& C : Checks)
    if (C->stage() == CheckStage::Program)
      Filter.CheckIds.push_back(C->id().str());
  CheckContext Context{Prog, Found, Filter.ConfigFor};
  auto Filtered = filterFindings(runChecks(Checks, CheckStage::Program, Context), Filter);
  if (!Filtered)
    return Filtered.takeError();
  Result.Findings = std::move(Filtered->Kept);
  Result.BaselinedFindings = Filtered->Baselined;

  // The checks that ran, as far as the command line and the fixed config say.
  const Config* Fixed = Known.fixedConfig();
  CheckFilter Selected(Fixed ? Fixed->Checks : "*", Options.Checks);
  for (const auto& C : Checks)
    if (C->stage() == CheckStage::Program && Selected.enabled(C->id()))
      Result.Checks.push_back(C->info());

  if (!Options.ReportUnusedSuppressions)
    return llvm::Error::success();
  Context.Suppressions = &Filtered->Unused;
  std::vector<Finding> Unused = runChecks(Checks, CheckStage::Suppressions, Context);
  std::sort(Unused.begin(), Unused.end(), findingOrder);
  assignFingerprints(Unused);
  llvm::append_range(Result.Findings, Unused);
  std::sort(Result.Findings.begin(), Result.Findings.end(), findingOrder);
  for (const auto& C : Checks)
    if (C->stage() == CheckStage::Suppressions)
      Result.Checks.push_back(C->info());
  return llvm::Error::success();
}

} // namespace

Analyser::Analyser(AnalysisOptions Opts, std::unique_ptr<Knowledge> Known)
    : Options(std::move(Opts)), SourceRoot(resolveSourceRoot(Options)), Known(std::move(Known)) {}

Analyser::~Analyser() = default;

llvm::Expected<std::unique_ptr<Analyser>> Analyser::create(AnalysisOptions Options) {
  KnowledgeOptions K{Options.RulesDir, Options.ExtraRules, Options.ConfigFile, Options.Checks,
                     resolveSourceRoot(Options)};
  auto Known = Knowledge::open(std::move(K));
  if (!Known)
    return Known.takeError();
  return std::unique_ptr<Analyser>(new Analyser(std::move(Options), std::move(*Known)));
}

llvm::Expected<ExtractionOutcome> Analyser::extract() {
  auto Jobs = collectCompileJobs(Options.Jobs);
  if (!Jobs)
    return Jobs.takeError();
  if (Options.Slice.Count > 1) {
    std::vector<CompileJob> Mine;
    for (size_t I = Options.Slice.Index - 1; I < Jobs->size(); I += Options.Slice.Count)
      Mine.push_back(std::move((*Jobs)[I]));
    *Jobs = std::move(Mine);
  }
  ExtractOptions Extract{SourceRoot,       Options.ResourceDir,  Options.Jobs.ExtraArgs,
                         Options.Workers,  Options.TuTimeout,    Options.Server,
                         Options.CacheDir, Options.ToolIdentity, Options.OnTranslationUnit};
  return extractFacts(*Jobs, *Known, Extract);
}

llvm::Expected<AnalysisResult> Analyser::analyse(ExtractionOutcome Extracted) {
  AnalysisResult Result;
  Result.SourceRoot = Extracted.SourceRoot;
  Result.Stats = Extracted.Stats;
  std::vector<TUFacts>& TUs = Extracted.TranslationUnits;
  // The same order however the TUs were extracted: -j, shards and the cache
  // must not change a byte of the report.
  std::sort(TUs.begin(), TUs.end(),
            [](const TUFacts& A, const TUFacts& B) { return A.MainFile < B.MainFile; });
  for (const TUFacts& TU : TUs)
    if (auto Cfg = Known->configFor(TU.MainFile); !Cfg)
      return Cfg.takeError();
  auto Matrix = Known->matrix();
  if (!Matrix)
    return Matrix.takeError();
  SourceFiles Files(Result.SourceRoot);
  FilterInput Filter{
      Files, [this](llvm::StringRef File) -> const Config& { return Known->settingsFor(File); },
      [this](const Config& C, llvm::StringRef Id) { return Known->checkEnabled(C, Id); }};
  if (!Options.BaselineFile.empty() && Options.BaselineFile != Options.UpdateBaselineFile) {
    auto Loaded = Baseline::load(Options.BaselineFile);
    if (!Loaded)
      return Loaded.takeError();
    Filter.Accepted.emplace(std::move(*Loaded));
  }
  Filter.UpdateBaselineFile = Options.UpdateBaselineFile;
  Filter.ListUnused = Options.ReportUnusedSuppressions;
  if (Filter.ListUnused)
    Filter.FilesRead = filesRead(TUs, Result.SourceRoot);
  Result.TranslationUnits = TUs.size();
  for (const TUFacts& TU : TUs)
    if (!TU.Complete)
      Result.Failures.push_back({TU.MainFile, TU.Errors});

  auto Start = Clock::now();
  Program Prog = Program::link(std::move(TUs));
  Result.Stats.LinkSeconds = secondsSince(Start);

  Start = Clock::now();
  auto Found = propagate(Prog, {Known->maxCallDepth(), Known->eventLoopEntryPoints(),
                                Filter.ConfigFor, Matrix->get()});
  for (const ClassifiedTask& Task : Found->Tasks)
    Result.Tasks.push_back(describeTask(Task));
  Result.Matrix = *Matrix;
  Result.Stats.PropagateSeconds = secondsSince(Start);

  Start = Clock::now();
  if (auto Err = checkAndFilter(Prog, *Found, Filter, Options, *Known, Result))
    return std::move(Err);
  Result.Stats.CheckSeconds = secondsSince(Start);
  return Result;
}

llvm::Expected<AnalysisResult> Analyser::run() {
  auto Extracted = extract();
  if (!Extracted)
    return Extracted.takeError();
  return analyse(std::move(*Extracted));
}

llvm::Expected<Config> Analyser::configFor(llvm::StringRef Anchor) {
  llvm::SmallString<256> Path(Anchor);
  llvm::sys::fs::make_absolute(Path);
  auto Found = Known->configFor(Path);
  if (!Found)
    return Found.takeError();
  return **Found;
}

std::vector<CheckInfo> Analyser::enabledChecks(const Config& C) const {
  std::vector<CheckInfo> Enabled;
  for (const auto& Check : createChecks())
    if (Check->stage() == CheckStage::Program && Known->checkEnabled(C, Check->id()))
      Enabled.push_back(Check->info());
  return Enabled;
}

llvm::Expected<RulesSummary> Analyser::verifyRules(const Config& C) {
  auto Rules = Known->rulesFor(C);
  if (!Rules)
    return Rules.takeError();
  return RulesSummary{(*Rules)->files().size(), (*Rules)->blockingRules().size(),
                      (*Rules)->executorRules().size()};
}

} // namespace taskfit
