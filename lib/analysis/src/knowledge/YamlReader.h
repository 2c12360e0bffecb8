//===- YamlReader.h - One kit for every YAML file taskfit reads ------------===//
//
// Rule packs, the serialisation pack, the decision matrix and config files are
// read with the same kit, so they share one error style:
//   rules/extra.yaml:12:5: error: unknown role 'fast' (expected: role: io|cpu|...)
// yaml-cpp reports positions as 0-based marks and throws; the kit turns both
// into llvm::Errors with 1-based positions, so no input escapes as an
// exception. Each loader keeps only its schema: which keys, which shapes.
//
//===----------------------------------------------------------------------===//
#ifndef TASKFIT_ANALYSIS_KNOWLEDGE_YAMLREADER_H
#define TASKFIT_ANALYSIS_KNOWLEDGE_YAMLREADER_H

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/Support/Error.h"

#include <optional>
#include <string>
#include <vector>
#include <yaml-cpp/yaml.h>

namespace taskfit {

/// Typed reads of one YAML document's nodes. Every read that fails says
/// where, what was wrong, and the shape expected there.
class YamlReader {
public:
  explicit YamlReader(std::string File) : File(std::move(File)) {}

  const std::string& file() const { return File; }

  /// `file:line:col: error: Message (expected: Shape)`, at Node's position.
  llvm::Error error(const YAML::Node& Node, const llvm::Twine& Message,
                    llvm::StringRef Shape) const;

  /// A non-empty string. Shape defaults to the key's name.
  llvm::Expected<std::string> scalar(const YAML::Node& Node, llvm::StringRef Key,
                                     llvm::StringRef Shape = {}) const;

  /// One of Allowed: `unknown <Key> '<value>'` otherwise.
  llvm::Expected<std::string> oneOf(const YAML::Node& Node, llvm::StringRef Key,
                                    llvm::ArrayRef<llvm::StringRef> Allowed,
                                    llvm::StringRef Shape) const;

  /// `true` or `false`; an absent node is false.
  llvm::Expected<bool> flag(const YAML::Node& Node, llvm::StringRef Key) const;

  /// A whole number of at least Min.
  llvm::Expected<unsigned> natural(const YAML::Node& Node, unsigned Min, llvm::StringRef Message,
                                   llvm::StringRef Shape) const;

  /// How strings() reads a node.
  enum class ListForm {
    Sequence,        ///< `[a, b]` only.
    NonEmpty,        ///< `[a, b]` with at least one item, or one scalar `a`.
    SequenceOrScalar ///< `[a, b]` (possibly empty) or one scalar `a`.
  };
  /// A list of non-empty strings, read as Form says.
  llvm::Expected<std::vector<std::string>> strings(const YAML::Node& Node, llvm::StringRef Key,
                                                   ListForm Form) const;

  /// An entry's names: `name: x` or `names: [x, y]`, exactly one of them.
  llvm::Expected<std::vector<std::string>> names(const YAML::Node& Entry,
                                                 llvm::StringRef NameShape) const;

  /// A mapping whose keys are all among Allowed.
  llvm::Error keys(const YAML::Node& Map, llvm::ArrayRef<llvm::StringRef> Allowed,
                   llvm::StringRef Shape) const;

  /// `version: 1`; What names the file's kind in the error.
  llvm::Error version(const YAML::Node& Node, llvm::StringRef What) const;

private:
  std::string File;
};

/// The text of a YAML file, or `file: error: cannot read <What>: <reason>`.
llvm::Expected<std::string> readYamlFile(llvm::StringRef Path, llvm::StringRef What);

using YamlLoad = llvm::function_ref<llvm::Error(const YamlReader&, const YAML::Node&)>;

/// The frame of every loader: parses Text (read from File) and runs Load on
/// its root, with yaml-cpp's exceptions turned into located errors.
llvm::Error loadYaml(llvm::StringRef Text, llvm::StringRef File, YamlLoad Load);

/// Loads Text into a copy of Target and commits the copy only when all of it
/// loaded: a file failing half-way leaves Target unchanged.
template <typename State, typename Loader>
llvm::Error loadYamlInto(State& Target, llvm::StringRef Text, llvm::StringRef File, Loader Load) {
  State Copy = Target;
  if (auto Err = loadYaml(Text, File, [&](const YamlReader& Yaml, const YAML::Node& Root) {
        return Load(Yaml, Root, Copy);
      }))
    return Err;
  Target = std::move(Copy);
  return llvm::Error::success();
}

/// readYamlFile, then Load on its text.
template <typename Loader>
llvm::Error loadYamlFile(llvm::StringRef Path, llvm::StringRef What, Loader Load) {
  auto Text = readYamlFile(Path, What);
  if (!Text)
    return Text.takeError();
  return Load(llvm::StringRef(*Text));
}

} // namespace taskfit

#endif
