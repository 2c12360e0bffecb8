//===- CompileCommands.cpp ------------------------------------------------===//

#include "taskfit/analysis/CompileCommands.h"

#include "clang/Driver/Options.h"
#include "clang/Tooling/ArgumentsAdjusters.h"
#include "clang/Tooling/CompilationDatabase.h"
#include "clang/Tooling/JSONCompilationDatabase.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Option/ArgList.h"
#include "llvm/Option/OptTable.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <algorithm>

#ifndef TASKFIT_CLANG_RESOURCE_DIR
#define TASKFIT_CLANG_RESOURCE_DIR ""
#endif

namespace taskfit {

std::string defaultResourceDir() {
  return TASKFIT_CLANG_RESOURCE_DIR;
}

static std::string absolute(llvm::StringRef Path) {
  llvm::SmallString<256> Abs(Path);
  llvm::sys::fs::make_absolute(Abs);
  llvm::sys::path::remove_dots(Abs, /*remove_dot_dot=*/true);
  return std::string(Abs);
}

llvm::Expected<std::vector<CompileJob>> collectCompileJobs(const CompileJobRequest& Request) {
  std::vector<CompileJob> Jobs;
  if (Request.DatabaseDir.empty()) {
    if (!Request.HasFixedArgs)
      return llvm::createStringError(
          std::errc::invalid_argument,
          "error: no compilation database: pass -p <build dir> (the folder holding "
          "compile_commands.json) or compiler arguments after '--'");
    if (Request.Sources.empty())
      return llvm::createStringError(std::errc::invalid_argument, "error: no source files given");
    for (const std::string& Source : Request.Sources) {
      std::string File = absolute(Source);
      if (!llvm::sys::fs::exists(File))
        return llvm::createStringError(std::errc::no_such_file_or_directory,
                                       "%s: error: no such file", Source.c_str());
      llvm::SmallString<256> Cwd;
      llvm::sys::fs::current_path(Cwd);
      Jobs.push_back({File, std::string(Cwd), {"clang++", File}});
    }
    return Jobs;
  }

  llvm::SmallString<256> DbPath(Request.DatabaseDir);
  if (llvm::sys::path::filename(DbPath) != "compile_commands.json")
    llvm::sys::path::append(DbPath, "compile_commands.json");
  if (!llvm::sys::fs::exists(DbPath))
    return llvm::createStringError(std::errc::no_such_file_or_directory,
                                   "%s: error: no compilation database here (expected a "
                                   "compile_commands.json, e.g. from CMake's "
                                   "-DCMAKE_EXPORT_COMPILE_COMMANDS=ON)",
                                   std::string(DbPath).c_str());
  std::string Error;
  auto Db = clang::tooling::JSONCompilationDatabase::loadFromFile(
      DbPath, Error, clang::tooling::JSONCommandLineSyntax::AutoDetect);
  if (!Db)
    return llvm::createStringError(std::errc::invalid_argument,
                                   "%s: error: malformed compilation database: %s",
                                   std::string(DbPath).c_str(), Error.c_str());

  std::vector<std::string> Files;
  if (Request.Sources.empty()) {
    Files = Db->getAllFiles();
  } else {
    for (const std::string& Source : Request.Sources)
      Files.push_back(absolute(Source));
  }
  llvm::StringSet<> Seen;
  for (const std::string& File : Files) {
    std::vector<clang::tooling::CompileCommand> Commands = Db->getCompileCommands(File);
    if (Commands.empty() && Request.SkipUnlisted)
      continue;
    if (Commands.empty())
      return llvm::createStringError(std::errc::invalid_argument,
                                     "%s: error: not in the compilation database %s", File.c_str(),
                                     std::string(DbPath).c_str());
    // A file compiled several ways is analysed once, with its first command.
    const clang::tooling::CompileCommand& Command = Commands.front();
    std::string Abs = File;
    if (llvm::sys::path::is_relative(Abs)) {
      llvm::SmallString<256> Joined(Command.Directory);
      llvm::sys::path::append(Joined, File);
      Abs = absolute(Joined);
    }
    if (!Seen.insert(Abs).second)
      continue;
    Jobs.push_back({Abs, Command.Directory, Command.CommandLine});
  }
  std::sort(Jobs.begin(), Jobs.end(),
            [](const CompileJob& A, const CompileJob& B) { return A.File < B.File; });
  if (Jobs.empty())
    return llvm::createStringError(std::errc::invalid_argument,
                                   "%s: error: the compilation database lists no files",
                                   std::string(DbPath).c_str());
  return Jobs;
}

/// Drops what clang's driver does not know (g++-only flags such as
/// -fno-canonical-system-headers), keeping defines, include paths and the language mode.
static std::vector<std::string> dropForeignArguments(const std::vector<std::string>& Args) {
  if (Args.empty())
    return Args;
  std::vector<const char*> Argv;
  for (size_t I = 1; I < Args.size(); ++I)
    Argv.push_back(Args[I].c_str());
  const llvm::opt::OptTable& Table = clang::driver::getDriverOptTable();
  unsigned MissingIndex = 0, MissingCount = 0;
  llvm::opt::InputArgList Parsed = Table.ParseArgs(
      Argv, MissingIndex, MissingCount, llvm::opt::Visibility(clang::driver::options::ClangOption));
  std::vector<bool> Drop(Argv.size(), false);
  for (const llvm::opt::Arg* A : Parsed.filtered(clang::driver::options::OPT_UNKNOWN))
    Drop[A->getIndex()] = true;
  std::vector<std::string> Out{Args.front()};
  for (size_t I = 0; I < Argv.size(); ++I)
    if (!Drop[I])
      Out.push_back(Argv[I]);
  return Out;
}

static bool isCxx20OrLater(const std::vector<std::string>& Args) {
  bool Cxx20 = false;
  for (llvm::StringRef A : Args)
    if (A.consume_front("-std=") || A.consume_front("--std="))
      Cxx20 = A.ends_with("++20") || A.ends_with("++2a") || A.ends_with("++23") ||
              A.ends_with("++2b") || A.ends_with("++26") || A.ends_with("++2c");
  return Cxx20;
}

static bool defines(const std::vector<std::string>& Args, llvm::StringRef Macro) {
  for (llvm::StringRef A : Args)
    if (A.consume_front("-D") && (A == Macro || A.starts_with((Macro + "=").str())))
      return true;
  return false;
}

std::vector<std::string> adjustArguments(const std::vector<std::string>& Arguments,
                                         llvm::StringRef ResourceDir,
                                         const std::vector<std::string>& ExtraArgs) {
  using namespace clang::tooling;
  std::vector<std::string> Args = dropForeignArguments(Arguments);
  for (const ArgumentsAdjuster& Adjust :
       {getClangStripOutputAdjuster(), getClangStripDependencyFileAdjuster(),
        getClangSyntaxOnlyAdjuster()})
    Args = Adjust(Args, "");
  Args.insert(Args.end(), ExtraArgs.begin(), ExtraArgs.end());
  // Standalone Asio 1.22 only enables its C++20 coroutines under clang when
  // libc++'s experimental header exists; with libstdc++ asio::awaitable would
  // vanish and every coroutine with it. The code is C++20 either way.
  if (isCxx20OrLater(Args) && !defines(Args, "ASIO_HAS_CO_AWAIT")) {
    Args.push_back("-DASIO_HAS_CO_AWAIT=1");
    if (!defines(Args, "ASIO_HAS_STD_COROUTINE"))
      Args.push_back("-DASIO_HAS_STD_COROUTINE=1");
  }
  Args.push_back("-w"); // Warnings, and -Werror on them, are not ours to report.
  Args.push_back("-Wno-error");
  Args.push_back("-fno-caret-diagnostics"); // Also silences clang's "N errors generated".
  if (!ResourceDir.empty())
    Args.push_back(("-resource-dir=" + ResourceDir).str());
  return Args;
}

} // namespace taskfit
