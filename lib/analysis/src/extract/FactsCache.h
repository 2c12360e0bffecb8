//===- FactsCache.h - Each TU's Facts, kept until an input changes --------===//
//
// ccache's "direct mode", for Facts. An entry's key covers what is known
// before parsing: the tool's build, the TU's file, working directory and
// arguments as clang sees them, and the content of the rule packs and config
// that shape its facts. The entry records the content hash of every file the
// TU read (its preprocessed input: main file and headers), and is reused only
// while all of them are unchanged, so a header edit re-extracts exactly the
// TUs that include it.
//
// Entries are written atomically (a unique temporary file, then rename), so
// concurrent runs, shards and build actions can share one folder.
//
//===----------------------------------------------------------------------===//
#ifndef TASKFIT_ANALYSIS_EXTRACT_FACTSCACHE_H
#define TASKFIT_ANALYSIS_EXTRACT_FACTSCACHE_H

#include "taskfit/analysis/CompileCommands.h"
#include "taskfit/analysis/Facts.h"

#include "llvm/ADT/StringMap.h"

#include <optional>

namespace taskfit {

class FactsCache {
public:
  /// Opens the folder, creating it. Identity names the tool's build: an entry
  /// written by another build is never reused.
  static llvm::Expected<FactsCache> open(llvm::StringRef Dir, std::string Identity);

  /// The key of a job. Arguments are the adjusted ones; ShapingFiles are the
  /// rule packs and config whose content changes the facts.
  std::string key(const CompileJob& Job, const std::vector<std::string>& Arguments,
                  const std::vector<std::string>& ShapingFiles);

  /// The facts stored under Key, when every input they were extracted from is
  /// unchanged.
  std::optional<TUFacts> lookup(llvm::StringRef Key);

  /// Stores complete facts (a failed TU is tried again next time). A cache
  /// that cannot be written only costs time: the error is returned for the
  /// caller to mention, never to stop on.
  llvm::Error store(llvm::StringRef Key, const TUFacts& Facts);

  /// The content hash of a file (hex), or empty when unreadable. Memoised:
  /// each file is read once per run.
  std::string contentHash(llvm::StringRef Path);

private:
  FactsCache(std::string Dir, std::string Identity)
      : Dir(std::move(Dir)), Identity(std::move(Identity)) {}
  std::string entryPath(llvm::StringRef Key) const;

  std::string Dir;
  std::string Identity;
  llvm::StringMap<std::string> Hashes;
};

} // namespace taskfit

#endif
