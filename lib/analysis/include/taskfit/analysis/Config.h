//===- Config.h - .taskfit.yaml: checks, options, rule packs, entry points -===//
#ifndef TASKFIT_ANALYSIS_CONFIG_H
#define TASKFIT_ANALYSIS_CONFIG_H

#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Error.h"

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace taskfit {

inline constexpr const char* ConfigFileName = ".taskfit.yaml";

struct Config {
  std::string Path;               ///< Where it was read from; empty for the defaults.
  std::string Checks = "*";       ///< clang-tidy style globs.
  std::vector<std::string> Rules; ///< Extra rule packs, absolute paths.
  std::string DecisionMatrix;     ///< A user matrix, tried before the default; absolute.
  std::vector<std::string> EventLoopEntryPoints; ///< Qualified names or globs.
  unsigned MaxCallDepth = 32;
  /// A loop with a constant trip count up to this is too short to monopolise a thread.
  int64_t SmallTripCount = 16;
  /// A loop body with fewer operations (calls, assignments, declarations),
  /// no nested loop and no call into the program's own code is trivial.
  int MinLoopOperations = 3;
  /// check id -> option name -> values (a scalar option is a one-element list).
  std::map<std::string, std::map<std::string, std::vector<std::string>>> CheckOptions;

  const std::vector<std::string>* option(llvm::StringRef Check, llvm::StringRef Name) const;

  /// The configuration as YAML, in the file format (for --dump-config).
  std::string toYAML() const;
};

llvm::Expected<Config> loadConfigFile(llvm::StringRef Path);
llvm::Expected<Config> parseConfig(llvm::StringRef Text, llvm::StringRef Path);

/// Finds the `.taskfit.yaml` that governs a file by walking up its folders;
/// caches per folder. A fixed config (`--config`) short-circuits discovery.
class ConfigResolver {
public:
  explicit ConfigResolver(std::shared_ptr<const Config> Fixed = nullptr);

  llvm::Expected<std::shared_ptr<const Config>> forFile(llvm::StringRef AbsolutePath);

  /// Every config file read so far.
  std::vector<std::shared_ptr<const Config>> loaded() const;

private:
  llvm::Expected<std::shared_ptr<const Config>> forDirectory(llvm::StringRef Dir);

  std::shared_ptr<const Config> Fixed;
  std::shared_ptr<const Config> Defaults;
  llvm::StringMap<std::shared_ptr<const Config>> ByDirectory;
  mutable std::mutex Lock;
};

/// clang-tidy's check selection: `-*,blocking-*,-blocking-call-on-event-loop`.
class CheckFilter {
public:
  explicit CheckFilter(llvm::StringRef Globs);
  CheckFilter(llvm::StringRef Base, llvm::StringRef Override); ///< Override's globs apply last.
  bool enabled(llvm::StringRef CheckId) const;

private:
  std::vector<std::pair<bool, std::string>> Globs; ///< (enable?, pattern), later wins.
};

} // namespace taskfit

#endif
