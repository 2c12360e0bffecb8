//===- CheckRegistry.cpp - Every check, from Checks.def -------------------===//

#include "checks/Check.h"

namespace taskfit {

#define TASKFIT_CHECK(Class) std::unique_ptr<Check> create##Class();
#include "checks/Checks.def"

std::vector<std::unique_ptr<Check>> createChecks() {
  std::vector<std::unique_ptr<Check>> Checks;
#define TASKFIT_CHECK(Class) Checks.push_back(create##Class());
#include "checks/Checks.def"
  return Checks;
}

const std::vector<CheckInfo>& checkInfos() {
  static const std::vector<CheckInfo> Infos = [] {
    std::vector<CheckInfo> List;
    for (const auto& C : createChecks())
      List.push_back(C->info());
    return List;
  }();
  return Infos;
}

} // namespace taskfit
