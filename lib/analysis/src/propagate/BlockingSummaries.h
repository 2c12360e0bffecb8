//===- BlockingSummaries.h - May this function block, and through what? --===//
//
// The propagate step for blocking: a fixed point over the call graph that
// gives each function its shortest evidence trace to a blocking API
// (`handler -> load_config -> fopen`). Unknown functions (no Facts, indirect
// and virtual calls) are never guessed blocking; async coroutines are not
// entered (calling one only creates it; its body is checked as a context of
// its own), while synchronous generators are, since their bodies run in the
// consumer's context;
// `[[clang::nonblocking]]` functions are trusted.
//
//===----------------------------------------------------------------------===//
#ifndef TASKFIT_ANALYSIS_PROPAGATE_BLOCKINGSUMMARIES_H
#define TASKFIT_ANALYSIS_PROPAGATE_BLOCKINGSUMMARIES_H

#include "link/Program.h"

namespace taskfit {

/// One hop of a blocking trace: the function, and the call site in it taken.
struct TraceHop {
  const FunctionFacts* Function;
  const CallSite* Site;
};

class BlockingSummaries {
public:
  BlockingSummaries(const Program& P, unsigned MaxDepth);

  /// The blocking API a call site reaches, or null. Fills Trace with the hops
  /// after the site (empty when the site itself is the blocking call).
  const BlockingMatch* reach(const CallSite& Site, std::vector<TraceHop>* Trace) const;

  /// The function a call site may enter, or null when it is not followed.
  const FunctionFacts* follow(const CallSite& Site) const;

private:
  struct Summary {
    unsigned Depth = 0; ///< Calls to the blocking API; 0 = does not block.
    size_t Site = 0;    ///< Index of the call site on the shortest trace.
  };

  const BlockingMatch* direct(const CallSite& Site) const;

  const Program& P;
  unsigned MaxDepth;
  llvm::StringMap<Summary> Summaries;
};

} // namespace taskfit

#endif
