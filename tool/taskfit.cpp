//===- taskfit.cpp - The command line: options in, exit code out ----------===//
//
//   taskfit [options] [<source>...] [-- <compiler args>]
//
// Exit codes: 0 clean, 1 findings at or above --fail-level, 2 analysis
// incomplete (a TU failed to parse or crashed), 3 usage or configuration error.
//
//===----------------------------------------------------------------------===//

#include "taskfit/analysis/Analysis.h"
#include "taskfit/analysis/Check.h"
#include "taskfit/analysis/Config.h"
#include "taskfit/analysis/RuleSet.h"
#include "taskfit/analysis/Suppressions.h"
#include "taskfit/report/Writers.h"

#include "clang/Basic/Stack.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/CrashRecoveryContext.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;
using namespace taskfit;

namespace {

enum ExitCode { Clean = 0, FindingsFound = 1, Incomplete = 2, UsageError = 3 };

cl::OptionCategory Category("taskfit options");

cl::list<std::string> Sources(cl::Positional, cl::desc("[<source>...]"), cl::cat(Category));
cl::opt<std::string> BuildPath("p", cl::desc("Folder holding compile_commands.json"),
                               cl::value_desc("dir"), cl::cat(Category));
cl::opt<std::string> Format("format", cl::desc("Output format: text, sarif or json"),
                            cl::init("text"), cl::cat(Category));
cl::opt<std::string> Output("o", cl::desc("Write the report here (default: stdout)"),
                            cl::value_desc("file"), cl::cat(Category));
cl::opt<std::string> ChecksOpt("checks", cl::desc("Check globs, clang-tidy style: -*,blocking-*"),
                               cl::cat(Category));
cl::list<std::string> RulePacks("rules", cl::desc("Extra rule pack (repeatable)"),
                                cl::value_desc("file"), cl::cat(Category));
cl::opt<std::string> ConfigPath("config",
                                cl::desc("Use this config for every file instead of "
                                         "discovering .taskfit.yaml"),
                                cl::value_desc("file"), cl::cat(Category));
cl::opt<std::string> FailLevel("fail-level",
                               cl::desc("Exit 1 on findings at or above: note, warning, error"),
                               cl::init("warning"), cl::cat(Category));
cl::opt<bool> ListChecks("list-checks", cl::desc("List the enabled checks and exit"),
                         cl::cat(Category));
cl::opt<bool> DumpConfig("dump-config", cl::desc("Print the effective configuration and exit"),
                         cl::cat(Category));
cl::opt<bool> VerifyConfig("verify-config",
                           cl::desc("Check the configuration and rule packs, then exit"),
                           cl::cat(Category));
cl::opt<std::string> RulesDir("rules-dir", cl::desc("Folder of the default rule packs"),
                              cl::value_desc("dir"), cl::cat(Category));
cl::opt<std::string> SourceRoot("source-root",
                                cl::desc("Report paths relative to this folder (default: the "
                                         "repository holding the compilation database)"),
                                cl::value_desc("dir"), cl::cat(Category));
cl::opt<std::string> ResourceDir("resource-dir",
                                 cl::desc("Clang's resource directory (builtin headers)"),
                                 cl::value_desc("dir"), cl::cat(Category));
cl::opt<std::string> DocsUri("docs-uri", cl::desc("Base URI of the check docs, for SARIF helpUri"),
                             cl::value_desc("uri"), cl::cat(Category));
cl::opt<bool> Quiet("quiet", cl::desc("No progress or summary on stderr"), cl::cat(Category));
cl::opt<std::string> ReportFile("report",
                                cl::desc("Write the workload report (every task site, its class "
                                         "and recommended model) to this file"),
                                cl::value_desc("file"), cl::cat(Category));
cl::opt<std::string> ReportFormat("report-format",
                                  cl::desc("Workload report format: json (default) or table; "
                                           "'table' without --report prints it after the "
                                           "findings"),
                                  cl::init("json"), cl::cat(Category));

int usageError(const Twine& Message) {
  WithColor::error(errs(), "taskfit") << Message << "\n";
  return UsageError;
}

int reportError(Error E) {
  std::string Message = toString(std::move(E));
  errs() << Message << "\n";
  return UsageError;
}

std::string fileUri(StringRef Path) {
  SmallString<256> Abs(Path);
  sys::fs::make_absolute(Abs);
  return "file://" + std::string(Abs) + "/";
}

std::string docsBaseUri(StringRef Argv0) {
  if (!DocsUri.empty())
    return StringRef(DocsUri).ends_with("/") ? DocsUri.getValue() : DocsUri + "/";
  std::string Exe = sys::fs::getMainExecutable(Argv0.str().c_str(), (void*)&docsBaseUri);
  SmallString<256> Installed(sys::path::parent_path(sys::path::parent_path(Exe)));
  sys::path::append(Installed, "share", "doc", "taskfit", "checks");
  if (sys::fs::is_directory(Installed))
    return fileUri(Installed);
  return fileUri(TASKFIT_SOURCE_DOCS_DIR);
}

/// The config that governs the first source, or the working directory.
Expected<std::shared_ptr<const Config>> effectiveConfig() {
  if (!ConfigPath.empty()) {
    auto C = loadConfigFile(ConfigPath);
    if (!C)
      return C.takeError();
    return std::make_shared<const Config>(std::move(*C));
  }
  SmallString<256> Anchor;
  if (!Sources.empty())
    Anchor = Sources.front();
  else {
    sys::fs::current_path(Anchor);
    sys::path::append(Anchor, "-");
  }
  sys::fs::make_absolute(Anchor);
  ConfigResolver Resolver;
  return Resolver.forFile(Anchor);
}

bool atOrAbove(Level L, Level Threshold) {
  return static_cast<int>(L) >= static_cast<int>(Threshold);
}

} // namespace

int main(int argc, const char** argv) {
  clang::noteBottomOfStack(); // Lets clang grow its stack on deeply nested code.
  // Split at `--`: what follows goes to the compiler, not to us.
  std::vector<const char*> Ours;
  std::vector<std::string> CompilerArgs;
  bool HasCompilerArgs = false;
  for (int I = 0; I < argc; ++I) {
    if (!HasCompilerArgs && I > 0 && StringRef(argv[I]) == "--") {
      HasCompilerArgs = true;
      continue;
    }
    if (HasCompilerArgs)
      CompilerArgs.push_back(argv[I]);
    else
      Ours.push_back(argv[I]);
  }

  cl::HideUnrelatedOptions(Category);
  cl::SetVersionPrinter([](raw_ostream& OS) { OS << "taskfit " << TASKFIT_VERSION << "\n"; });
  std::string ParseErrors;
  raw_string_ostream ErrStream(ParseErrors);
  if (!cl::ParseCommandLineOptions(
          static_cast<int>(Ours.size()), Ours.data(),
          "taskfit: finds concurrency-model mistakes in C++ code (blocking calls in coroutines "
          "and on event loops) and says which model fits each piece of work.\n",
          &ErrStream)) {
    errs() << ErrStream.str();
    errs() << "Run 'taskfit --help' for the options.\n";
    return UsageError;
  }

  if (ReportFormat != "json" && ReportFormat != "table")
    return usageError("unknown --report-format '" + ReportFormat + "' (expected json or table)");
  if (Format != "text" && Format != "sarif" && Format != "json")
    return usageError("unknown --format '" + Format + "' (expected text, sarif or json)");
  std::optional<Level> Threshold = parseLevel(FailLevel);
  if (!Threshold)
    return usageError("unknown --fail-level '" + FailLevel + "' (expected note, warning or error)");

  std::string Rules = RulesDir.empty() ? defaultRulesDir(argv[0]) : RulesDir.getValue();

  if (ListChecks || DumpConfig || VerifyConfig) {
    auto Cfg = effectiveConfig();
    if (!Cfg)
      return reportError(Cfg.takeError());
    if (VerifyConfig) {
      RuleSet Set;
      std::vector<std::string> Extra(RulePacks.begin(), RulePacks.end());
      Extra.insert(Extra.end(), (*Cfg)->Rules.begin(), (*Cfg)->Rules.end());
      if (auto Err = loadRuleSet(Set, Rules, Extra))
        return reportError(std::move(Err));
      outs() << "configuration "
             << ((*Cfg)->Path.empty() ? std::string("(defaults)") : (*Cfg)->Path) << " and "
             << Set.files().size() << " rule packs (" << Set.blockingRules().size()
             << " blocking APIs, " << Set.executorRules().size() << " executor APIs) are valid\n";
      return Clean;
    }
    if (DumpConfig) {
      Config Shown = **Cfg;
      if (!ChecksOpt.empty())
        Shown.Checks += "," + ChecksOpt;
      outs() << Shown.toYAML();
      return Clean;
    }
    CheckFilter Filter((*Cfg)->Checks, ChecksOpt);
    outs() << "Enabled checks:\n";
    for (const auto& C : allChecks())
      if (Filter.enabled(C->id()))
        outs() << "    " << C->id() << "\n";
    return Clean;
  }

  if (BuildPath.empty() && !HasCompilerArgs && Sources.empty())
    return usageError("nothing to analyse: pass -p <build dir> and/or source files "
                      "(see --help)");

  CrashRecoveryContext::Enable();

  AnalysisOptions Options;
  Options.Jobs.DatabaseDir = BuildPath;
  Options.Jobs.Sources.assign(Sources.begin(), Sources.end());
  Options.Jobs.ExtraArgs = CompilerArgs;
  Options.Jobs.HasFixedArgs = HasCompilerArgs;
  Options.RulesDir = Rules;
  Options.ExtraRules.assign(RulePacks.begin(), RulePacks.end());
  Options.ConfigFile = ConfigPath;
  Options.Checks = ChecksOpt;
  Options.SourceRoot = SourceRoot;
  Options.ResourceDir = ResourceDir.empty() ? defaultResourceDir() : ResourceDir.getValue();
  bool Progress =
      !Quiet && sys::Process::StandardErrIsDisplayed() && !sys::Process::GetEnv("CI").has_value();
  if (Progress)
    Options.OnTranslationUnit = [](size_t I, size_t N, StringRef File) {
      errs() << "[" << (I + 1) << "/" << N << "] " << File << "\n";
    };

  auto Result = runAnalysis(Options);
  if (!Result)
    return reportError(Result.takeError());

  std::error_code EC;
  std::unique_ptr<ToolOutputFile> File;
  raw_ostream* OS = &outs();
  if (!Output.empty() && Output != "-") {
    File = std::make_unique<ToolOutputFile>(Output, EC, sys::fs::OF_Text);
    if (EC)
      return usageError("cannot write '" + Output + "': " + EC.message());
    OS = &File->os();
  }

  SourceFiles Files(Result->SourceRoot);
  ToolIdentity Tool{"taskfit", TASKFIT_VERSION, docsBaseUri(argv[0])};
  if (Format == "sarif")
    writeSarif(*OS, *Result, Files, Tool);
  else if (Format == "json")
    writeJson(*OS, *Result, Tool);
  else
    writeText(*OS, *Result, Files, OS == &outs() && outs().has_colors());
  bool TableInline = ReportFormat == "table" && ReportFile.empty();
  if (TableInline && Format == "text") {
    *OS << "\n";
    writeWorkloadTable(*OS, *Result);
  }
  OS->flush();
  if (File)
    File->keep();
  if (!ReportFile.empty()) {
    std::error_code ReportEC;
    ToolOutputFile Report(ReportFile, ReportEC, sys::fs::OF_Text);
    if (ReportEC)
      return usageError("cannot write '" + ReportFile + "': " + ReportEC.message());
    if (ReportFormat == "table")
      writeWorkloadTable(Report.os(), *Result);
    else
      writeWorkloadJson(Report.os(), *Result);
    Report.keep();
  }

  unsigned AtThreshold = 0;
  for (const Finding& F : Result->Findings)
    if (atOrAbove(F.Severity, *Threshold))
      ++AtThreshold;
  if (!Quiet)
    errs() << Result->Findings.size() << " finding" << (Result->Findings.size() == 1 ? "" : "s")
           << " in " << Result->TranslationUnits << " translation unit"
           << (Result->TranslationUnits == 1 ? "" : "s")
           << (Result->Failures.empty()
                   ? std::string()
                   : "; " + std::to_string(Result->Failures.size()) + " could not be analysed")
           << "\n";
  if (!Result->Failures.empty())
    return Incomplete;
  return AtThreshold ? FindingsFound : Clean;
}
