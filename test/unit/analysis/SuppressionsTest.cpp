#include "filter/NolintFilter.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

namespace taskfit {
namespace {

class NolintTest : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("taskfit-nolint", Dir));
    llvm::SmallString<128> Path(Dir);
    llvm::sys::path::append(Path, "f.cpp");
    std::error_code EC;
    llvm::raw_fd_ostream OS(Path, EC);
    OS << "call(); // NOLINT\n"                              // 1
          "call(); // NOLINT(blocking-call-on-event-loop)\n" // 2
          "// NOLINTNEXTLINE(blocking-*)\n"                  // 3
          "call();\n"                                        // 4
          "// NOLINTBEGIN(blocking-call-in-coroutine)\n"     // 5
          "call();\n"                                        // 6
          "// NOLINTEND(blocking-call-in-coroutine)\n"       // 7
          "call(); // NOLINTFOO\n"                           // 8
          "call(); // NOLINT()\n";                           // 9
  }
  void TearDown() override { llvm::sys::fs::remove_directories(Dir); }

  bool suppressed(unsigned Line, const char* Check = "blocking-call-in-coroutine") {
    SourceFiles Files{std::string(Dir)};
    NolintFilter Filter(Files);
    Finding F;
    F.CheckId = Check;
    F.Loc = {"f.cpp", Line, 1};
    return Filter.suppressed(F);
  }

  llvm::SmallString<128> Dir;
};

TEST_F(NolintTest, FollowsClangTidyGrammar) {
  EXPECT_TRUE(suppressed(1));
  EXPECT_FALSE(suppressed(2));
  EXPECT_TRUE(suppressed(2, "blocking-call-on-event-loop"));
  EXPECT_TRUE(suppressed(4));
  EXPECT_TRUE(suppressed(6));
  EXPECT_FALSE(suppressed(6, "blocking-call-on-event-loop"));
  EXPECT_FALSE(suppressed(8));
  EXPECT_FALSE(suppressed(9));
  EXPECT_FALSE(suppressed(42));
}

} // namespace
} // namespace taskfit
