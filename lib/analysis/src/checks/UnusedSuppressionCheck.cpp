//===- UnusedSuppressionCheck.cpp - unused-suppression --------------------===//
//
// A NOLINT comment naming taskfit checks, or a baseline entry, that matched
// no finding in this run: the code it excused has changed, and a stale
// suppression hides the next finding at the same place. It runs after the
// filter, on what the filter did not use, and only when asked for
// (--report-unused-suppressions). See docs/checks/unused-suppression.md.
//
//===----------------------------------------------------------------------===//

#include "checks/Check.h"

namespace taskfit {
namespace {

CheckInfo checkInfo() {
  CheckInfo Info;
  Info.Id = "unused-suppression";
  Info.Name = "UnusedSuppression";
  Info.DefaultLevel = Level::Warning;
  Info.ShortDescription = "A NOLINT comment or baseline entry that suppresses nothing";
  Info.FullDescription =
      "A NOLINT comment naming taskfit checks, or a baseline entry, matched no finding in this "
      "run: the code it excused has changed. Stale suppressions hide the next finding at the "
      "same place; remove them.";
  Info.Help = "Remove the comment, or rewrite the baseline with --update-baseline.";
  Info.Tags = {"maintainability"};
  Info.Precision =
      PrecisionRating::VeryHigh; // Exact by construction: a marker that matched nothing in the run.
  return Info;
}

class UnusedSuppressionCheck : public Check {
public:
  UnusedSuppressionCheck() : Check(checkInfo()) {}

  CheckStage stage() const override { return CheckStage::Suppressions; }

protected:
  void check(const CheckContext& Context) override {
    const SuppressionUse& Unused = *Context.Suppressions;
    for (const UnusedSuppression& U : Unused.Markers)
      report(U.Loc, "'" + U.Text + "' suppresses no finding; remove it")
          .fingerprint({U.Loc.File, U.Text});
    for (const BaselineEntry& E : Unused.BaselineEntries)
      // The finding as it was, without the check's advice after "; ".
      report(E.Loc, "the baseline entry '" + llvm::StringRef(E.Message).split("; ").first.str() +
                        "' [" + E.CheckId + "] matches no finding; update the baseline")
          .fingerprint({"baseline", E.Fingerprint});
  }
};

} // namespace

std::unique_ptr<Check> createUnusedSuppressionCheck() {
  return std::make_unique<UnusedSuppressionCheck>();
}

} // namespace taskfit
