// Propagate, without clang: the workload classifier and the decision matrix.

#include "ProgramBuilder.h"
#include "checks/Wording.h"
#include "propagate/Propagate.h"

#include <gtest/gtest.h>

namespace taskfit {
namespace {

using testing::ProgramBuilder;

DecisionMatrix shippedMatrix() {
  DecisionMatrix M;
  llvm::Error Err = M.loadFile(TASKFIT_SOURCE_RULES_DIR "/decision-matrix.yaml");
  EXPECT_FALSE(bool(Err)) << llvm::toString(std::move(Err));
  return M;
}

const ClassifiedTask* taskNamed(const Propagation& Found, llvm::StringRef Name) {
  for (const ClassifiedTask& T : Found.Tasks)
    if (T.Task == Name)
      return &T;
  return nullptr;
}

class TaskClassifierTest : public ::testing::Test {
protected:
  std::unique_ptr<const Propagation> run(const Program& P) {
    return propagate(P, {32, {}, testing::defaultConfig, &Matrix});
  }
  DecisionMatrix Matrix = shippedMatrix();
};

TEST_F(TaskClassifierTest, ClassesComeFromBlockingAndCpuEvidence) {
  ProgramBuilder B;
  auto& Cpu = B.function("crunch");
  B.loop(Cpu, 2, TripCount::Parameter, 6);
  auto& Io = B.function("fetch");
  B.blockingCall(Io, "recv", 4, "socket-io");
  auto& Mixed = B.function("both");
  B.loop(Mixed, 6, TripCount::Container, 6);
  B.blockingCall(Mixed, "fopen", 7);
  auto& Trivial = B.function("noop");
  auto& Main = B.function("main", "src/a.cpp", 10);
  for (auto* Task : {&Cpu, &Io, &Mixed, &Trivial})
    B.submit(Main, *Task, "taskfit::ThreadPool::submit", ExecutorRole::Io, 11);
  Program P = B.link();

  auto Found = run(P);
  EXPECT_EQ(taskNamed(*Found, "crunch")->Profile.Class, "cpu");
  EXPECT_EQ(taskNamed(*Found, "fetch")->Profile.Class, "io");
  EXPECT_EQ(taskNamed(*Found, "both")->Profile.Class, "mixed");
  EXPECT_EQ(taskNamed(*Found, "noop")->Profile.Class, "trivial");
  TaskSite Words = describeTask(*taskNamed(*Found, "both"));
  ASSERT_EQ(Words.Evidence.size(), 2u);
  EXPECT_EQ(Words.Evidence[0], "blocks in 'fopen' (file-io)");
  EXPECT_EQ(Words.Evidence[1], "runs a loop over a container and no suspension point");
  EXPECT_EQ(Words.CurrentModel, "thread pool (io) via taskfit::ThreadPool::submit");
}

TEST_F(TaskClassifierTest, VolumesMultiplyConstantLoopsAndUnboundedMeansMany) {
  ProgramBuilder B;
  auto& Task = B.function("job");
  B.loop(Task, 2, TripCount::Parameter, 6);
  auto& Main = B.function("main", "src/a.cpp", 10);
  int Outer = B.loop(Main, 11, TripCount::Constant);
  Main.Loops[Outer].ConstantTrips = 4;
  int Inner = B.loop(Main, 12, TripCount::Constant, 5, Outer);
  Main.Loops[Inner].ConstantTrips = 5;
  B.submit(Main, Task, "taskfit::ThreadPool::submit", ExecutorRole::Cpu, 13, Inner);
  auto& Server = B.function("serve", "src/b.cpp", 20);
  int Accept = B.loop(Server, 21, TripCount::Unbounded);
  B.submit(Server, Task, "taskfit::ThreadPool::submit", ExecutorRole::Cpu, 22, Accept);
  Program P = B.link();

  auto Found = run(P);
  ASSERT_EQ(Found->Tasks.size(), 2u);
  const ClassifiedTask& Nested = Found->Tasks[0];
  EXPECT_EQ(Nested.Profile.Tasks.Count, 20);
  EXPECT_EQ(Nested.VolumeLevel, "low");
  EXPECT_EQ(describeTask(Nested).VolumeEvidence, "in loops of constant trip counts");
  ASSERT_NE(Nested.Row, nullptr);
  EXPECT_EQ(Nested.Row->Recommended, "thread pool sized to the cores");
  const ClassifiedTask& Accepting = Found->Tasks[1];
  EXPECT_EQ(Accepting.Profile.Tasks.Count, Volume::Unbounded);
  EXPECT_EQ(Accepting.VolumeLevel, "high");
  EXPECT_EQ(describeTask(Accepting).VolumeEvidence, "in an unbounded loop");
}

TEST_F(TaskClassifierTest, ACoroutineThatAwaitsInAnUnboundedLoopServesMany) {
  ProgramBuilder B;
  auto& Session = B.coroutine("session");
  int Read = B.loop(Session, 3, TripCount::Unbounded);
  Session.Loops[Read].Suspends = true;
  Program P = B.link();

  auto Found = run(P);
  ASSERT_EQ(Found->Tasks.size(), 1u);
  const ClassifiedTask& T = Found->Tasks[0];
  EXPECT_EQ(T.K, ClassifiedTask::Kind::Coroutine);
  EXPECT_EQ(T.Profile.Class, "io");
  EXPECT_EQ(T.Profile.Tasks.Count, Volume::Unbounded);
  TaskSite Words = describeTask(T);
  EXPECT_EQ(Words.Evidence.front(), "awaits asynchronous operations in a loop");
  EXPECT_EQ(Words.VolumeEvidence,
            "its body awaits in an unbounded loop (it serves many operations)");
  EXPECT_EQ(Words.CurrentModel, "event loop (coroutine returning taskfit::Task)");
  ASSERT_NE(T.Row, nullptr);
  EXPECT_EQ(T.Row->Recommended, "event loop");
}

TEST(DecisionMatrix, UserRowsComeFirstAndVolumesParse) {
  DecisionMatrix M;
  ASSERT_FALSE(bool(M.loadString(R"yaml(
version: 1
volume-levels: { low-below: 5, high-above: 50 }
rows:
  - when: { class: cpu, volume: ['<3', unknown] }
    recommended: ours
    api: our::Pool
    reason: because
)yaml",
                                 "ours.yaml")));
  ASSERT_FALSE(bool(M.loadFile(TASKFIT_SOURCE_RULES_DIR "/decision-matrix.yaml")));
  WorkProfile Cpu{"cpu", Volume{2}};
  ASSERT_NE(M.decide(Cpu), nullptr);
  EXPECT_EQ(M.decide(Cpu)->Recommended, "ours");
  EXPECT_EQ(M.decide(Cpu)->Origin, "ours.yaml:5");
  WorkProfile Unknown{"cpu", Volume{}};
  EXPECT_EQ(M.decide(Unknown)->Recommended, "ours");
  WorkProfile Many{"cpu", Volume{40}};
  EXPECT_NE(M.decide(Many)->Recommended, "ours");
  // The shipped matrix's levels apply once it is loaded after the user's.
  EXPECT_EQ(M.volumeLevel(Volume{40}), "low");
  EXPECT_EQ(M.volumeLevel(Volume{}), "unknown");
}

TEST(DecisionMatrix, ErrorsNameTheRow) {
  DecisionMatrix M;
  llvm::Error Err = M.loadString("rows:\n  - when: { class: network }\n", "bad.yaml");
  ASSERT_TRUE(bool(Err));
  EXPECT_EQ(llvm::toString(std::move(Err)).substr(0, 45),
            "bad.yaml:2:20: error: unknown class 'network'");
  EXPECT_TRUE(M.rows().empty());
}

} // namespace
} // namespace taskfit
