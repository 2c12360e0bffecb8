//===- ModelRecommendationCheck.cpp - model-recommendation ----------------===//
//
// One note per task site: what the work is (class, with evidence), how much
// of it there is, which model runs it now, and which the decision matrix
// recommends, naming the libtaskfit API that implements it.
// See docs/checks/model-recommendation.md.
//
//===----------------------------------------------------------------------===//

#include "checks/Check.h"
#include "checks/Wording.h"

namespace taskfit {
namespace {

CheckInfo checkInfo() {
  CheckInfo Info;
  Info.Id = "model-recommendation";
  Info.Name = "ModelRecommendation";
  Info.DefaultLevel = Level::Note;
  Info.ShortDescription = "The concurrency model the decision matrix recommends for a task.";
  Info.FullDescription =
      "For every task site (a submission to an executor, a coroutine): its class (cpu, io, "
      "mixed, trivial) with the evidence, the volume of tasks it creates, the model that "
      "runs it now, and the model the decision matrix (rules/decision-matrix.yaml) "
      "recommends, with an alternative and the reason.";
  Info.Help = "A note, not a defect: compare the current and the recommended model. The "
              "matrix is data; override rows with decision-matrix: in .taskfit.yaml.";
  Info.Tags = {"concurrency", "design"};
  Info.Precision =
      PrecisionRating::Medium; // Advice, not a defect: its notes are not judged true or false.
  return Info;
}

class ModelRecommendationCheck : public Check {
public:
  ModelRecommendationCheck() : Check(checkInfo()) {}

protected:
  void check(const CheckContext& Context) override {
    for (const ClassifiedTask& Classified : Context.Found.Tasks) {
      if (!Classified.Row)
        continue;
      TaskSite Site = describeTask(Classified);
      std::string Evidence;
      for (const std::string& E : Site.Evidence)
        Evidence += (Evidence.empty() ? "" : ", ") + E;
      std::string Volume = Site.VolumeLevel;
      if (Site.Profile.Tasks.Count && *Site.Profile.Tasks.Count != taskfit::Volume::Unbounded)
        Volume += " (" + std::to_string(*Site.Profile.Tasks.Count) + ")";
      const MatrixRow& Row = *Site.Row;
      std::string Message =
          "task '" + Site.Task + "' is " + Site.Profile.Class + " (" + Evidence + "), volume " +
          Volume + ", runs on " + Site.CurrentModel + "; recommended: " + Row.Recommended + " (" +
          Row.Api + ")" +
          (Row.Alternative.empty() ? std::string() : ", alternative: " + Row.Alternative) + ": " +
          Row.Reason;
      report(Site.Loc, Message)
          .step(Site.Loc, Message)
          .fingerprint({Site.Loc.File, Site.Owner, Site.Task});
    }
  }
};

} // namespace

std::unique_ptr<Check> createModelRecommendationCheck() {
  return std::make_unique<ModelRecommendationCheck>();
}

} // namespace taskfit
