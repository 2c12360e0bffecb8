//===- Check.h - The base every check derives from ------------------------===//
//
// As in clang-tidy, a check is one small class in one file with an id, a
// default level, a doc page (docs/checks/<id>.md) and declared options; it is
// listed once in Checks.def. Unlike clang-tidy, checks read whole-program
// summaries, not one TU's AST. A check only reports: it reads what propagate
// found (evidence as data) and says it in words (Wording.h); report() fills
// the id, the level and the fingerprint.
//
//===----------------------------------------------------------------------===//
#ifndef TASKFIT_ANALYSIS_CHECKS_CHECK_H
#define TASKFIT_ANALYSIS_CHECKS_CHECK_H

#include "filter/Filter.h"
#include "propagate/Propagate.h"
#include "taskfit/analysis/Finding.h"

#include <functional>
#include <memory>

namespace taskfit {

/// What checks read: the linked program, what propagate found, the config
/// that governs each file and, after the filter, what it suppressed.
struct CheckContext {
  const Program& Prog;
  const Propagation& Found;
  /// The config for a file of the program (as Facts name it).
  std::function<const Config&(llvm::StringRef File)> ConfigFor;
  /// Set for checks of the Suppressions stage.
  const SuppressionUse* Suppressions = nullptr;
};

/// When a check runs.
enum class CheckStage {
  Program,      ///< On the linked program; its findings go through the filter.
  Suppressions, ///< After the filter, on the suppressions that matched nothing.
};

/// A finding being reported: the check adds its evidence and what makes its
/// fingerprint distinct; it is recorded when the builder goes out of scope.
class FindingBuilder {
public:
  FindingBuilder(Finding F, std::vector<Finding>& Out) : F(std::move(F)), Out(Out) {}
  FindingBuilder(const FindingBuilder&) = delete;
  FindingBuilder& operator=(const FindingBuilder&) = delete;
  ~FindingBuilder();

  FindingBuilder& level(Level L);
  /// One step of the evidence chain (the first is the primary location's).
  FindingBuilder& step(SourceLoc Loc, std::string Message);
  FindingBuilder& steps(const std::vector<FindingStep>& Steps);
  /// Places that explain the finding without being on its chain (the code
  /// that holds a lock long); shown after the chain, before the context.
  FindingBuilder& related(const std::vector<FindingStep>& Steps);
  /// Where the context comes from (the `asio::post` that makes a lambda run on the loop).
  FindingBuilder& context(const std::vector<FindingStep>& Steps);
  /// What tells this finding apart from the check's others, never a line:
  /// the file, the enclosing function, the API...
  FindingBuilder& fingerprint(std::initializer_list<llvm::StringRef> Parts);

private:
  Finding F;
  std::vector<Finding>& Out;
};

class Check {
public:
  virtual ~Check() = default;

  const CheckInfo& info() const { return Info; }
  llvm::StringRef id() const { return Info.Id; }
  virtual CheckStage stage() const { return CheckStage::Program; }

  /// Runs the check; its findings, in the order reported.
  std::vector<Finding> run(const CheckContext& Context);

protected:
  explicit Check(CheckInfo Info) : Info(std::move(Info)) {}

  virtual void check(const CheckContext& Context) = 0;

  /// A declared option's values in the config that governs File, or null
  /// when that config does not set it.
  const std::vector<std::string>* option(llvm::StringRef File, llvm::StringRef Name) const;

  /// Starts a finding at Loc with this check's id and default level.
  FindingBuilder report(const SourceLoc& Loc, std::string Message);

private:
  CheckInfo Info;
  const CheckContext* Context = nullptr; ///< While running.
  std::vector<Finding> Found;
};

/// A new instance of every check taskfit has, in Checks.def's order.
std::vector<std::unique_ptr<Check>> createChecks();

/// The metadata of every check, in the same order.
const std::vector<CheckInfo>& checkInfos();

} // namespace taskfit

#endif
