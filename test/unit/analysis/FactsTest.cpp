#include "taskfit/analysis/Facts.h"

#include <gtest/gtest.h>

namespace taskfit {
namespace {

TUFacts sample() {
  TUFacts T;
  T.MainFile = "src/session.cpp";
  FunctionFacts B;
  B.Usr = "c:@F@b";
  B.Name = "b";
  B.Loc = {"src/session.cpp", 9, 1};
  B.Coroutine = CoroutineKind::Async;
  B.ReturnType = "asio::awaitable";
  CallSite Late{{"src/session.cpp", 12, 3}, "c:@F@helper", "helper", CallKind::Direct, {}, false};
  CallSite Early{{"src/session.cpp", 10, 3},
                 "",
                 "sleep",
                 CallKind::Direct,
                 BlockingMatch{"sleep", "sleep", "co_await taskfit::sleep"},
                 false};
  B.Calls = {Late, Early};
  B.Submissions.push_back(
      {{"src/session.cpp", 11, 5}, "asio::post", ExecutorRole::EventLoop, "c:@F@cb", "cb"});
  Submission Sent{{"src/session.cpp", 14, 5}, "submit", ExecutorRole::Process, "c:@F@job", "job"};
  PayloadProblem Problem;
  Problem.Subject = {PayloadSubject::Kind::Argument, 1, "submit"};
  Problem.Type = "std::vector<Job>";
  Problem.Holds = true;
  Problem.Through = {{"Job", "Job::sink", false}};
  Problem.Fault = PayloadFault::Never;
  Problem.Offender = "std::ostream";
  Problem.Detail = "a stream";
  Sent.PayloadProblems.push_back(Problem);
  B.Submissions.push_back(Sent);
  FunctionFacts A;
  A.Usr = "c:@F@a";
  A.Name = "a";
  A.DeclaredBlocking = BlockingMatch{"a", "annotated", "offload"};
  T.Functions = {B, A};
  return T;
}

TEST(Facts, NormaliseSortsFunctionsAndCalls) {
  TUFacts T = sample();
  T.normalise();
  EXPECT_EQ(T.Functions[0].Usr, "c:@F@a");
  EXPECT_EQ(T.Functions[1].Calls[0].Loc.Line, 10u);
}

TEST(Facts, JsonRoundTripIsExact) {
  TUFacts T = sample();
  T.normalise();
  llvm::json::Value V = toJSON(T);
  auto Back = factsFromJSON(V);
  ASSERT_TRUE(bool(Back)) << llvm::toString(Back.takeError());
  EXPECT_EQ(*Back, T);
  // Deterministic: the same facts print the same bytes.
  std::string First, Second;
  llvm::raw_string_ostream(First) << V;
  llvm::raw_string_ostream(Second) << toJSON(*Back);
  EXPECT_EQ(First, Second);
}

TEST(Facts, PayloadProblemsAndRolesRoundTrip) {
  TUFacts T = sample();
  auto Back = factsFromJSON(toJSON(T));
  ASSERT_TRUE(bool(Back)) << llvm::toString(Back.takeError());
  const Submission& Sent = Back->Functions[0].Submissions[1];
  EXPECT_EQ(Sent.Role, ExecutorRole::Process);
  ASSERT_EQ(Sent.PayloadProblems.size(), 1u);
  EXPECT_EQ(Sent.PayloadProblems[0], T.Functions[0].Submissions[1].PayloadProblems[0]);
}

TEST(Facts, RejectsUnknownEnumSpellings) {
  llvm::json::Value V = toJSON(sample());
  llvm::json::Array& Functions = *V.getAsObject()->getArray("functions");
  llvm::json::Object& Sent =
      *Functions[0].getAsObject()->getArray("submissions")->front().getAsObject();
  Sent["role"] = "fast";
  auto R = factsFromJSON(V);
  ASSERT_FALSE(bool(R));
  EXPECT_NE(llvm::toString(R.takeError()).find("role"), std::string::npos);
}

TEST(Facts, RejectsOtherVersionsAndBadShapes) {
  llvm::json::Value Old = llvm::json::Object{{"version", FactsVersion + 1}};
  auto R = factsFromJSON(Old);
  ASSERT_FALSE(bool(R));
  EXPECT_NE(llvm::toString(R.takeError()).find("facts version"), std::string::npos);
  llvm::json::Value Bad = llvm::json::Object{{"version", FactsVersion}, {"mainFile", 3}};
  auto B = factsFromJSON(Bad);
  ASSERT_FALSE(bool(B));
  llvm::consumeError(B.takeError());
}

} // namespace
} // namespace taskfit
