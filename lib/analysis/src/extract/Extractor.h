//===- Extractor.h - AST -> Facts for one translation unit ----------------===//
#ifndef TASKFIT_ANALYSIS_EXTRACT_EXTRACTOR_H
#define TASKFIT_ANALYSIS_EXTRACT_EXTRACTOR_H

#include "taskfit/analysis/Facts.h"

namespace clang {
class ASTContext;
}

namespace taskfit {

class RuleSet;

/// Records, for every function this TU defines in the project (outside
/// system headers and the ThirdParty paths, see ProjectBoundary.h), its
/// coroutine kind, the calls it makes (matched against the blocking rules),
/// and the work it hands to executors. Paths become relative to SourceRoot.
std::vector<FunctionFacts> extractFunctionFacts(clang::ASTContext& Context, const RuleSet& Rules,
                                                llvm::StringRef SourceRoot,
                                                const std::vector<std::string>& ThirdParty);

} // namespace taskfit

#endif
