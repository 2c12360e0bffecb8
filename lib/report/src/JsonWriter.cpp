//===- JsonWriter.cpp - Findings as stable JSON ---------------------------===//

#include "taskfit/report/Writers.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"

using llvm::json::Array;
using llvm::json::Object;

namespace taskfit {

static llvm::json::Value step(const FindingStep& S) {
  return Object{
      {"file", S.Loc.File}, {"line", S.Loc.Line}, {"column", S.Loc.Column}, {"message", S.Message}};
}

void writeJson(llvm::raw_ostream& OS, const AnalysisResult& Result, const ToolIdentity& Tool) {
  Array Findings;
  for (size_t I = 0; I < Result.Findings.size(); ++I) {
    const Finding& F = Result.Findings[I];
    Array Trace, Context;
    for (const FindingStep& S : F.Trace)
      Trace.push_back(step(S));
    for (const FindingStep& S : F.Context)
      Context.push_back(step(S));
    Findings.push_back(Object{{"check", F.CheckId},
                              {"level", levelName(F.Severity)},
                              {"file", F.Loc.File},
                              {"line", F.Loc.Line},
                              {"column", F.Loc.Column},
                              {"message", F.Message},
                              {"trace", std::move(Trace)},
                              {"context", std::move(Context)},
                              {"fingerprint", F.Fingerprint}});
  }
  Array Failures;
  for (const TUFailure& Failure : Result.Failures) {
    Array Errors;
    for (const ParseDiagnostic& D : Failure.Errors)
      Errors.push_back(step({D.Loc, D.Message}));
    Failures.push_back(Object{{"file", Failure.File}, {"errors", std::move(Errors)}});
  }
  Array Checks;
  for (const CheckInfo& C : Result.Checks)
    Checks.push_back(C.Id);
  Object Root{{"format", "taskfit-findings"},
              {"version", 1},
              {"tool", Object{{"name", Tool.Name}, {"version", Tool.Version}}},
              {"sourceRoot", Result.SourceRoot},
              {"translationUnits", static_cast<int64_t>(Result.TranslationUnits)},
              {"checks", std::move(Checks)},
              {"findings", std::move(Findings)},
              {"workload", workloadJson(Result)},
              {"failures", std::move(Failures)}};
  OS << llvm::formatv("{0:2}", llvm::json::Value(std::move(Root))) << '\n';
}

} // namespace taskfit
