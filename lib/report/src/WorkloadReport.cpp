//===- WorkloadReport.cpp - Every task site, as JSON or as a table --------===//

#include "taskfit/report/Writers.h"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"

#include <map>
#include <tuple>

using llvm::json::Array;
using llvm::json::Object;

namespace taskfit {

llvm::json::Value workloadJson(const AnalysisResult& Result) {
  Array Sites;
  std::map<std::tuple<std::string, std::string, std::string>, int64_t> Cells;
  for (const TaskSite& Site : Result.Tasks) {
    Array Evidence;
    for (const std::string& E : Site.Evidence)
      Evidence.push_back(E);
    Object Volume{{"level", Site.VolumeLevel}, {"evidence", Site.VolumeEvidence}};
    if (Site.Profile.Tasks.Count && *Site.Profile.Tasks.Count != taskfit::Volume::Unbounded)
      Volume["count"] = *Site.Profile.Tasks.Count;
    Object O{{"kind", Site.Kind},
             {"file", Site.Loc.File},
             {"line", Site.Loc.Line},
             {"column", Site.Loc.Column},
             {"task", Site.Task},
             {"function", Site.Owner},
             {"class", Site.Profile.Class},
             {"evidence", std::move(Evidence)},
             {"volume", std::move(Volume)},
             {"payload", Site.Payload},
             {"callerAsync", Site.Profile.CallerAsync},
             {"current", Site.CurrentModel}};
    std::string Recommended = "none";
    if (Site.Row) {
      O["recommended"] = Object{
          {"model", Site.Row->Recommended},       {"api", Site.Row->Api},
          {"alternative", Site.Row->Alternative}, {"alternativeApi", Site.Row->AlternativeApi},
          {"reason", Site.Row->Reason},           {"row", Site.Row->Origin}};
      Recommended = Site.Row->Recommended;
    }
    Sites.push_back(std::move(O));
    ++Cells[{Site.Profile.Class, Site.VolumeLevel, Recommended}];
  }
  Array Summary;
  for (const auto& [Cell, Count] : Cells)
    Summary.push_back(Object{{"class", std::get<0>(Cell)},
                             {"volume", std::get<1>(Cell)},
                             {"recommended", std::get<2>(Cell)},
                             {"sites", Count}});
  return Object{{"format", "taskfit-workload"},
                {"version", 1},
                {"sourceRoot", Result.SourceRoot},
                {"sites", std::move(Sites)},
                {"summary", std::move(Summary)}};
}

void writeWorkloadJson(llvm::raw_ostream& OS, const AnalysisResult& Result) {
  OS << llvm::formatv("{0:2}", workloadJson(Result)) << '\n';
}

void writeWorkloadTable(llvm::raw_ostream& OS, const AnalysisResult& Result) {
  OS << llvm::formatv("{0,-40} {1,-36} {2,-7} {3,-8} {4,-36} {5}\n", "site", "task", "class",
                      "volume", "current model", "recommended");
  std::map<std::tuple<std::string, std::string, std::string>, int> Cells;
  for (const TaskSite& Site : Result.Tasks) {
    std::string Where = Site.Loc.File + ":" + std::to_string(Site.Loc.Line);
    std::string Recommended = Site.Row ? Site.Row->Recommended : "none";
    OS << llvm::formatv("{0,-40} {1,-36} {2,-7} {3,-8} {4,-36} {5}\n", Where, Site.Task,
                        Site.Profile.Class, Site.VolumeLevel, Site.CurrentModel, Recommended);
    ++Cells[{Site.Profile.Class, Site.VolumeLevel, Recommended}];
  }
  OS << "\nsummary (class, volume -> recommended: sites)\n";
  for (const auto& [Cell, Count] : Cells)
    OS << llvm::formatv("  {0,-7} {1,-8} -> {2}: {3}\n", std::get<0>(Cell), std::get<1>(Cell),
                        std::get<2>(Cell), Count);
}

} // namespace taskfit
