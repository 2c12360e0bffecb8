//===- Check.h - The interface every check implements ---------------------===//
//
// As in clang-tidy, a check is one small class in one file with an id, a
// default level, a doc page (docs/checks/<id>.md) and options; it is listed
// once in CheckRegistry.cpp. Unlike clang-tidy, checks read whole-program
// summaries, not one TU's AST.
//
//===----------------------------------------------------------------------===//
#ifndef TASKFIT_ANALYSIS_CHECK_H
#define TASKFIT_ANALYSIS_CHECK_H

#include "taskfit/analysis/BlockingSummaries.h"
#include "taskfit/analysis/Config.h"
#include "taskfit/analysis/Contexts.h"
#include "taskfit/analysis/CpuSummaries.h"
#include "taskfit/analysis/Finding.h"
#include "taskfit/analysis/Workload.h"

#include <functional>
#include <memory>

namespace taskfit {

/// What checks read: the linked program, its summaries and contexts, and the
/// configuration that governs each file.
struct AnalysisContext {
  const Program& Prog;
  const BlockingSummaries& Blocking;
  const std::vector<ContextRoot>& Roots;
  /// The config for a file of the program (relative to the source root).
  std::function<const Config&(llvm::StringRef File)> ConfigFor;
  const CpuSummaries& Cpu;
  const std::vector<TaskSite>& Tasks;
};

class Check {
public:
  virtual ~Check() = default;
  virtual const CheckInfo& info() const = 0;
  virtual void run(const AnalysisContext& Context, std::vector<Finding>& Out) const = 0;

  llvm::StringRef id() const { return info().Id; }
};

/// Every check taskfit has, in a stable order.
const std::vector<std::unique_ptr<Check>>& allChecks();

} // namespace taskfit

#endif
