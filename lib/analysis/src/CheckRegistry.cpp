//===- CheckRegistry.cpp - The list of checks: one line each --------------===//

#include "taskfit/analysis/Check.h"

namespace taskfit {

std::unique_ptr<Check> createBlockingCallInCoroutineCheck();
std::unique_ptr<Check> createBlockingCallOnEventLoopCheck();
std::unique_ptr<Check> createCpuBoundLoopInCoroutineCheck();
std::unique_ptr<Check> createCpuBoundLoopInThreadPoolCheck();
std::unique_ptr<Check> createModelRecommendationCheck();
std::unique_ptr<Check> createNonSerialisableProcessPayloadCheck();

const std::vector<std::unique_ptr<Check>>& allChecks() {
  static const std::vector<std::unique_ptr<Check>> Checks = [] {
    std::vector<std::unique_ptr<Check>> List;
    List.push_back(createBlockingCallInCoroutineCheck());
    List.push_back(createBlockingCallOnEventLoopCheck());
    List.push_back(createCpuBoundLoopInCoroutineCheck());
    List.push_back(createCpuBoundLoopInThreadPoolCheck());
    List.push_back(createModelRecommendationCheck());
    List.push_back(createNonSerialisableProcessPayloadCheck());
    return List;
  }();
  return Checks;
}

} // namespace taskfit
