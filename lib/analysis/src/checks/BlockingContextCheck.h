//===- BlockingContextCheck.h - Blocking calls reached from a context -----===//
//
// The shared core of blocking-call-in-coroutine and blocking-call-on-event-loop:
// for each root of one context kind, every call site in its body that reaches
// a blocking API, directly or through helpers, becomes one finding at that
// call site, with the shortest chain as evidence.
//
// Options (under the check's id in check-options):
//   ignored-categories: [sync-wait, ...]   categories of rules/blocking.yaml to skip
//   ignored-apis: ['std::mutex::lock', 'mylib::*']
//
//===----------------------------------------------------------------------===//
#ifndef TASKFIT_ANALYSIS_CHECKS_BLOCKINGCONTEXTCHECK_H
#define TASKFIT_ANALYSIS_CHECKS_BLOCKINGCONTEXTCHECK_H

#include "checks/Check.h"

namespace taskfit {

class BlockingContextCheck : public Check {
public:
  BlockingContextCheck(CheckInfo Info, ContextKind Kind);

protected:
  void check(const CheckContext& Context) override;

private:
  void checkRoot(const CheckContext& Context, const ContextRoot& Root);
  void reportDirect(const ContextRoot& Root, const CallSite& Site, const BlockingMatch& Api);
  void reportThrough(const ContextRoot& Root, const CallSite& Site, const BlockingMatch& Api,
                     const std::vector<TraceHop>& Hops);

  ContextKind Kind;
};

} // namespace taskfit

#endif
