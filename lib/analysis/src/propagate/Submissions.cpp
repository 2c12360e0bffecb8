//===- Submissions.cpp ----------------------------------------------------===//

#include "propagate/Submissions.h"

namespace taskfit {

static bool certain(const Submission& S) {
  return !S.Forwarded && !S.RoleGuessed;
}

SubmissionsOf::SubmissionsOf(const Program& P) {
  for (const FunctionFacts* F : P.functions())
    for (const Submission& S : F->Submissions)
      if (certain(S))
        Known.insert(S.CallableUsr);
}

bool SubmissionsOf::decisive(const Submission& S) const {
  return certain(S) || !Known.contains(S.CallableUsr);
}

} // namespace taskfit
