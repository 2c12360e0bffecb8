#include "taskfit/analysis/Config.h"

#include "filter/CheckFilter.h"
#include "knowledge/ConfigResolver.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

namespace taskfit {
namespace {

TEST(Config, ParsesEveryKey) {
  auto C = parseConfig(R"yaml(
checks: '-*,blocking-*'
rules: [extra.yaml]
event-loop-entry-points: ['app::Reactor::on_*']
max-call-depth: 8
check-options:
  blocking-call-in-coroutine:
    ignored-categories: [sync-wait]
    ignored-apis: 'std::mutex::lock'
)yaml",
                       "/repo/.taskfit.yaml");
  ASSERT_TRUE(bool(C)) << llvm::toString(C.takeError());
  EXPECT_EQ(C->Checks, "-*,blocking-*");
  ASSERT_EQ(C->Rules.size(), 1u);
  EXPECT_EQ(C->Rules[0], "/repo/extra.yaml");
  EXPECT_EQ(C->MaxCallDepth, 8u);
  ASSERT_NE(C->option("blocking-call-in-coroutine", "ignored-apis"), nullptr);
  EXPECT_EQ(C->option("blocking-call-in-coroutine", "ignored-apis")->front(), "std::mutex::lock");
  EXPECT_EQ(C->option("blocking-call-on-event-loop", "ignored-apis"), nullptr);
}

TEST(Config, ErrorsAreLocated) {
  auto C = parseConfig("checks: '*'\nmax-call-depth: lots\n", "cfg.yaml");
  ASSERT_FALSE(bool(C));
  EXPECT_EQ(llvm::toString(C.takeError()),
            "cfg.yaml:2:17: error: expected a positive integer (expected: max-call-depth: 32)");
  auto Unknown = parseConfig("chekcs: '*'\n", "cfg.yaml");
  ASSERT_FALSE(bool(Unknown));
  EXPECT_NE(llvm::toString(Unknown.takeError()).find("cfg.yaml:1:1: error: unknown key 'chekcs'"),
            std::string::npos);
  auto Broken = parseConfig("checks: [\n", "cfg.yaml");
  ASSERT_FALSE(bool(Broken));
  llvm::consumeError(Broken.takeError());
}

TEST(Config, AnEmptyFileIsTheDefaults) {
  auto C = parseConfig("", "cfg.yaml");
  ASSERT_TRUE(bool(C));
  EXPECT_EQ(C->Checks, "*");
}

TEST(Config, DiscoveryWalksUpAndCaches) {
  llvm::SmallString<128> Root;
  ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("taskfit-config", Root));
  llvm::SmallString<128> Sub(Root), Deeper(Root);
  llvm::sys::path::append(Sub, "src");
  llvm::sys::path::append(Deeper, "src", "net");
  ASSERT_FALSE(llvm::sys::fs::create_directories(Deeper));
  {
    std::error_code EC;
    llvm::SmallString<128> Path(Root);
    llvm::sys::path::append(Path, ConfigFileName);
    llvm::raw_fd_ostream(Path, EC) << "checks: '-*,blocking-call-on-event-loop'\n";
  }
  ConfigResolver Resolver;
  llvm::SmallString<128> File(Deeper);
  llvm::sys::path::append(File, "session.cpp");
  auto C = Resolver.forFile(File);
  ASSERT_TRUE(bool(C));
  EXPECT_EQ((*C)->Checks, "-*,blocking-call-on-event-loop");
  EXPECT_EQ(Resolver.loaded().size(), 1u);
  llvm::sys::fs::remove_directories(Root);
}

TEST(CheckFilter, LaterGlobsWin) {
  CheckFilter F("-*,blocking-*,-blocking-call-on-event-loop");
  EXPECT_TRUE(F.enabled("blocking-call-in-coroutine"));
  EXPECT_FALSE(F.enabled("blocking-call-on-event-loop"));
  EXPECT_FALSE(F.enabled("model-recommendation"));
  CheckFilter Override("-*", "blocking-call-on-event-loop");
  EXPECT_TRUE(Override.enabled("blocking-call-on-event-loop"));
  EXPECT_FALSE(CheckFilter("").enabled("anything"));
}

} // namespace
} // namespace taskfit
