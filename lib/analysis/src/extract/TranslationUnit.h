//===- TranslationUnit.h - Parse one TU and extract its Facts -------------===//
#ifndef TASKFIT_ANALYSIS_EXTRACT_TRANSLATIONUNIT_H
#define TASKFIT_ANALYSIS_EXTRACT_TRANSLATIONUNIT_H

#include "taskfit/analysis/CompileCommands.h"
#include "taskfit/analysis/Facts.h"

namespace taskfit {

class RuleSet;

struct ExtractSettings {
  std::string SourceRoot;
  std::string ResourceDir;
  std::vector<std::string> ExtraArgs;
  unsigned MaxReportedErrors = 3;
  /// The config's `third-party:` paths (see ProjectBoundary.h).
  std::vector<std::string> ThirdParty;
};

/// Parses the job's file with clang and extracts its Facts. Never throws or
/// aborts: a TU that fails to parse, or crashes clang, comes back with
/// Complete == false, clang's first errors, and no functions.
TUFacts extractTranslationUnit(const CompileJob& Job, const RuleSet& Rules,
                               const ExtractSettings& Settings);

/// The path Facts use for a file: relative to Root when inside it.
std::string relativeToRoot(llvm::StringRef Path, llvm::StringRef Root);

} // namespace taskfit

#endif
