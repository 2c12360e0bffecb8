//===- taskfit.cpp - The command line: options in, exit code out ----------===//
//
//   taskfit [options] [<source>...] [-- <compiler args>]
//   taskfit extract -o <facts> [options] [<source>...] [-- <compiler args>]
//   taskfit link [options] <facts>...
//
// Exit codes: 0 clean, 1 findings at or above --fail-level, 2 analysis
// incomplete (a TU failed to parse, crashed or timed out), 3 usage or
// configuration error.
//
//===----------------------------------------------------------------------===//

#include "taskfit/analysis/Analysis.h"
#include "taskfit/analysis/SourceFiles.h"
#include "taskfit/report/Writers.h"

#include "clang/Basic/Stack.h"
#include "clang/Basic/Version.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/BLAKE3.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <set>
#include <sys/resource.h>
#include <taskfit/runtime/fork_server.hpp>
#include <thread>

using namespace llvm;
using namespace taskfit;

namespace {

enum ExitCode { Clean = 0, FindingsFound = 1, Incomplete = 2, UsageError = 3 };

cl::OptionCategory Category("taskfit options");

cl::list<std::string> Sources(cl::Positional, cl::desc("[<source>...]"), cl::cat(Category));
cl::opt<std::string> BuildPath("p", cl::desc("Folder holding compile_commands.json"),
                               cl::value_desc("dir"), cl::cat(Category));
cl::opt<std::string> Format("format",
                            cl::desc("Output format: text, sarif, json or codequality (GitLab)"),
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
cl::opt<bool> SkipUnlisted("skip-unlisted",
                           cl::desc("Skip given sources the compilation database does not list "
                                    "(headers, generated files) instead of failing"),
                           cl::cat(Category));
cl::opt<bool> ExitZero("exit-zero",
                       cl::desc("Exit 0 even when findings are reported (2 and 3 still mean "
                                "incomplete and usage error)"),
                       cl::cat(Category));
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
cl::opt<bool> Verbose("verbose",
                      cl::desc("Each file as it is done, cache use, and where the time went"),
                      cl::cat(Category));
cl::opt<unsigned> Jobs("j", cl::desc("Files analysed in parallel (default: one per core)"),
                       cl::value_desc("N"), cl::init(0), cl::Prefix, cl::cat(Category));
cl::opt<double> TuTimeout("tu-timeout",
                          cl::desc("Stop analysing a file after this many seconds and report it "
                                   "(default: no limit)"),
                          cl::value_desc("seconds"), cl::init(0), cl::cat(Category));
cl::opt<std::string> CacheDir("cache-dir",
                              cl::desc("Keep each file's facts here; unchanged files are not "
                                       "parsed again"),
                              cl::value_desc("dir"), cl::cat(Category));
cl::opt<std::string> ShardOpt("shard",
                              cl::desc("Analyse only the I-th of N slices of the compilation "
                                       "database (1-based), e.g. --shard 2/4"),
                              cl::value_desc("I/N"), cl::cat(Category));
cl::opt<std::string> DepFile("depfile",
                             cl::desc("With extract: also write a Make-style list of the files "
                                      "the facts depend on (Ninja's depfile)"),
                             cl::value_desc("file"), cl::cat(Category));
cl::opt<std::string> BaselineFile("baseline",
                                  cl::desc("Report only findings absent from this baseline"),
                                  cl::value_desc("file"), cl::cat(Category));
cl::opt<std::string>
    UpdateBaselineFile("update-baseline",
                       cl::desc("Write every current finding to this baseline file"),
                       cl::value_desc("file"), cl::cat(Category));
cl::opt<bool> ReportUnusedSuppressions(
    "report-unused-suppressions",
    cl::desc("Report NOLINT comments and baseline entries that suppress nothing"),
    cl::cat(Category));
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

/// Where the config --dump-config, --list-checks and --verify-config show is
/// looked for: beside the first source, or in the working directory.
std::string configAnchor() {
  SmallString<256> Anchor;
  if (!Sources.empty())
    Anchor = Sources.front();
  else {
    sys::fs::current_path(Anchor);
    sys::path::append(Anchor, "-");
  }
  return std::string(Anchor);
}

/// --dump-config, --list-checks, --verify-config.
int showConfiguration(Analyser& Run) {
  auto Cfg = Run.configFor(configAnchor());
  if (!Cfg)
    return reportError(Cfg.takeError());
  if (VerifyConfig) {
    auto Rules = Run.verifyRules(*Cfg);
    if (!Rules)
      return reportError(Rules.takeError());
    outs() << "configuration " << (Cfg->Path.empty() ? std::string("(defaults)") : Cfg->Path)
           << " and " << Rules->Packs << " rule packs (" << Rules->BlockingApis
           << " blocking APIs, " << Rules->ExecutorApis << " executor APIs) are valid\n";
    return Clean;
  }
  if (DumpConfig) {
    Config Shown = *Cfg;
    if (!ChecksOpt.empty())
      Shown.Checks += "," + ChecksOpt;
    outs() << Shown.toYAML();
    return Clean;
  }
  outs() << "Enabled checks:\n";
  for (const CheckInfo& C : Run.enabledChecks(*Cfg))
    outs() << "    " << C.Id << "\n";
  return Clean;
}

enum class Mode { Analyse, Extract, Link };

/// The tool's build, for cache keys: a rebuilt taskfit never reuses facts a
/// different build extracted.
std::string toolIdentity(StringRef Argv0) {
  std::string Identity = std::string("taskfit ") + TASKFIT_VERSION + "; facts " +
                         std::to_string(FactsVersion) + "; " + clang::getClangFullVersion();
  std::string Exe = sys::fs::getMainExecutable(Argv0.str().c_str(), (void*)&toolIdentity);
  if (auto Buffer = MemoryBuffer::getFile(Exe, /*IsText=*/false, /*RequiresNullTerminator=*/false))
    Identity += "; " + toHex(BLAKE3::hash(arrayRefFromStringRef((*Buffer)->getBuffer())), true);
  return Identity;
}

Expected<Shard> parseShard(StringRef Text) {
  auto [Index, Count] = Text.split('/');
  Shard S;
  if (Index.getAsInteger(10, S.Index) || Count.getAsInteger(10, S.Count) || S.Count == 0 ||
      S.Index == 0 || S.Index > S.Count)
    return createStringError("--shard expects I/N with 1 <= I <= N, e.g. 2/4; got '%s'",
                             Text.str().c_str());
  return S;
}

std::string formatDuration(double Seconds) {
  long Total = static_cast<long>(Seconds + 0.5);
  return formatv("{0}:{1:2}", Total / 60, Total % 60).str();
}

/// `[37/120] src/net/session.cpp  0:12 elapsed, ~0:28 left` on one line of a
/// terminal, rewritten in place; with --verbose, one line per file instead.
class ProgressLine {
public:
  explicit ProgressLine(bool Persistent) : Persistent(Persistent) {}

  void update(const ExtractionProgress& P) {
    double Elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - Start).count();
    std::string Line =
        "[" + std::to_string(P.Done) + "/" + std::to_string(P.Total) + "] " + P.File.str();
    if (P.Cached)
      Line += " (cached)";
    if (P.Failed)
      Line += " (could not be analysed)";
    Line += "  " + formatDuration(Elapsed) + " elapsed";
    if (P.Done < P.Total && P.Done > 0)
      Line += ", ~" + formatDuration(Elapsed / P.Done * (P.Total - P.Done)) + " left";
    if (Persistent) {
      errs() << Line << "\n";
      return;
    }
    errs() << "\r\x1b[K" << Line;
    Shown = true;
  }

  void clear() {
    if (Shown)
      errs() << "\r\x1b[K";
    Shown = false;
  }

private:
  bool Persistent;
  bool Shown = false;
  std::chrono::steady_clock::time_point Start = std::chrono::steady_clock::now();
};

Error writeFactsFile(StringRef Path, const std::vector<TUFacts>& TUs) {
  std::error_code EC;
  ToolOutputFile Out(Path, EC, sys::fs::OF_Text);
  if (EC)
    return createStringError(EC, "cannot write '%s': %s", Path.str().c_str(), EC.message().c_str());
  Out.os() << json::Value(factsFileToJSON(TUs)) << "\n";
  Out.keep();
  return Error::success();
}

/// `facts: a.cpp a.h ...`, spaces escaped as Make and Ninja expect.
Error writeDepFile(StringRef Path, StringRef Target, const ExtractionOutcome& Extracted) {
  std::set<std::string> Inputs(Extracted.ShapingFiles.begin(), Extracted.ShapingFiles.end());
  for (const TUFacts& TU : Extracted.TranslationUnits)
    Inputs.insert(TU.Inputs.begin(), TU.Inputs.end());
  std::error_code EC;
  ToolOutputFile Out(Path, EC, sys::fs::OF_Text);
  if (EC)
    return createStringError(EC, "cannot write '%s': %s", Path.str().c_str(), EC.message().c_str());
  auto Escaped = [](StringRef File) {
    std::string Text;
    for (char C : File) {
      if (C == ' ' || C == '#')
        Text += '\\';
      if (C == '$')
        Text += '$';
      Text += C;
    }
    return Text;
  };
  Out.os() << Escaped(Target) << ":";
  for (const std::string& Input : Inputs)
    Out.os() << " \\\n  " << Escaped(Input);
  Out.os() << "\n";
  Out.keep();
  return Error::success();
}

Expected<std::vector<TUFacts>> readFactsFiles(const std::vector<std::string>& Paths) {
  std::vector<TUFacts> All;
  for (const std::string& Path : Paths) {
    auto Buffer = MemoryBuffer::getFile(Path, /*IsText=*/true);
    if (!Buffer)
      return createStringError(Buffer.getError(), "%s: cannot read: %s", Path.c_str(),
                               Buffer.getError().message().c_str());
    auto Json = json::parse((*Buffer)->getBuffer());
    if (!Json)
      return createStringError("%s: not a taskfit facts file: %s", Path.c_str(),
                               toString(Json.takeError()).c_str());
    auto TUs = factsFileFromJSON(*Json);
    if (!TUs)
      return createStringError("%s: %s", Path.c_str(), toString(TUs.takeError()).c_str());
    std::move(TUs->begin(), TUs->end(), std::back_inserter(All));
  }
  return All;
}

void printStats(const AnalysisStats& Stats, size_t TUs) {
  double Total =
      Stats.ExtractSeconds + Stats.LinkSeconds + Stats.PropagateSeconds + Stats.CheckSeconds;
  rusage Usage{};
  ::getrusage(RUSAGE_SELF, &Usage);
  errs() << formatv("taskfit: {0} translation units ({1} from the cache) in {2:f2} s: extract "
                    "{3:f2} s, link {4:f3} s, propagate {5:f3} s, check {6:f3} s; peak memory "
                    "{7} MiB\n",
                    TUs, Stats.CachedTranslationUnits, Total, Stats.ExtractSeconds,
                    Stats.LinkSeconds, Stats.PropagateSeconds, Stats.CheckSeconds,
                    Usage.ru_maxrss / 1024);
}

/// Under --verbose, the files in which nothing was analysed: a file whose
/// every definition the preprocessor removed is otherwise reported clean.
void printUnanalysedFiles(const std::vector<TUFacts>& TUs) {
  for (const TUFacts& TU : TUs) {
    if (!TU.Complete)
      continue; // Reported as a failure already.
    bool DefinesSomething = llvm::any_of(TU.Functions, [&](const FunctionFacts& F) {
      return F.Loc.File == TU.MainFile || StringRef(TU.MainFile).ends_with("/" + F.Loc.File);
    });
    if (!DefinesSomething)
      WithColor::note(errs(), "taskfit")
          << TU.MainFile
          << ": nothing in this file was analysed: it defines no function the preprocessor "
             "kept (is its code compiled out by a macro or a missing -D flag?)\n";
  }
}

bool atOrAbove(Level L, Level Threshold) {
  return static_cast<int>(L) >= static_cast<int>(Threshold);
}

/// What main() parses before LLVM's option parser sees the rest.
struct CommandLine {
  Mode RunMode = Mode::Analyse;
  std::vector<std::string> CompilerArgs; ///< After `--`.
  bool HasCompilerArgs = false;
};

/// Parses the command line into the options above; an exit code on a usage error.
std::optional<int> parseCommandLine(int argc, const char** argv, CommandLine& Line) {
  int First = 1;
  if (argc > 1 && StringRef(argv[1]) == "extract")
    Line.RunMode = Mode::Extract, First = 2;
  else if (argc > 1 && StringRef(argv[1]) == "link")
    Line.RunMode = Mode::Link, First = 2;

  // Split at `--`: what follows goes to the compiler, not to us.
  std::vector<const char*> Ours{argv[0]};
  for (int I = First; I < argc; ++I) {
    if (!Line.HasCompilerArgs && StringRef(argv[I]) == "--") {
      Line.HasCompilerArgs = true;
      continue;
    }
    if (Line.HasCompilerArgs)
      Line.CompilerArgs.push_back(argv[I]);
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
          "and on event loops) and says which model fits each piece of work.\n\n"
          "  taskfit [options] [<source>...] [-- <compiler args>]     analyse\n"
          "  taskfit extract -o <facts> [options] [<source>...] [-- <compiler args>]\n"
          "                                                             the facts of some files\n"
          "  taskfit link [options] <facts>...                          analyse extracted facts\n",
          &ErrStream)) {
    errs() << ErrStream.str();
    errs() << "Run 'taskfit --help' for the options.\n";
    return UsageError;
  }
  return std::nullopt;
}

/// Options that belong to another mode, or values out of range: an exit code.
std::optional<int> checkUsage(const CommandLine& Line) {
  if (ReportFormat != "json" && ReportFormat != "table")
    return usageError("unknown --report-format '" + ReportFormat + "' (expected json or table)");
  if (Format != "text" && Format != "sarif" && Format != "json" && Format != "codequality")
    return usageError("unknown --format '" + Format +
                      "' (expected text, sarif, json or codequality)");
  if (!parseLevel(FailLevel))
    return usageError("unknown --fail-level '" + FailLevel + "' (expected note, warning or error)");
  if (TuTimeout < 0)
    return usageError("--tu-timeout must be a number of seconds, 0 for no limit");
  if (Line.RunMode == Mode::Extract) {
    if (Output.empty() || Output == "-")
      return usageError("taskfit extract needs -o <facts file>");
    for (const auto* Opt : {&BaselineFile, &UpdateBaselineFile, &ReportFile})
      if (!Opt->empty())
        return usageError("--" + Opt->ArgStr +
                          " belongs to the analysis: pass it to 'taskfit "
                          "link'");
    if (ReportUnusedSuppressions)
      return usageError("--report-unused-suppressions belongs to the analysis: pass it to "
                        "'taskfit link'");
  }
  if (Line.RunMode != Mode::Extract && !DepFile.empty())
    return usageError("--depfile belongs to 'taskfit extract'");
  if (Line.RunMode == Mode::Link) {
    if (!BuildPath.empty() || Line.HasCompilerArgs || !ShardOpt.empty() || !CacheDir.empty())
      return usageError("taskfit link reads facts files only: -p, --shard, --cache-dir and "
                        "compiler arguments belong to 'taskfit extract'");
    if (Sources.empty())
      return usageError("taskfit link needs facts files written by 'taskfit extract'");
  }
  return std::nullopt;
}

AnalysisOptions analysisOptions(const CommandLine& Line, Shard Slice, StringRef Argv0) {
  AnalysisOptions Options;
  Options.Jobs.DatabaseDir = BuildPath;
  if (Line.RunMode != Mode::Link)
    Options.Jobs.Sources.assign(Sources.begin(), Sources.end());
  Options.Jobs.ExtraArgs = Line.CompilerArgs;
  Options.Jobs.HasFixedArgs = Line.HasCompilerArgs;
  Options.Jobs.SkipUnlisted = SkipUnlisted;
  Options.RulesDir = RulesDir.empty() ? defaultRulesDir(Argv0) : RulesDir.getValue();
  Options.ExtraRules.assign(RulePacks.begin(), RulePacks.end());
  Options.ConfigFile = ConfigPath;
  Options.Checks = ChecksOpt;
  Options.SourceRoot = SourceRoot;
  Options.ResourceDir = ResourceDir.empty() ? defaultResourceDir() : ResourceDir.getValue();
  Options.Slice = Slice;
  Options.Workers = Jobs ? Jobs.getValue() : std::max(1u, std::thread::hardware_concurrency());
  if (TuTimeout > 0)
    Options.TuTimeout = std::chrono::milliseconds(static_cast<int64_t>(TuTimeout * 1000));
  Options.CacheDir = CacheDir;
  Options.BaselineFile = BaselineFile;
  Options.UpdateBaselineFile = UpdateBaselineFile;
  Options.ReportUnusedSuppressions = ReportUnusedSuppressions;
  return Options;
}

/// `taskfit extract`: writes the facts (and the depfile); a file that could not
/// be analysed is recorded in them and reported (exit 2) by the link.
int finishExtract(const ExtractionOutcome& Extracted) {
  if (auto Err = writeFactsFile(Output, Extracted.TranslationUnits))
    return reportError(std::move(Err));
  if (!DepFile.empty())
    if (auto Err = writeDepFile(DepFile, Output, Extracted))
      return reportError(std::move(Err));
  if (!Quiet)
    for (const TUFacts& TU : Extracted.TranslationUnits)
      for (const ParseDiagnostic& D : TU.Complete ? std::vector<ParseDiagnostic>() : TU.Errors)
        WithColor::warning(errs(), "taskfit")
            << D.Loc.File << (D.Loc.Line ? ":" + std::to_string(D.Loc.Line) : "") << ": "
            << D.Message << "\n";
  if (Verbose)
    printStats(Extracted.Stats, Extracted.TranslationUnits.size());
  return Clean;
}

/// Writes the findings (-o, --format) and the workload report (--report).
std::optional<int> writeReports(const AnalysisResult& Result, StringRef Argv0) {
  std::error_code EC;
  std::unique_ptr<ToolOutputFile> File;
  raw_ostream* OS = &outs();
  if (!Output.empty() && Output != "-") {
    File = std::make_unique<ToolOutputFile>(Output, EC, sys::fs::OF_Text);
    if (EC)
      return usageError("cannot write '" + Output + "': " + EC.message());
    OS = &File->os();
  }
  SourceFiles Files(Result.SourceRoot);
  ToolIdentity Tool{"taskfit", TASKFIT_VERSION, docsBaseUri(Argv0)};
  if (Format == "sarif")
    writeSarif(*OS, Result, Files, Tool);
  else if (Format == "json")
    writeJson(*OS, Result, Tool);
  else if (Format == "codequality")
    writeCodeQuality(*OS, Result);
  else
    writeText(*OS, Result, Files, OS == &outs() && outs().has_colors());
  if (ReportFormat == "table" && ReportFile.empty() && Format == "text") {
    *OS << "\n";
    writeWorkloadTable(*OS, Result);
  }
  OS->flush();
  if (File)
    File->keep();
  if (ReportFile.empty())
    return std::nullopt;
  std::error_code ReportEC;
  ToolOutputFile Report(ReportFile, ReportEC, sys::fs::OF_Text);
  if (ReportEC)
    return usageError("cannot write '" + ReportFile + "': " + ReportEC.message());
  if (ReportFormat == "table")
    writeWorkloadTable(Report.os(), Result);
  else
    writeWorkloadJson(Report.os(), Result);
  Report.keep();
  return std::nullopt;
}

/// `3 findings in 12 translation units; ...` on stderr.
void printSummary(const AnalysisResult& Result) {
  errs() << Result.Findings.size() << " finding" << (Result.Findings.size() == 1 ? "" : "s")
         << " in " << Result.TranslationUnits << " translation unit"
         << (Result.TranslationUnits == 1 ? "" : "s");
  if (!UpdateBaselineFile.empty())
    errs() << "; " << Result.BaselinedFindings << " written to the baseline";
  else if (Result.BaselinedFindings)
    errs() << "; " << Result.BaselinedFindings << " in the baseline, not shown";
  if (!Result.Failures.empty())
    errs() << "; " << Result.Failures.size() << " could not be analysed";
  errs() << "\n";
}

/// The exit code of an analysis that ran to its end.
int exitCode(const AnalysisResult& Result) {
  if (!Result.Failures.empty())
    return Incomplete;
  Level Threshold = *parseLevel(FailLevel);
  bool AtThreshold = llvm::any_of(
      Result.Findings, [&](const Finding& F) { return atOrAbove(F.Severity, Threshold); });
  return AtThreshold && !ExitZero ? FindingsFound : Clean;
}

/// The facts to analyse: read from facts files (`link`), or extracted.
Expected<ExtractionOutcome> factsOf(const CommandLine& Line, Analyser& Run,
                                    std::optional<ProgressLine>& Progress) {
  if (Line.RunMode == Mode::Link) {
    auto TUs = readFactsFiles(std::vector<std::string>(Sources.begin(), Sources.end()));
    if (!TUs)
      return TUs.takeError();
    ExtractionOutcome Read;
    Read.TranslationUnits = std::move(*TUs);
    Read.SourceRoot = Run.sourceRoot();
    return Read;
  }
  auto Done = Run.extract();
  if (Progress)
    Progress->clear();
  if (Done && !Quiet)
    for (const std::string& Warning : Done->Stats.Warnings)
      WithColor::warning(errs(), "taskfit") << Warning << "\n";
  return Done;
}

} // namespace

int main(int argc, const char** argv) {
  clang::noteBottomOfStack(); // Lets clang grow its stack on deeply nested code.
  CommandLine Line;
  if (auto Exit = parseCommandLine(argc, argv, Line))
    return *Exit;
  if (auto Exit = checkUsage(Line))
    return *Exit;
  Shard Slice;
  if (!ShardOpt.empty()) {
    auto Parsed = parseShard(ShardOpt);
    if (!Parsed)
      return usageError(toString(Parsed.takeError()));
    Slice = *Parsed;
  }
  AnalysisOptions Options = analysisOptions(Line, Slice, argv[0]);

  if (ListChecks || DumpConfig || VerifyConfig) {
    auto Created = Analyser::create(Options);
    if (!Created)
      return reportError(Created.takeError());
    return showConfiguration(**Created);
  }
  if (Line.RunMode != Mode::Link && BuildPath.empty() && !Line.HasCompilerArgs && Sources.empty())
    return usageError("nothing to analyse: pass -p <build dir> and/or source files "
                      "(see --help)");

  std::optional<ProgressLine> Progress;
  bool OnTerminal = sys::Process::StandardErrIsDisplayed() && !sys::Process::GetEnv("CI");
  if (!Quiet && (Verbose || OnTerminal)) {
    Progress.emplace(/*Persistent=*/Verbose.getValue());
    Options.OnTranslationUnit = [&](const ExtractionProgress& P) { Progress->update(P); };
  }
  // Extraction runs on a pool of worker processes forked from a server
  // started now, while this process is small and single-threaded.
  if (Line.RunMode != Mode::Link) {
    try {
      Options.Server = ForkServer::start();
    } catch (const std::exception& E) {
      return usageError(Twine("cannot start worker processes: ") + E.what());
    }
    if (!Options.CacheDir.empty())
      Options.ToolIdentity = toolIdentity(argv[0]);
  }
  auto Created = Analyser::create(Options);
  if (!Created)
    return reportError(Created.takeError());
  Analyser& Run = **Created;

  auto Extracted = factsOf(Line, Run, Progress);
  if (!Extracted)
    return reportError(Extracted.takeError());
  if (Line.RunMode == Mode::Extract)
    return finishExtract(*Extracted);

  if (Verbose)
    printUnanalysedFiles(Extracted->TranslationUnits);
  auto Result = Run.analyse(std::move(*Extracted));
  if (!Result)
    return reportError(Result.takeError());
  if (auto Exit = writeReports(*Result, argv[0]))
    return *Exit;
  if (!Quiet)
    printSummary(*Result);
  if (Verbose)
    printStats(Result->Stats, Result->TranslationUnits);
  return exitCode(*Result);
}
