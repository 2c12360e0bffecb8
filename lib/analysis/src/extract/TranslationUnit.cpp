//===- TranslationUnit.cpp ------------------------------------------------===//

#include "extract/TranslationUnit.h"

#include "extract/Extractor.h"
#include "knowledge/RuleSet.h"

#include "clang/AST/ASTConsumer.h"
#include "clang/AST/ASTContext.h"
#include "clang/Basic/Diagnostic.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendAction.h"
#include "clang/Tooling/CompilationDatabase.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/Support/CrashRecoveryContext.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/VirtualFileSystem.h"

#include <algorithm>

namespace taskfit {
namespace {

/// Keeps clang's first errors instead of printing them.
class ErrorCollector : public clang::DiagnosticConsumer {
public:
  ErrorCollector(llvm::StringRef Root, unsigned Max) : Root(Root), Max(Max) {}

  void HandleDiagnostic(clang::DiagnosticsEngine::Level Level,
                        const clang::Diagnostic& Info) override {
    DiagnosticConsumer::HandleDiagnostic(Level, Info);
    if (Level < clang::DiagnosticsEngine::Error || Errors.size() >= Max)
      return;
    llvm::SmallString<256> Message;
    Info.FormatDiagnostic(Message);
    ParseDiagnostic D;
    D.Message = std::string(Message);
    if (Info.getLocation().isValid() && Info.hasSourceManager()) {
      const clang::SourceManager& SM = Info.getSourceManager();
      clang::PresumedLoc P = SM.getPresumedLoc(SM.getFileLoc(Info.getLocation()));
      if (P.isValid())
        D.Loc = {relativeToRoot(P.getFilename(), Root), P.getLine(), P.getColumn()};
    }
    Errors.push_back(std::move(D));
  }

  std::vector<ParseDiagnostic> Errors;

private:
  std::string Root;
  unsigned Max;
};

/// Every file the TU read, made absolute against the command's directory.
std::vector<std::string> inputFiles(const clang::SourceManager& SM, llvm::StringRef Directory) {
  std::vector<std::string> Inputs;
  for (auto It = SM.fileinfo_begin(); It != SM.fileinfo_end(); ++It) {
    llvm::SmallString<256> Path(It->first.getName());
    if (!llvm::sys::path::is_absolute(Path))
      llvm::sys::fs::make_absolute(Directory, Path);
    // `..` stays: lexically, /lib/gcc/x/12/../../../../include is /include,
    // but where /lib links to /usr/lib it is /usr/include.
    llvm::sys::path::remove_dots(Path, /*remove_dot_dot=*/false);
    Inputs.push_back(std::string(Path));
  }
  std::sort(Inputs.begin(), Inputs.end());
  Inputs.erase(std::unique(Inputs.begin(), Inputs.end()), Inputs.end());
  return Inputs;
}

/// What the action of one TU needs, and where its functions go.
struct ExtractTarget {
  const RuleSet& Rules;
  const ExtractSettings& Settings;
  std::string Directory;
  TUFacts& Out;
};

class ExtractConsumer : public clang::ASTConsumer {
public:
  explicit ExtractConsumer(const ExtractTarget& Target) : Target(Target) {}

  void HandleTranslationUnit(clang::ASTContext& Context) override {
    if (Context.getDiagnostics().hasErrorOccurred())
      return; // A broken AST would mislead: the TU is reported incomplete instead.
    Target.Out.Functions = extractFunctionFacts(Context, Target.Rules, Target.Settings.SourceRoot,
                                                Target.Settings.ThirdParty);
    Target.Out.Inputs = inputFiles(Context.getSourceManager(), Target.Directory);
  }

private:
  const ExtractTarget& Target;
};

class ExtractAction : public clang::ASTFrontendAction {
public:
  explicit ExtractAction(const ExtractTarget& Target) : Target(Target) {}

  std::unique_ptr<clang::ASTConsumer> CreateASTConsumer(clang::CompilerInstance&,
                                                        llvm::StringRef) override {
    return std::make_unique<ExtractConsumer>(Target);
  }

private:
  const ExtractTarget& Target;
};

class ExtractActionFactory : public clang::tooling::FrontendActionFactory {
public:
  explicit ExtractActionFactory(const ExtractTarget& Target) : Target(Target) {}
  std::unique_ptr<clang::FrontendAction> create() override {
    return std::make_unique<ExtractAction>(Target);
  }

private:
  const ExtractTarget& Target;
};

/// Exactly one command for one file: the job's, already adjusted.
class SingleCommandDatabase : public clang::tooling::CompilationDatabase {
public:
  explicit SingleCommandDatabase(clang::tooling::CompileCommand Command)
      : Command(std::move(Command)) {}
  std::vector<clang::tooling::CompileCommand> getCompileCommands(llvm::StringRef) const override {
    return {Command};
  }

private:
  clang::tooling::CompileCommand Command;
};

} // namespace

std::string relativeToRoot(llvm::StringRef Path, llvm::StringRef Root) {
  llvm::StringRef Relative = Path;
  if (!Root.empty() && Relative.consume_front(Root) &&
      (Relative.empty() || llvm::sys::path::is_separator(Relative.front())))
    return Relative.drop_while([](char C) { return llvm::sys::path::is_separator(C); }).str();
  return Path.str();
}

TUFacts extractTranslationUnit(const CompileJob& Job, const RuleSet& Rules,
                               const ExtractSettings& Settings) {
  TUFacts Facts;
  Facts.MainFile = relativeToRoot(Job.File, Settings.SourceRoot);

  clang::tooling::CompileCommand Command;
  Command.Directory = Job.Directory;
  Command.Filename = Job.File;
  Command.CommandLine = adjustArguments(Job.Arguments, Settings.ResourceDir, Settings.ExtraArgs);
  SingleCommandDatabase Db(Command);

  ErrorCollector Errors(Settings.SourceRoot, Settings.MaxReportedErrors);
  TUFacts Extracted;
  int Status = 1;
  llvm::CrashRecoveryContext Recovery;
  bool Survived = Recovery.RunSafely([&] {
    clang::tooling::ClangTool Tool(Db, {Job.File},
                                   std::make_shared<clang::PCHContainerOperations>(),
                                   llvm::vfs::createPhysicalFileSystem());
    Tool.clearArgumentsAdjusters(); // The command line is final already.
    Tool.setDiagnosticConsumer(&Errors);
    Tool.setPrintErrorMessage(false);
    ExtractTarget Target{Rules, Settings, Job.Directory, Extracted};
    ExtractActionFactory Factory(Target);
    Status = Tool.run(&Factory);
  });

  if (!Survived) {
    Facts.Complete = false;
    Facts.Errors = std::move(Errors.Errors);
    Facts.Errors.push_back({{Facts.MainFile, 0, 0}, "clang crashed while parsing this file"});
    return Facts;
  }
  if (Status != 0 || Errors.getNumErrors() > 0) {
    Facts.Complete = false;
    Facts.Errors = std::move(Errors.Errors);
    if (Facts.Errors.empty())
      Facts.Errors.push_back({{Facts.MainFile, 0, 0}, "clang could not parse this file"});
    return Facts;
  }
  Facts.Functions = std::move(Extracted.Functions);
  Facts.Inputs = std::move(Extracted.Inputs);
  Facts.normalise();
  return Facts;
}

} // namespace taskfit
