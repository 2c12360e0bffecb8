//===- CodeQualityWriter.cpp - GitLab's code quality report ---------------===//
//
// GitLab reads a JSON array of Code Climate issues from a job artifact
// declared under `artifacts:reports:codequality` and shows new and fixed
// ones in merge requests. It keys issues on `fingerprint`, so the line-free
// fingerprints keep an issue the same issue when code moves.
//
//===----------------------------------------------------------------------===//

#include "taskfit/report/Writers.h"

#include "llvm/Support/FormatVariadic.h"

using llvm::json::Array;
using llvm::json::Object;

namespace taskfit {

static llvm::StringRef codeQualitySeverity(Level L) {
  switch (L) {
  case Level::Note:
    return "info";
  case Level::Warning:
    return "minor";
  case Level::Error:
    return "major";
  }
  return "minor";
}

void writeCodeQuality(llvm::raw_ostream& OS, const AnalysisResult& Result) {
  Array Issues;
  for (const Finding& F : Result.Findings)
    Issues.push_back(Object{
        {"type", "issue"},
        {"check_name", F.CheckId},
        {"description", F.Message},
        {"categories", Array{"Bug Risk", "Performance"}},
        {"severity", codeQualitySeverity(F.Severity)},
        {"fingerprint", F.Fingerprint},
        {"location", Object{{"path", F.Loc.File}, {"lines", Object{{"begin", F.Loc.Line}}}}}});
  // A file that could not be analysed is an issue too: its findings are missing.
  for (const TUFailure& Failure : Result.Failures) {
    std::string Text = "could not analyse " + Failure.File;
    if (!Failure.Errors.empty())
      Text += ": " + Failure.Errors.front().Message;
    Issues.push_back(
        Object{{"type", "issue"},
               {"check_name", "translation-unit-failed"},
               {"description", Text},
               {"categories", Array{"Bug Risk"}},
               {"severity", "major"},
               {"fingerprint", "translation-unit-failed:" + Failure.File},
               {"location", Object{{"path", Failure.File}, {"lines", Object{{"begin", 1}}}}}});
  }
  OS << llvm::formatv("{0:2}", llvm::json::Value(std::move(Issues))) << "\n";
}

} // namespace taskfit
