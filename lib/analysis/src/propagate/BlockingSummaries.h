//===- BlockingSummaries.h - May this function block, and through what? --===//
//
// The propagate step for blocking: a fixed point over the call graph that
// gives each function its shortest evidence trace to a blocking API
// (`handler -> load_config -> fopen`). Unknown functions (no Facts, indirect
// and virtual calls) are never guessed blocking; async coroutines are not
// entered (calling one only creates it; its body is checked as a context of
// its own), while synchronous generators are, since their bodies run in the
// consumer's context; `[[clang::nonblocking]]` functions are trusted. A call
// on a descriptor the program makes non-blocking does not block.
//
// Lock acquisitions are waits as long as another thread holds the lock; how
// they count is the summaries' LockWaits (see LockSummaries.h).
//
//===----------------------------------------------------------------------===//
#ifndef TASKFIT_ANALYSIS_PROPAGATE_BLOCKINGSUMMARIES_H
#define TASKFIT_ANALYSIS_PROPAGATE_BLOCKINGSUMMARIES_H

#include "link/Program.h"

#include "llvm/ADT/StringSet.h"

namespace taskfit {

/// One hop of a blocking trace: the function, and the call site in it taken.
struct TraceHop {
  const FunctionFacts* Function;
  const CallSite* Site;
};

/// How acquiring a lock counts.
enum class LockWaits {
  /// Never a wait, and neither is a condition wait (which releases the lock
  /// it is given): what a lock's holder does while it holds it.
  Holder,
  /// A wait when the lock is one of LongHeld: held elsewhere around blocking
  /// or CPU-bound work. A short critical section is not.
  LongHeld,
  /// Always a wait (the checks' `all-lock-waits` option).
  All,
};

class BlockingSummaries {
public:
  BlockingSummaries(const Program& P, unsigned MaxDepth, LockWaits Locks = LockWaits::LongHeld,
                    const llvm::StringSet<>* LongHeld = nullptr);

  /// The blocking API a call site reaches, or null. Fills Trace with the hops
  /// after the site (empty when the site itself is the blocking call).
  const BlockingMatch* reach(const CallSite& Site, std::vector<TraceHop>* Trace) const;

  /// The function a call site may enter, or null when it is not followed.
  const FunctionFacts* follow(const CallSite& Site) const;

  /// Whether a call site itself blocks (not through its callee), and how.
  const BlockingMatch* direct(const CallSite& Site) const;

private:
  struct Summary {
    unsigned Depth = 0;        ///< Calls to the blocking API; 0 = does not block.
    size_t Site = 0;           ///< Index of the call site on the shortest trace.
    bool OnDescriptor = false; ///< The trace ends in a read or write of a descriptor.
  };
  /// Whether a call site reaches blocking through its callee's summary, and
  /// how deep: 0 when it does not (or only on a descriptor its caller expects
  /// EAGAIN from).
  Summary through(const CallSite& Site) const;

  const Program& P;
  unsigned MaxDepth;
  LockWaits Locks;
  const llvm::StringSet<>* LongHeld;
  llvm::StringMap<Summary> Summaries;
};

} // namespace taskfit

#endif
