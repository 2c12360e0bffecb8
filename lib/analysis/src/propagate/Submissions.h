//===- Submissions.h - Which submissions of a callable say where it runs --===//
#ifndef TASKFIT_ANALYSIS_PROPAGATE_SUBMISSIONS_H
#define TASKFIT_ANALYSIS_PROPAGATE_SUBMISSIONS_H

#include "link/Program.h"

#include "llvm/ADT/StringSet.h"

namespace taskfit {

/// A callable may be submitted at several places: where the user hands it to
/// an executor, and again inside the layers that forward it (a library's
/// `post` handing it to `async_initiate`, a wrapper of the user's own). The
/// user's submission says where the work runs; a forwarding one, or one whose
/// role is a guess, speaks only for callables with no better submission.
class SubmissionsOf {
public:
  explicit SubmissionsOf(const Program& P);

  /// Whether S says where its callable runs.
  bool decisive(const Submission& S) const;

private:
  llvm::StringSet<> Known; ///< Callables with a submission neither forwarded nor guessed.
};

} // namespace taskfit

#endif
