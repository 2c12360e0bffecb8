//===- SourceFiles.h - Source lines, read on demand -----------------------===//
#ifndef TASKFIT_ANALYSIS_SOURCEFILES_H
#define TASKFIT_ANALYSIS_SOURCEFILES_H

#include "llvm/ADT/StringMap.h"

#include <string>
#include <vector>

namespace taskfit {

/// Source files read on demand, split into lines; shared by the NOLINT filter
/// and the emitters (SARIF needs code-point columns, text shows the line).
class SourceFiles {
public:
  explicit SourceFiles(std::string Root) : Root(std::move(Root)) {}

  /// The 1-based line of a file named as in Facts, or empty.
  llvm::StringRef line(llvm::StringRef File, unsigned Line);
  const std::vector<std::string>& lines(llvm::StringRef File);
  std::string absolute(llvm::StringRef File) const;

private:
  std::string Root;
  llvm::StringMap<std::vector<std::string>> Cache;
};

} // namespace taskfit

#endif
