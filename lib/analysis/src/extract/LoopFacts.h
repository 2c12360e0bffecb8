//===- LoopFacts.h - What a loop's header and body say about its cost ------===//
#ifndef TASKFIT_ANALYSIS_EXTRACT_LOOPFACTS_H
#define TASKFIT_ANALYSIS_EXTRACT_LOOPFACTS_H

#include "taskfit/analysis/Facts.h"

namespace clang {
class ASTContext;
class Stmt;
} // namespace clang

namespace taskfit {

/// Trip-count evidence and body size of a for, range-for, while or do loop.
/// Location, nesting and suspension points are the caller's to fill.
LoopFact describeLoop(const clang::Stmt* Loop, clang::ASTContext& Context);

/// Calls, assignments, increments and declarations in a body (lambdas excluded).
int countOperations(const clang::Stmt* Body);

} // namespace taskfit

#endif
