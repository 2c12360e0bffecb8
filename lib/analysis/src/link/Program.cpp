//===- Program.cpp --------------------------------------------------------===//

#include "link/Program.h"

#include <algorithm>

namespace taskfit {

Program Program::link(std::vector<TUFacts> TUs) {
  Program P;
  P.TUs = std::move(TUs);
  std::sort(P.TUs.begin(), P.TUs.end(),
            [](const TUFacts& A, const TUFacts& B) { return A.MainFile < B.MainFile; });
  for (const TUFacts& TU : P.TUs)
    for (const FunctionFacts& F : TU.Functions)
      if (P.ByUsr.try_emplace(F.Usr, &F).second)
        P.Functions.push_back(&F);
  std::sort(P.Functions.begin(), P.Functions.end(),
            [](const FunctionFacts* A, const FunctionFacts* B) { return A->Usr < B->Usr; });
  return P;
}

} // namespace taskfit
