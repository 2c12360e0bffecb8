#include "extract/FactsCache.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

namespace taskfit {
namespace {

class FactsCacheTest : public ::testing::Test {
protected:
  void SetUp() override {
    ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("taskfit-cache", Dir));
    Source = write("a.cpp", "#include \"a.h\"\n");
    Header = write("a.h", "int f();\n");
    Pack = write("pack.yaml", "version: 1\n");
    Job = {Source, std::string(Dir), {"clang++", "-std=c++20", "-c", Source}};
    Facts.MainFile = "a.cpp";
    Facts.Inputs = {Header, Source};
    FunctionFacts F;
    F.Usr = "c:@F@f#";
    F.Name = "f";
    Facts.Functions.push_back(F);
  }
  void TearDown() override { llvm::sys::fs::remove_directories(Dir); }

  std::string write(llvm::StringRef Name, llvm::StringRef Text) {
    llvm::SmallString<128> P(Dir);
    llvm::sys::path::append(P, Name);
    std::error_code EC;
    llvm::raw_fd_ostream(P, EC) << Text;
    return std::string(P);
  }
  FactsCache open(std::string Identity = "taskfit test") {
    llvm::SmallString<128> P(Dir);
    llvm::sys::path::append(P, "cache");
    auto Cache = FactsCache::open(P, std::move(Identity));
    EXPECT_TRUE(bool(Cache));
    return std::move(*Cache);
  }

  llvm::SmallString<128> Dir;
  std::string Source, Header, Pack;
  CompileJob Job;
  TUFacts Facts;
};

TEST_F(FactsCacheTest, HitsWhileEveryInputIsUnchanged) {
  FactsCache Cache = open();
  std::string Key = Cache.key(Job, Job.Arguments, {Pack});
  EXPECT_FALSE(Cache.lookup(Key));
  ASSERT_FALSE(Cache.store(Key, Facts));
  FactsCache Fresh = open(); // A new run: file hashes are not memoised across runs.
  std::optional<TUFacts> Hit = Fresh.lookup(Fresh.key(Job, Job.Arguments, {Pack}));
  ASSERT_TRUE(Hit);
  EXPECT_EQ(*Hit, Facts);
}

TEST_F(FactsCacheTest, AHeaderEditIsAMiss) {
  FactsCache Cache = open();
  std::string Key = Cache.key(Job, Job.Arguments, {Pack});
  ASSERT_FALSE(Cache.store(Key, Facts));
  write("a.h", "int f(int);\n");
  FactsCache Fresh = open();
  EXPECT_FALSE(Fresh.lookup(Key));
}

TEST_F(FactsCacheTest, KeysCoverArgumentsPacksAndTheToolBuild) {
  FactsCache Cache = open();
  std::string Key = Cache.key(Job, Job.Arguments, {Pack});
  std::vector<std::string> Other = Job.Arguments;
  Other.push_back("-DX=1");
  EXPECT_NE(Key, Cache.key(Job, Other, {Pack}));
  EXPECT_NE(Key, open("taskfit other build").key(Job, Job.Arguments, {Pack}));
  write("pack.yaml", "version: 1\n# edited\n");
  EXPECT_NE(Key, open().key(Job, Job.Arguments, {Pack}));
  // Arguments are length-prefixed: splitting one differently is another key.
  CompileJob Split = Job;
  EXPECT_NE(open().key(Split, {"a", "bc"}, {}), open().key(Split, {"ab", "c"}, {}));
}

TEST_F(FactsCacheTest, IncompleteFactsAreNotStored) {
  FactsCache Cache = open();
  std::string Key = Cache.key(Job, Job.Arguments, {});
  Facts.Complete = false;
  ASSERT_FALSE(Cache.store(Key, Facts));
  EXPECT_FALSE(Cache.lookup(Key));
}

TEST_F(FactsCacheTest, ADamagedEntryIsAMiss) {
  FactsCache Cache = open();
  std::string Key = Cache.key(Job, Job.Arguments, {});
  ASSERT_FALSE(Cache.store(Key, Facts));
  std::error_code EC;
  for (llvm::sys::fs::recursive_directory_iterator It(Dir + "/cache", EC), End; It != End && !EC;
       It.increment(EC))
    if (llvm::sys::path::extension(It->path()) == ".json")
      llvm::raw_fd_ostream(It->path(), EC) << "{\"inputs\": ";
  EXPECT_FALSE(open().lookup(Key));
}

} // namespace
} // namespace taskfit
