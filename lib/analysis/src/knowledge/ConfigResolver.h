//===- ConfigResolver.h - Which .taskfit.yaml governs a file ---------------===//
#ifndef TASKFIT_ANALYSIS_KNOWLEDGE_CONFIGRESOLVER_H
#define TASKFIT_ANALYSIS_KNOWLEDGE_CONFIGRESOLVER_H

#include "taskfit/analysis/Config.h"

#include "llvm/ADT/StringMap.h"

#include <memory>
#include <mutex>

namespace taskfit {

/// Finds the `.taskfit.yaml` that governs a file by walking up its folders;
/// caches per folder, so each config file is read once. A fixed config
/// (`--config`) short-circuits discovery.
class ConfigResolver {
public:
  explicit ConfigResolver(std::shared_ptr<const Config> Fixed = nullptr);

  llvm::Expected<std::shared_ptr<const Config>> forFile(llvm::StringRef AbsolutePath);

  /// Every config file read so far, sorted by path.
  std::vector<std::shared_ptr<const Config>> loaded() const;

  /// The fixed config, or null.
  const Config* fixed() const { return Fixed.get(); }

private:
  llvm::Expected<std::shared_ptr<const Config>> forDirectory(llvm::StringRef Dir);

  std::shared_ptr<const Config> Fixed;
  std::shared_ptr<const Config> Defaults;
  llvm::StringMap<std::shared_ptr<const Config>> ByDirectory;
  mutable std::mutex Lock;
};

} // namespace taskfit

#endif
