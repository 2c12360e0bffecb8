//===- CompileCommands.h - From compile_commands.json to clang invocations -===//
//
// Users' databases usually come from g++ builds. Clang must parse them anyway:
// arguments clang does not know are dropped, outputs and dependency files are
// removed, the resource directory is set explicitly so builtin headers are
// found wherever taskfit lives, and known library quirks are compensated.
//
//===----------------------------------------------------------------------===//
#ifndef TASKFIT_ANALYSIS_COMPILECOMMANDS_H
#define TASKFIT_ANALYSIS_COMPILECOMMANDS_H

#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace taskfit {

struct CompileJob {
  std::string File;                   ///< Absolute path of the main file.
  std::string Directory;              ///< The working directory of the command.
  std::vector<std::string> Arguments; ///< argv, including argv[0] and the file.
};

struct CompileJobRequest {
  std::string DatabaseDir;            ///< `-p`; empty to use Fixed or discovery.
  std::vector<std::string> Sources;   ///< Empty: every file of the database.
  std::vector<std::string> ExtraArgs; ///< After `--`.
  bool HasFixedArgs = false;          ///< `--` was given: no database needed.
  /// Sources the database does not list (headers, say) are skipped, not errors.
  bool SkipUnlisted = false;
};

/// The jobs to run, sorted by file. Errors (missing or malformed database,
/// a source the database does not know) are usage errors.
llvm::Expected<std::vector<CompileJob>> collectCompileJobs(const CompileJobRequest& Request);

/// Makes a job's arguments fit for an in-process clang 19 syntax-only parse.
std::vector<std::string> adjustArguments(const std::vector<std::string>& Arguments,
                                         llvm::StringRef ResourceDir,
                                         const std::vector<std::string>& ExtraArgs);

/// The resource directory of the clang taskfit was built against.
std::string defaultResourceDir();

} // namespace taskfit

#endif
