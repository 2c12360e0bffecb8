#include "filter/Baseline.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

namespace taskfit {
namespace {

Finding finding(std::string Key, unsigned Line) {
  Finding F;
  F.CheckId = "blocking-call-in-coroutine";
  F.Loc = {"src/a.cpp", Line, 3};
  F.Message = "coroutine 'f' calls 'sleep'; hint";
  F.FingerprintKey = std::move(Key);
  return F;
}

class BaselineTest : public ::testing::Test {
protected:
  void SetUp() override { ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("taskfit-bl", Dir)); }
  void TearDown() override { llvm::sys::fs::remove_directories(Dir); }
  std::string path(llvm::StringRef Name) {
    llvm::SmallString<128> P(Dir);
    llvm::sys::path::append(P, Name);
    return std::string(P);
  }
  std::string write(llvm::StringRef Name, llvm::StringRef Text) {
    std::string P = path(Name);
    std::error_code EC;
    llvm::raw_fd_ostream(P, EC) << Text;
    return P;
  }
  llvm::SmallString<128> Dir;
};

TEST(Fingerprints, IgnoreLinesAndNumberEqualKeysInOrder) {
  std::vector<Finding> Before{finding("k|f|sleep", 10), finding("k|f|sleep", 12),
                              finding("k|g|read", 20)};
  std::vector<Finding> Moved{finding("k|f|sleep", 40), finding("k|f|sleep", 42),
                             finding("k|g|read", 50)};
  assignFingerprints(Before);
  assignFingerprints(Moved);
  for (size_t I = 0; I < Before.size(); ++I)
    EXPECT_EQ(Before[I].Fingerprint, Moved[I].Fingerprint);
  EXPECT_NE(Before[0].Fingerprint, Before[1].Fingerprint);
  EXPECT_EQ(Before[0].Fingerprint.size(), 32u);
}

TEST_F(BaselineTest, RoundTripAcceptsTheSameFindingsAndTracksUnusedEntries) {
  std::vector<Finding> Findings{finding("k|f|sleep", 10), finding("k|g|read", 20)};
  assignFingerprints(Findings);
  ASSERT_FALSE(Baseline::fromFindings(Findings).save(path("b.json")));
  auto Loaded = Baseline::load(path("b.json"));
  ASSERT_TRUE(bool(Loaded)) << llvm::toString(Loaded.takeError());
  EXPECT_EQ(Loaded->size(), 2u);
  EXPECT_TRUE(Loaded->accepts(Findings[1]));
  std::vector<Finding> Fresh{finding("k|h|write", 30)};
  assignFingerprints(Fresh);
  EXPECT_FALSE(Loaded->accepts(Fresh[0]));
  std::vector<BaselineEntry> Unused = Loaded->unused();
  ASSERT_EQ(Unused.size(), 1u);
  EXPECT_EQ(Unused[0].Fingerprint, Findings[0].Fingerprint);
  EXPECT_EQ(Unused[0].Loc.Line, 10u);
  EXPECT_EQ(Unused[0].Loc.Column, 3u);
}

TEST_F(BaselineTest, AnEmptyBaselineIsValid) {
  ASSERT_FALSE(Baseline::fromFindings({}).save(path("empty.json")));
  auto Loaded = Baseline::load(path("empty.json"));
  ASSERT_TRUE(bool(Loaded)) << llvm::toString(Loaded.takeError());
  EXPECT_EQ(Loaded->size(), 0u);
}

TEST_F(BaselineTest, MalformedFilesAreErrorsNamingTheFile) {
  auto Expect = [&](llvm::StringRef Name, llvm::StringRef Text, llvm::StringRef Message) {
    auto Loaded = Baseline::load(write(Name, Text));
    ASSERT_FALSE(bool(Loaded));
    std::string Error = llvm::toString(Loaded.takeError());
    EXPECT_NE(Error.find(Name.str()), std::string::npos) << Error;
    EXPECT_NE(Error.find(Message.str()), std::string::npos) << Error;
  };
  Expect("text.json", "not json", "not a taskfit baseline");
  Expect("shape.json", R"({"version": 1, "findings": {}})", "not a taskfit baseline");
  Expect("entry.json", R"({"version": 1, "findings": [{"check": "x", "file": "a", "line": 1}]})",
         "fingerprint");
  Expect("version.json", R"({"version": 7, "findings": []})", "baseline version 7, expected 1");
  auto Missing = Baseline::load(path("missing.json"));
  ASSERT_FALSE(bool(Missing));
  EXPECT_NE(llvm::toString(Missing.takeError()).find("cannot read the baseline"),
            std::string::npos);
}

} // namespace
} // namespace taskfit
