//===- Extractor.h - AST -> Facts for one translation unit ----------------===//
#ifndef TASKFIT_ANALYSIS_EXTRACT_EXTRACTOR_H
#define TASKFIT_ANALYSIS_EXTRACT_EXTRACTOR_H

#include "taskfit/analysis/Facts.h"

namespace clang {
class ASTContext;
}

namespace taskfit {

class RuleSet;

/// Records, for every function this TU defines outside system headers, its
/// coroutine kind, the calls it makes (matched against the blocking rules),
/// and the work it hands to executors. Paths become relative to SourceRoot.
std::vector<FunctionFacts> extractFunctionFacts(clang::ASTContext& Context, const RuleSet& Rules,
                                                llvm::StringRef SourceRoot);

} // namespace taskfit

#endif
