// The filter stage, without clang: NOLINT, check selection, duplicates, baseline.

#include "filter/Filter.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

namespace taskfit {
namespace {

Finding finding(const std::string& Check, unsigned Line, const std::string& Message,
                const std::string& Key) {
  Finding F;
  F.CheckId = Check;
  F.Loc = {"a.cpp", Line, 3};
  F.Message = Message;
  F.FingerprintKey = Key;
  return F;
}

class FilterTest : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("taskfit-filter", Dir));
    llvm::SmallString<128> Source(Dir);
    llvm::sys::path::append(Source, "a.cpp");
    std::error_code EC;
    llvm::raw_fd_ostream Out(Source, EC);
    ASSERT_FALSE(EC);
    Out << "line 1\n"
           "call(); // NOLINT(blocking-*)\n"
           "line 3\n"
           "line 4\n"
           "line 5 // NOLINT(cpu-bound-loop-in-coroutine)\n";
  }
  void TearDown() override { llvm::sys::fs::remove_directories(Dir); }

  FilterInput input(SourceFiles& Files) {
    return FilterInput{Files, [this](llvm::StringRef) -> const Config& { return Cfg; },
                       [](const Config& C, llvm::StringRef Id) {
                         return C.Checks == "*" || Id.starts_with("blocking");
                       }};
  }

  llvm::SmallString<128> Dir;
  Config Cfg;
};

TEST_F(FilterTest, SortsSuppressesSelectsAndDeduplicates) {
  SourceFiles Files(Dir.str().str());
  FilterInput In = input(Files);
  Cfg.Checks = "-*,blocking-*";
  std::vector<Finding> Findings = {
      finding("blocking-call-in-coroutine", 4, "m", "k4"),
      finding("blocking-call-in-coroutine", 2, "suppressed", "k2"),
      finding("cpu-bound-loop-in-coroutine", 3, "not selected", "k3"),
      finding("blocking-call-in-coroutine", 4, "m", "k4"), // A template's second instantiation.
      finding("blocking-call-in-coroutine", 1, "kept", "k1")};
  In.ListUnused = true;
  In.FilesRead = {"a.cpp"};
  In.CheckIds = {"blocking-call-in-coroutine", "cpu-bound-loop-in-coroutine"};
  auto Result = filterFindings(std::move(Findings), In);
  ASSERT_TRUE(bool(Result)) << llvm::toString(Result.takeError());
  ASSERT_EQ(Result->Kept.size(), 2u);
  EXPECT_EQ(Result->Kept[0].Message, "kept");
  EXPECT_EQ(Result->Kept[1].Loc.Line, 4u);
  EXPECT_EQ(Result->Kept[0].Fingerprint.size(), 32u);
  ASSERT_EQ(Result->Unused.Markers.size(), 1u) << "line 5's marker suppressed nothing";
  EXPECT_EQ(Result->Unused.Markers[0].Loc.Line, 5u);
}

TEST_F(FilterTest, TheBaselineHidesWhatItHoldsAndTellsWhatItNoLongerMatches) {
  SourceFiles Files(Dir.str().str());
  std::vector<Finding> Old = {finding("blocking-call-in-coroutine", 1, "old", "old"),
                              finding("blocking-call-in-coroutine", 3, "gone", "gone")};
  assignFingerprints(Old);
  FilterInput In = input(Files);
  In.Accepted = Baseline::fromFindings(Old);
  In.ListUnused = true;
  auto Result = filterFindings({finding("blocking-call-in-coroutine", 9, "old", "old"),
                                finding("blocking-call-in-coroutine", 4, "new", "new")},
                               In);
  ASSERT_TRUE(bool(Result)) << llvm::toString(Result.takeError());
  ASSERT_EQ(Result->Kept.size(), 1u);
  EXPECT_EQ(Result->Kept[0].Message, "new");
  EXPECT_EQ(Result->Baselined, 1u) << "a moved finding keeps its fingerprint";
  ASSERT_EQ(Result->Unused.BaselineEntries.size(), 1u);
  EXPECT_EQ(Result->Unused.BaselineEntries[0].Message, "gone");
}

} // namespace
} // namespace taskfit
