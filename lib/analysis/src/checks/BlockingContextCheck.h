//===- BlockingContextCheck.h - Blocking calls reached from a context -----===//
//
// The shared core of blocking-call-in-coroutine and blocking-call-on-event-loop:
// for each root of one context kind, every call site in its body that reaches
// a blocking API, directly or through helpers, becomes one finding at that
// call site, with the shortest chain as evidence. Waiting for a lock is
// blocking when the lock is held elsewhere around blocking or CPU-bound work;
// the finding then gives the holder's chain too.
//
// Options (under the check's id in check-options):
//   ignored-categories: [sync-wait, ...]   categories of rules/blocking.yaml to skip
//   ignored-apis: ['std::mutex::lock', 'mylib::*']
//   all-lock-waits: true                   every lock acquisition is a wait,
//                                          however short its critical sections
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
  /// What a call site reaches: the blocking API, the hops to it and, for a
  /// lock wait, the lock and where it is held long.
  struct Reached {
    const BlockingMatch* Api = nullptr;
    std::vector<TraceHop> Hops;
    std::string Lock;
    const LockHolder* Holder = nullptr;
  };

  void checkRoot(const CheckContext& Context, const ContextRoot& Root);
  void reportDirect(const ContextRoot& Root, const CallSite& Site, const Reached& R);
  void reportThrough(const ContextRoot& Root, const CallSite& Site, const Reached& R);
  /// `which waits for 'Cache::mu_' (sync-wait), held around blocking work`.
  static std::string lockClause(const Reached& R);
  /// How to move a blocking call off the root's context: in its library's
  /// terms when the packs give them, else taskfit's.
  std::string offloadAdvice(const ContextRoot& Root) const;
  /// The holder's chain: where it takes the lock's time.
  static std::vector<FindingStep> holderSteps(const Reached& R);

  ContextKind Kind;
};

} // namespace taskfit

#endif
