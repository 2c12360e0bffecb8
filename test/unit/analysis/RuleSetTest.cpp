#include "knowledge/RuleSet.h"

#include <gtest/gtest.h>

namespace taskfit {
namespace {

std::string errorOf(llvm::StringRef Text) {
  RuleSet Rules;
  llvm::Error Err = Rules.loadString(Text, "pack.yaml");
  return Err ? llvm::toString(std::move(Err)) : "";
}

TEST(RuleSet, LoadsBlockingCategoriesWithPredicates) {
  RuleSet Rules;
  ASSERT_FALSE(Rules.loadString(R"yaml(
version: 1
categories:
  - name: sleep
    description: waits
    replacement: co_await taskfit::sleep(d)
    apis:
      - names: [std::this_thread::sleep_for, usleep]
        non-blocking-if:
          - { arg: 0, is: zero }
      - name: mylib::nap
        replacement: mylib::async_nap
        blocking-only-if:
          - { arg: this, type: [mylib::Sleeper] }
)yaml",
                                "pack.yaml"));
  auto Hits = Rules.blockingRulesFor("usleep");
  ASSERT_EQ(Hits.size(), 1u);
  EXPECT_EQ(Hits[0]->Category, "sleep");
  EXPECT_EQ(Hits[0]->Replacement, "co_await taskfit::sleep(d)");
  ASSERT_EQ(Hits[0]->NonBlockingIf.size(), 1u);
  EXPECT_EQ(Hits[0]->NonBlockingIf[0].K, ArgPredicate::Kind::IsZero);
  auto Nap = Rules.blockingRulesFor("mylib::nap");
  ASSERT_EQ(Nap.size(), 1u);
  EXPECT_EQ(Nap[0]->Replacement, "mylib::async_nap");
  EXPECT_EQ(Nap[0]->BlockingOnlyIf[0].Arg.K, ArgRef::Kind::This);
  EXPECT_TRUE(Rules.blockingRulesFor("sleep").empty());
}

TEST(RuleSet, GlobsAndExactNamesKeepLoadOrder) {
  RuleSet Rules;
  ASSERT_FALSE(Rules.loadString(R"yaml(
executors:
  - { name: "asio::*::async_*", role: event-loop, callable: last }
  - { name: asio::basic_socket::async_connect, role: io, callable: 1 }
)yaml",
                                "exec.yaml"));
  auto Hits = Rules.executorRulesFor("asio::basic_socket::async_connect");
  ASSERT_EQ(Hits.size(), 2u);
  EXPECT_EQ(Hits[0]->Role, ExecutorRole::EventLoop);
  EXPECT_EQ(Hits[1]->Role, ExecutorRole::Io);
  EXPECT_EQ(Hits[0]->Callables[0].K, ArgRef::Kind::Last);
}

TEST(RuleSet, ErrorsNameFileLineColumnAndShape) {
  EXPECT_EQ(errorOf("executors:\n  - { name: f, role: fast, callable: 0 }\n"),
            "pack.yaml:2:22: error: unknown role 'fast' (expected: role: "
            "event-loop|strand|io|cpu|generic|process)");
  EXPECT_NE(errorOf("categories:\n  - name: x\n    apis: [{name: f}]\n")
                .find("pack.yaml:3:12: error: no replacement hint"),
            std::string::npos);
  EXPECT_NE(errorOf("categories: [\n").find("pack.yaml:"), std::string::npos);
  EXPECT_NE(errorOf("surprise: 1\n").find("pack.yaml:1:1: error: unknown key 'surprise'"),
            std::string::npos);
  EXPECT_NE(errorOf("version: 2\n").find("unsupported rule pack version"), std::string::npos);
  EXPECT_NE(errorOf("categories:\n  - name: x\n    replacement: r\n    apis:\n      - name: f\n"
                    "        non-blocking-if: [{arg: 0, is: zero, mentions: [X]}]\n")
                .find("exactly one of"),
            std::string::npos);
  EXPECT_NE(errorOf("- just\n- a list\n").find("must be a mapping"), std::string::npos);
}

TEST(RuleSet, AFailedPackLeavesTheSetUnchanged) {
  RuleSet Rules;
  ASSERT_FALSE(Rules.loadString("executors: [{name: a, role: io, callable: 0}]", "a.yaml"));
  EXPECT_TRUE(bool(Rules.loadString("executors: [{name: b, role: io}]", "b.yaml")));
  EXPECT_EQ(Rules.executorRules().size(), 1u);
  EXPECT_TRUE(Rules.executorRulesFor("b").empty());
}

TEST(RuleSet, TheShippedPacksLoad) {
  RuleSet Rules;
  llvm::Error Err = loadRuleSet(Rules, TASKFIT_SOURCE_RULES_DIR, {});
  ASSERT_FALSE(bool(Err)) << llvm::toString(std::move(Err));
  EXPECT_GT(Rules.blockingRules().size(), 100u);
  EXPECT_NE(Rules.taskType("asio::awaitable"), nullptr);
  EXPECT_NE(Rules.generatorType("std::generator"), nullptr);
  EXPECT_FALSE(Rules.blockingRulesFor("std::this_thread::sleep_for").empty());
  EXPECT_FALSE(Rules.executorRulesFor("taskfit::to_thread").empty());
}

} // namespace
} // namespace taskfit
