//===- PayloadAssessment.h - Whether a submission's payload can cross -----===//
//
// Called by the extractor for each submission: reads the callable and the
// payload arguments of a call matched by an executor rule and records in the
// Submission whether they could cross a process boundary, and why not. For a
// process boundary the reasons become findings of
// non-serialisable-process-payload; for a thread pool they say whether the
// task shares memory with its submitter (the decision matrix's payload column).
//
//===----------------------------------------------------------------------===//
#ifndef TASKFIT_ANALYSIS_EXTRACT_PAYLOADASSESSMENT_H
#define TASKFIT_ANALYSIS_EXTRACT_PAYLOADASSESSMENT_H

#include "extract/ArgumentPredicates.h"
#include "extract/Serialisability.h"
#include "knowledge/RuleSet.h"
#include "taskfit/analysis/Facts.h"

#include <memory>

namespace taskfit {

class PayloadAssessor {
public:
  PayloadAssessor(clang::ASTContext& Context, const SerialisationRules* Rules);

  /// Whether a rule's `boundary-if` holds for this call (always, without one).
  bool applies(const ExecutorRule& Rule, const CallView& Call);

  /// Fills S.Payload and S.PayloadProblems. Named is the callable named at
  /// compile time (`submit<&fn>`), Passed the callable expression given at run
  /// time, either may be null.
  void assess(Submission& S, const ExecutorRule& Rule, const CallView& Call,
              const clang::FunctionDecl* Named, const clang::Expr* Passed);

private:
  bool comesFrom(const clang::Expr* E, const ExecutorRule::Origin& Origin, unsigned Depth);
  void add(Submission& S, PayloadSubject Subject, clang::QualType Type, PayloadMode Mode,
           bool RequireProtocol);
  void callable(Submission& S, const CallView& Call, const clang::FunctionDecl* Named,
                const clang::Expr* Passed);
  void threadCaptures(Submission& S, const std::string& Api, const clang::Expr* Passed);
  void arguments(Submission& S, const ExecutorRule& Rule, const CallView& Call,
                 const clang::FunctionDecl* Params, const clang::Expr* Passed, PayloadMode Mode,
                 bool RequireProtocol);

  clang::ASTContext& Context;
  const SerialisationRules* Rules;
  std::unique_ptr<SerialisabilityWalker> Walker;
  bool Shares = false; ///< Of the submission being assessed.
  bool Unknown = false;
};

} // namespace taskfit

#endif
