//===- Knowledge.h - What a run knows: configs, rule packs, the matrix ----===//
//
// The knowledge stage: everything a run reads besides the sources, resolved
// once and shared by every other stage. Configs are discovered per folder and
// read once; each distinct list of packs is loaded once; the decision matrix
// is loaded once, from the configs of the run's files and the default.
//
//===----------------------------------------------------------------------===//
#ifndef TASKFIT_ANALYSIS_KNOWLEDGE_KNOWLEDGE_H
#define TASKFIT_ANALYSIS_KNOWLEDGE_KNOWLEDGE_H

#include "knowledge/ConfigResolver.h"
#include "knowledge/RuleSet.h"
#include "taskfit/analysis/DecisionMatrix.h"

#include <map>

namespace taskfit {

struct KnowledgeOptions {
  std::string RulesDir;                ///< Default packs.
  std::vector<std::string> ExtraRules; ///< `--rules`, after the defaults.
  std::string ConfigFile;              ///< `--config`: one config for every file.
  std::string Checks;                  ///< `--checks`, applied after each config's.
  std::string SourceRoot;              ///< Facts' relative paths are relative to it.
};

class Knowledge {
public:
  /// Reads the fixed config, if there is one. Errors are configuration errors.
  static llvm::Expected<std::unique_ptr<Knowledge>> open(KnowledgeOptions Options);

  const KnowledgeOptions& options() const { return Options; }

  /// The config that governs a file (absolute, or as Facts name it).
  llvm::Expected<const Config*> configFor(llvm::StringRef File);

  /// The same, for the checks and the filter: a file whose config cannot be
  /// read was reported when its TU's config was resolved; it gets the defaults.
  const Config& settingsFor(llvm::StringRef File);

  /// The packs a config adds after the defaults: `--rules`, then its own.
  std::vector<std::string> packsFor(const Config& C) const;

  /// The default packs, `--rules` and the config's, loaded once per list.
  llvm::Expected<const RuleSet*> rulesFor(const Config& C);

  /// The files whose content shapes a TU's facts besides its own inputs: the
  /// packs, the serialisation pack and the config (for cache keys).
  std::vector<std::string> shapingFiles(const Config& C, const RuleSet& Rules) const;

  /// The decision matrix: the rows of every config read so far (the users'
  /// first), then the default matrix's. Loaded on the first call.
  llvm::Expected<std::shared_ptr<const DecisionMatrix>> matrix();

  /// Whether a check runs on a file governed by C (its `checks:`, then `--checks`).
  bool checkEnabled(const Config& C, llvm::StringRef CheckId) const;

  /// The deepest call chain followed: the fixed config's, else the largest of
  /// the configs read.
  unsigned maxCallDepth() const;

  /// Every config's event-loop entry points.
  std::vector<std::string> eventLoopEntryPoints() const;

  /// The config every file gets when discovery is off (`--config`), or null.
  const Config* fixedConfig() const { return Configs.fixed(); }

  /// Every config file read so far.
  std::vector<std::shared_ptr<const Config>> configsRead() const { return Configs.loaded(); }

private:
  Knowledge(KnowledgeOptions Options, std::shared_ptr<const Config> Fixed);
  std::string absolute(llvm::StringRef File) const;

  KnowledgeOptions Options;
  ConfigResolver Configs;
  std::map<std::vector<std::string>, std::unique_ptr<RuleSet>> RuleSets;
  std::shared_ptr<const DecisionMatrix> Matrix;
};

} // namespace taskfit

#endif
