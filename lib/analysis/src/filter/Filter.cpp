//===- Filter.cpp ---------------------------------------------------------===//

#include "filter/Filter.h"

#include <algorithm>
#include <map>
#include <set>

namespace taskfit {

bool findingOrder(const Finding& A, const Finding& B) {
  return std::tie(A.Loc, A.CheckId, A.Message) < std::tie(B.Loc, B.CheckId, B.Message);
}

static bool sameFinding(const Finding& A, const Finding& B) {
  return A.Loc == B.Loc && A.CheckId == B.CheckId && A.Message == B.Message;
}

/// One finding per site and cause: a finding whose chain passes through the
/// primary location of another finding of the same check that ends at the
/// same place (a library's handler invoking the user's callback, which is
/// reported at the user's call) says nothing the other does not.
static std::vector<Finding> withoutLongerChains(std::vector<Finding> Findings) {
  std::map<std::pair<std::string, SourceLoc>, std::set<SourceLoc>> Primaries;
  auto Cause = [](const Finding& F) { return std::pair(F.CheckId, F.Trace.back().Loc); };
  for (const Finding& F : Findings)
    if (!F.Trace.empty())
      Primaries[Cause(F)].insert(F.Loc);
  std::vector<Finding> Kept;
  for (Finding& F : Findings) {
    bool Covered = false;
    if (!F.Trace.empty()) {
      const std::set<SourceLoc>& Others = Primaries[Cause(F)];
      for (size_t I = 1; I < F.Trace.size() && !Covered; ++I)
        Covered = F.Trace[I].Loc != F.Loc && Others.count(F.Trace[I].Loc);
    }
    if (!Covered)
      Kept.push_back(std::move(F));
  }
  return Kept;
}

llvm::Expected<FilterResult> filterFindings(std::vector<Finding> Findings, FilterInput& In) {
  FilterResult Result;
  NolintFilter Nolint(In.Files);
  Findings = withoutLongerChains(std::move(Findings));
  std::sort(Findings.begin(), Findings.end(), findingOrder);
  std::vector<Finding> Kept;
  for (Finding& F : Findings) {
    bool Suppressed = Nolint.suppressed(F); // Even for disabled checks: the marker is in use.
    if (Suppressed || !In.CheckEnabled(In.ConfigFor(F.Loc.File), F.CheckId))
      continue;
    if (!Kept.empty() && sameFinding(Kept.back(), F))
      continue;
    Kept.push_back(std::move(F));
  }
  assignFingerprints(Kept);
  if (!In.UpdateBaselineFile.empty()) {
    if (auto Err = Baseline::fromFindings(Kept).save(In.UpdateBaselineFile))
      return std::move(Err);
    Result.Baselined = Kept.size();
    Kept.clear();
  }
  for (Finding& F : Kept) {
    if (In.Accepted && In.Accepted->accepts(F)) {
      ++Result.Baselined;
      continue;
    }
    Result.Kept.push_back(std::move(F));
  }
  if (!In.ListUnused)
    return Result;
  for (const std::string& File : In.FilesRead)
    llvm::append_range(Result.Unused.Markers, Nolint.unused(File, In.CheckIds));
  if (In.Accepted)
    Result.Unused.BaselineEntries = In.Accepted->unused();
  return Result;
}

} // namespace taskfit
