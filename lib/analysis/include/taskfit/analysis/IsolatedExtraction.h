//===- IsolatedExtraction.h - One TU per child process --------------------===//
//
// Clang can crash on hostile input (a stack overflow on a 100,000-term
// expression kills clang itself), and a crash cannot be caught in-process
// once the stack is gone. Each TU is therefore parsed in a forked child that
// sends its Facts back as JSON; a child that dies becomes a failed TU that
// names the signal, and the run goes on.
//
//===----------------------------------------------------------------------===//
#ifndef TASKFIT_ANALYSIS_ISOLATEDEXTRACTION_H
#define TASKFIT_ANALYSIS_ISOLATEDEXTRACTION_H

#include "taskfit/analysis/TranslationUnit.h"

namespace taskfit {

TUFacts extractInChildProcess(const CompileJob& Job, const RuleSet& Rules,
                              const ExtractSettings& Settings);

} // namespace taskfit

#endif
