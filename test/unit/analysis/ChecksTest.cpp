// Checks, without clang: findings from hand-made Facts, through the registry.

#include "ProgramBuilder.h"
#include "checks/Check.h"

#include <gtest/gtest.h>

namespace taskfit {
namespace {

using testing::ProgramBuilder;

class ChecksTest : public ::testing::Test {
protected:
  /// Runs the program-stage check Id over P with the config C for every file.
  std::vector<Finding> run(const Program& P, llvm::StringRef Id, const Config& C = Config()) {
    Cfg = C;
    load();
    Found =
        propagate(P, {32, {}, [this](llvm::StringRef) -> const Config& { return Cfg; }, &Matrix});
    CheckContext Context{P, *Found, [this](llvm::StringRef) -> const Config& { return Cfg; }};
    for (auto& Check : createChecks())
      if (Check->id() == Id)
        return Check->run(Context);
    ADD_FAILURE() << "no check " << Id.str();
    return {};
  }

  void load() {
    if (Matrix.rows().empty()) {
      llvm::Error Err = Matrix.loadFile(TASKFIT_SOURCE_RULES_DIR "/decision-matrix.yaml");
      ASSERT_FALSE(bool(Err)) << llvm::toString(std::move(Err));
    }
  }

  Config Cfg;
  DecisionMatrix Matrix;
  std::unique_ptr<const Propagation> Found;
};

TEST_F(ChecksTest, BlockingCallThroughAHelperGivesTheChainAndAStableFingerprint) {
  ProgramBuilder B;
  auto& Load = B.function("load_greeting", "src/config.cpp", 5);
  B.blockingCall(Load, "std::basic_ifstream::basic_ifstream", 8);
  auto& Session = B.coroutine("session", "src/server.cpp", 30);
  B.call(Session, Load, 41);
  B.blockingCall(Session, "std::this_thread::sleep_for", 58, "sleep");
  Program P = B.link();

  std::vector<Finding> Found = run(P, "blocking-call-in-coroutine");
  ASSERT_EQ(Found.size(), 2u);
  const Finding& Through = Found[0];
  EXPECT_EQ(Through.Loc, (SourceLoc{"src/server.cpp", 41, 3}));
  EXPECT_EQ(Through.Severity, Level::Warning);
  EXPECT_EQ(Through.Message,
            "coroutine 'session' calls 'load_greeting', which blocks in "
            "'std::basic_ifstream::basic_ifstream' (file-io); offload the call with co_await "
            "taskfit::to_thread(...) or make 'load_greeting' asynchronous");
  ASSERT_EQ(Through.Trace.size(), 2u);
  EXPECT_EQ(Through.Trace[1].Message,
            "'load_greeting' calls 'std::basic_ifstream::basic_ifstream', which blocks "
            "(file-io): use the asynchronous form");
  EXPECT_EQ(Through.FingerprintKey, "blocking-call-in-coroutine|src/server.cpp|session|"
                                    "load_greeting|std::basic_ifstream::basic_ifstream");
  EXPECT_EQ(Found[1].Message, "coroutine 'session' calls 'std::this_thread::sleep_for', which "
                              "blocks (sleep); use the asynchronous form");
}

TEST_F(ChecksTest, DeclaredOptionsAreReadFromTheFilesConfig) {
  ProgramBuilder B;
  auto& Session = B.coroutine("session");
  B.blockingCall(Session, "std::mutex::lock", 3, "sync-wait");
  B.blockingCall(Session, "fopen", 4);
  Program P = B.link();

  Config C;
  C.CheckOptions["blocking-call-in-coroutine"]["ignored-categories"] = {"sync-wait"};
  std::vector<Finding> Found = run(P, "blocking-call-in-coroutine", C);
  ASSERT_EQ(Found.size(), 1u);
  EXPECT_NE(Found[0].Message.find("'fopen'"), std::string::npos);
}

TEST_F(ChecksTest, EventLoopCallbacksNameWhereTheyArePosted) {
  ProgramBuilder B;
  auto& Handler = B.function("on_tick", "src/main.cpp", 17);
  B.blockingCall(Handler, "fopen", 18);
  auto& Main = B.function("main", "src/main.cpp", 10);
  B.submit(Main, Handler, "asio::post", ExecutorRole::EventLoop, 17);
  Program P = B.link();

  std::vector<Finding> Found = run(P, "blocking-call-on-event-loop");
  ASSERT_EQ(Found.size(), 1u);
  EXPECT_EQ(Found[0].Message.substr(0, 50), "'on_tick' runs on the event loop and calls 'fopen'");
  ASSERT_EQ(Found[0].Context.size(), 1u);
  EXPECT_EQ(Found[0].Context[0].Message,
            "'on_tick' runs on the event loop: it is passed to 'asio::post' here");
}

TEST_F(ChecksTest, CpuBoundWorkOnAnIoPoolIsAWarningAndOnAGenericOneANote) {
  ProgramBuilder B;
  auto& Crunch = B.function("crunch", "src/a.cpp", 2);
  int Outer = B.loop(Crunch, 3, TripCount::Container, 4);
  B.loop(Crunch, 4, TripCount::Container, 4, Outer);
  Crunch.Loops[Outer].Over = "rows";
  auto& Main = B.function("main", "src/a.cpp", 10);
  B.submit(Main, Crunch, "taskfit::ThreadPool::submit", ExecutorRole::Io, 11);
  B.submit(Main, Crunch, "std::thread::thread", ExecutorRole::Generic, 12);
  B.submit(Main, Crunch, "taskfit::ThreadPool::submit", ExecutorRole::Cpu, 13);
  Program P = B.link();

  std::vector<Finding> Found = run(P, "cpu-bound-loop-in-thread-pool");
  ASSERT_EQ(Found.size(), 2u);
  EXPECT_EQ(Found[0].Severity, Level::Warning);
  EXPECT_EQ(Found[0].Message.substr(0, 107),
            "CPU-bound task 'crunch' (it runs a loop over 'rows' with nested loops and no "
            "suspension point) is submitted");
  EXPECT_EQ(Found[1].Severity, Level::Note);
  EXPECT_EQ(Found[1].Trace.back().Loc.Line, 3u);
}

TEST_F(ChecksTest, PayloadProblemsReadLikeAPicklingError) {
  ProgramBuilder B;
  auto& Job = B.function("job");
  auto& Main = B.function("main", "src/a.cpp", 10);
  Submission& S = B.submit(Main, Job, "taskfit::ProcessPool::submit", ExecutorRole::Process, 11);
  PayloadProblem Held;
  Held.Subject = {PayloadSubject::Kind::Argument, 0, "submit"};
  Held.Type = "std::vector<Job>";
  Held.Holds = true;
  Held.Through = {{"Job", "Job::sink", false}};
  Held.Fault = PayloadFault::Never;
  Held.Offender = "std::ostream *";
  Held.Detail = "a stream";
  PayloadProblem Closure;
  Closure.Subject = {PayloadSubject::Kind::Lambda, 0, "submit"};
  Closure.Fault = PayloadFault::ClosureWithCaptures;
  Closure.Captures = {"this", "cache"};
  S.PayloadProblems = {Held, Closure};
  Program P = B.link();

  std::vector<Finding> Found = run(P, "non-serialisable-process-payload");
  ASSERT_EQ(Found.size(), 2u);
  EXPECT_EQ(Found[0].Severity, Level::Error);
  EXPECT_EQ(Found[0].Message,
            "argument 1 of 'submit' of type 'std::vector<Job>' cannot cross a process boundary: "
            "it holds 'Job', whose 'Job::sink' is 'std::ostream *' (a stream)");
  EXPECT_EQ(Found[1].Message,
            "the lambda passed to 'submit' cannot cross a process boundary: it captures 'this', "
            "'cache' (a closure with captures); make it a named free function and pass its state "
            "as arguments: submit<&fn>(args...)");
}

TEST(CheckRegistry, EveryCheckHasItsMetadataAndAStage) {
  std::vector<std::string> Ids;
  for (const auto& Check : createChecks()) {
    const CheckInfo& Info = Check->info();
    EXPECT_FALSE(Info.Name.empty()) << Info.Id;
    EXPECT_FALSE(Info.ShortDescription.empty()) << Info.Id;
    EXPECT_FALSE(Info.FullDescription.empty()) << Info.Id;
    EXPECT_FALSE(Info.Help.empty()) << Info.Id;
    Ids.push_back(Info.Id);
  }
  EXPECT_EQ(Ids.front(), "blocking-call-in-coroutine");
  EXPECT_EQ(Ids.back(), "unused-suppression");
  EXPECT_EQ(checkInfos().size(), Ids.size());
}

} // namespace
} // namespace taskfit
