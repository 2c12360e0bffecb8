// The SARIF writer, without clang: a hand-made result, read back as JSON.

#include "taskfit/analysis/SourceFiles.h"
#include "taskfit/report/Writers.h"

#include "llvm/Support/JSON.h"

#include <gtest/gtest.h>

namespace taskfit {
namespace {

AnalysisResult sampleResult() {
  AnalysisResult R;
  R.SourceRoot = "/repo";
  CheckInfo A{"blocking-call-in-coroutine",
              "BlockingCallInCoroutine",
              Level::Warning,
              "s",
              "f",
              "h",
              {"concurrency"}};
  CheckInfo B{"non-serialisable-process-payload",
              "NonSerialisableProcessPayload",
              Level::Error,
              "s",
              "f",
              "h",
              {"processes"}};
  R.Checks = {A, B};
  Finding F;
  F.CheckId = B.Id;
  F.Severity = Level::Error;
  F.Loc = {"src/a b.cpp", 7, 5};
  F.Message = "argument 1 cannot cross";
  F.Trace = {{F.Loc, "here"}, {{"src/c.cpp", 2, 1}, "and there"}};
  F.Context = {{{"src/main.cpp", 3, 1}, "posted here"}};
  F.Fingerprint = "0123456789abcdef0123456789abcdef";
  R.Findings = {F};
  R.Failures = {{"src/broken.cpp", {{{"src/broken.cpp", 4, 2}, "expected ';'"}}}};
  R.TranslationUnits = 3;
  return R;
}

TEST(SarifWriter, RulesResultsFlowsAndNotifications) {
  std::string Text;
  llvm::raw_string_ostream OS(Text);
  SourceFiles Files("/nonexistent-root");
  writeSarif(OS, sampleResult(), Files, {"taskfit", "1.2.3", "https://docs.invalid/checks/"});
  auto Parsed = llvm::json::parse(Text);
  ASSERT_TRUE(bool(Parsed)) << llvm::toString(Parsed.takeError());
  const llvm::json::Object& Run = *Parsed->getAsObject()->getArray("runs")->front().getAsObject();
  EXPECT_EQ(Run.getString("columnKind"), "unicodeCodePoints");
  const llvm::json::Object& Driver = *Run.getObject("tool")->getObject("driver");
  const llvm::json::Array& Rules = *Driver.getArray("rules");
  ASSERT_EQ(Rules.size(), 2u);
  EXPECT_EQ(Rules[1].getAsObject()->getString("helpUri"),
            "https://docs.invalid/checks/non-serialisable-process-payload.md");
  EXPECT_EQ(Rules[1].getAsObject()->getObject("defaultConfiguration")->getString("level"), "error");

  const llvm::json::Object& Result = *Run.getArray("results")->front().getAsObject();
  EXPECT_EQ(Result.getInteger("ruleIndex"), 1);
  EXPECT_EQ(Result.getString("level"), "error");
  const llvm::json::Object& Where = *Result.getArray("locations")
                                         ->front()
                                         .getAsObject()
                                         ->getObject("physicalLocation")
                                         ->getObject("artifactLocation");
  EXPECT_EQ(Where.getString("uri"), "src/a%20b.cpp");
  EXPECT_EQ(Where.getString("uriBaseId"), "%SRCROOT%");
  EXPECT_EQ(Result.getObject("partialFingerprints")->getString("taskfitFingerprint/v1"),
            "0123456789abcdef0123456789abcdef");
  EXPECT_EQ(Result.getArray("codeFlows")
                ->front()
                .getAsObject()
                ->getArray("threadFlows")
                ->front()
                .getAsObject()
                ->getArray("locations")
                ->size(),
            2u);
  EXPECT_EQ(Result.getArray("relatedLocations")->size(), 1u);

  const llvm::json::Object& Invocation = *Run.getArray("invocations")->front().getAsObject();
  EXPECT_EQ(Invocation.getBoolean("executionSuccessful"), false);
  EXPECT_EQ(Invocation.getArray("toolExecutionNotifications")->size(), 1u);
}

} // namespace
} // namespace taskfit
