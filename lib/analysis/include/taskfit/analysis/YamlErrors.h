//===- YamlErrors.h - YAML parsing with located, explained errors ---------===//
//
// Rule packs and config files share one error style:
//   rules/extra.yaml:12:5: error: unknown role 'fast' (expected: role: io|cpu|...)
// yaml-cpp reports positions as 0-based marks and throws; this turns both into
// llvm::Errors with 1-based positions, so no input can escape as an exception.
//
//===----------------------------------------------------------------------===//
#ifndef TASKFIT_ANALYSIS_YAMLERRORS_H
#define TASKFIT_ANALYSIS_YAMLERRORS_H

#include "llvm/Support/Error.h"

#include <functional>
#include <string>
#include <yaml-cpp/yaml.h>

namespace taskfit {

/// The text of a YAML file, or `file: error: cannot read <What>: <reason>`.
llvm::Expected<std::string> readYamlFile(llvm::StringRef Path, llvm::StringRef What);

struct YamlContext {
  std::string File;

  llvm::Expected<YAML::Node> parse(llvm::StringRef Text) const;

  /// `file:line:col: error: Message (expected: Shape)`, at Node's position.
  llvm::Error error(const YAML::Node& Node, const llvm::Twine& Message,
                    llvm::StringRef Shape) const;

  /// Runs Body, turning any yaml-cpp exception it throws into a located error.
  llvm::Error guard(const std::function<llvm::Error()>& Body) const;
};

/// The frame of a YAML loader: parses Text (read from File) and runs Load on its root, with
/// yaml-cpp's exceptions turned into located errors.
llvm::Error loadYaml(llvm::StringRef Text, llvm::StringRef File,
                     const std::function<llvm::Error(const YamlContext&, const YAML::Node&)>& Load);

} // namespace taskfit

#endif
