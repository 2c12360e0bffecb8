//===- Config.h - .taskfit.yaml: checks, options, rule packs, entry points -===//
#ifndef TASKFIT_ANALYSIS_CONFIG_H
#define TASKFIT_ANALYSIS_CONFIG_H

#include "llvm/Support/Error.h"

#include <map>
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
  /// Code outside the project though in its tree (vendored libraries),
  /// absolute paths or globs: like system headers, judged by the rule packs'
  /// contract for their APIs, their bodies never walked.
  std::vector<std::string> ThirdParty;
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

} // namespace taskfit

#endif
