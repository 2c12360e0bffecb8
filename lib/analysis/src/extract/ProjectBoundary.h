//===- ProjectBoundary.h - Which code is the project's --------------------===//
//
// Findings are about the user's code. Code outside the project (system
// headers, and the paths the config marks `third-party:`, such as a vendored
// library) is judged by its contract: the rule packs say what its APIs do;
// its bodies are never walked for locks, loops and bookkeeping, so its
// internals never become evidence against the code that calls it.
//
//===----------------------------------------------------------------------===//
#ifndef TASKFIT_ANALYSIS_EXTRACT_PROJECTBOUNDARY_H
#define TASKFIT_ANALYSIS_EXTRACT_PROJECTBOUNDARY_H

#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/DenseMap.h"

#include <string>
#include <vector>

namespace taskfit {

class ProjectBoundary {
public:
  /// ThirdParty: absolute paths (a folder covers what is under it) or globs.
  ProjectBoundary(const clang::SourceManager& SM, std::vector<std::string> ThirdParty)
      : SM(SM), ThirdParty(std::move(ThirdParty)) {}

  /// Whether Loc (where a declaration is written; a macro's expansion counts
  /// where it is expanded) lies outside the project.
  bool outside(clang::SourceLocation Loc);

private:
  const clang::SourceManager& SM;
  std::vector<std::string> ThirdParty;
  llvm::DenseMap<clang::FileID, bool> Outside;
};

} // namespace taskfit

#endif
