#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <map>
#include <numeric>
#include <set>
#include <signal.h>
#include <stdexcept>
#include <string>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <taskfit/runtime/process_pool.hpp>
#include <taskfit/runtime/spin.hpp>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace std::chrono_literals;

namespace {

int add(int a, int b) {
  return a + b;
}
std::string greet(const std::string& name) {
  return "hello " + name;
}
int square(int x) {
  return x * x;
}
pid_t worker_pid() {
  return ::getpid();
}
void no_result(int) {}

int throw_domain_error(int value) {
  throw std::domain_error("value " + std::to_string(value) + " out of domain");
}

// Keeps a worker busy until the test kills it; bounded, so a broken test cannot hang forever.
int sleep_then_return(int milliseconds) {
  std::this_thread::sleep_for(std::chrono::milliseconds(milliseconds));
  return milliseconds;
}

// Sleeps with a large argument (so the task came through the shared area).
std::size_t announce_then_sleep_on(std::string payload, int milliseconds) {
  sleep_then_return(milliseconds);
  return payload.size();
}

pid_t sleep_then_report_pid(int milliseconds) {
  sleep_then_return(milliseconds);
  return ::getpid();
}

[[noreturn]] int exit_abruptly(int status) {
  ::_exit(status);
}

// Creates `path` once running, so the test knows the task has started (not merely been sent).
int announce_then_sleep(std::string path, int milliseconds) {
  std::fclose(std::fopen(path.c_str(), "w"));
  return sleep_then_return(milliseconds);
}

struct Measurement {
  std::string sensor;
  std::vector<double> samples;
  std::map<std::string, int> tags;
  template <class Archive>
  void serialize(Archive& archive) {
    archive(sensor, samples, tags);
  }
};

Measurement scale(Measurement measurement, double factor) {
  for (double& sample : measurement.samples)
    sample *= factor;
  measurement.tags["scaled"] = 1;
  return measurement;
}

std::string reverse_bytes(std::string payload) {
  std::reverse(payload.begin(), payload.end());
  return payload;
}

int initializer_value = 0;
void set_initializer_value() {
  initializer_value = 77;
}
int read_initializer_value() {
  return initializer_value;
}
void crashing_initializer() {
  ::raise(SIGKILL);
}

void failing_initializer() {
  throw std::runtime_error("no database");
}

TEST(ProcessPool, SubmitRunsInAnotherProcess) {
  taskfit::ProcessPool pool({.max_workers = 2});
  EXPECT_EQ(pool.submit<&add>(2, 3).result(), 5);
  EXPECT_EQ(pool.submit<&greet>("world").result(), "hello world");
  EXPECT_NE(pool.submit<&worker_pid>().result(), ::getpid());
  pool.submit<&no_result>(1).result();
}

TEST(ProcessPool, UserTypesTravelThroughCereal) {
  taskfit::ProcessPool pool({.max_workers = 1});
  Measurement input{"t1", {1.0, 2.5}, {{"site", 4}}};
  Measurement output = pool.submit<&scale>(input, 2.0).result();
  EXPECT_EQ(output.sensor, "t1");
  EXPECT_EQ(output.samples, (std::vector<double>{2.0, 5.0}));
  EXPECT_EQ(output.tags.at("site"), 4);
  EXPECT_EQ(output.tags.at("scaled"), 1);
}

TEST(ProcessPool, ExceptionsComeBackAsRemoteError) {
  taskfit::ProcessPool pool({.max_workers = 1});
  auto future = pool.submit<&throw_domain_error>(9);
  try {
    future.result();
    FAIL() << "expected RemoteError";
  } catch (const taskfit::RemoteError& error) {
    EXPECT_EQ(error.type_name(), "std::domain_error");
    EXPECT_EQ(error.message(), "value 9 out of domain");
  }
  EXPECT_EQ(pool.submit<&add>(1, 1).result(), 2); // the worker survives
}

TEST(ProcessPool, MapKeepsOrderForEveryChunkSize) {
  taskfit::ProcessPool pool({.max_workers = 2});
  std::vector<int> inputs(1000);
  std::iota(inputs.begin(), inputs.end(), 0);
  for (std::size_t chunksize : {1u, 3u, 128u, 5000u}) {
    auto squares = pool.map<&square>(inputs, {.chunksize = chunksize});
    ASSERT_EQ(squares.size(), inputs.size());
    for (int i = 0; i < 1000; ++i)
      ASSERT_EQ(squares[i], i * i);
  }
}

TEST(ProcessPool, SixtyFourMebibytePayloadsCrossBothWays) {
  taskfit::ProcessPool pool({.max_workers = 1});
  std::string payload(64u << 20, '\0');
  for (std::size_t i = 0; i < payload.size(); ++i)
    payload[i] = static_cast<char>(i * 131 + (i >> 20));
  std::string reversed = pool.submit<&reverse_bytes>(payload).result();
  ASSERT_EQ(reversed.size(), payload.size());
  EXPECT_TRUE(std::equal(payload.begin(), payload.end(), reversed.rbegin()));
}

std::string make_payload(std::size_t size, int seed) {
  std::string payload(size, '\0');
  for (std::size_t i = 0; i < size; ++i)
    payload[i] = static_cast<char>(i * 131 + seed);
  return payload;
}

std::string grow_payload(std::string payload, std::size_t size) {
  // Results of every size, each smaller or larger than the last: the worker's area grows.
  payload.resize(size, 'g');
  return payload;
}

TEST(ProcessPool, LargePayloadsOfChangingSizesCrossTheSharedAreaIntact) {
  // Large payloads go through shared memory, small ones through the socket; sizes go up and
  // down so the areas grow and are reused, and the two paths alternate.
  taskfit::ProcessPool pool({.max_workers = 1});
  const std::size_t sizes[] = {100,     64 * 1024, 3 << 20, 70 * 1024, 10,
                               9 << 20, 1 << 20,   0,       5 << 20};
  int seed = 0;
  for (std::size_t in : sizes)
    for (std::size_t out : sizes) {
      const std::string payload = make_payload(in, ++seed);
      std::string expected = payload;
      expected.resize(out, 'g');
      ASSERT_EQ(pool.submit<&grow_payload>(payload, out).result(60s), expected)
          << in << " -> " << out;
    }
}

TEST(ProcessPool, ManyLargeTasksInFlightAtOnceKeepTheirOwnPayloads) {
  // Tasks queued behind one another on a worker each have their own shared area; results the
  // pool has not delivered yet keep the worker's area busy, and the next ones take the socket.
  taskfit::ProcessPool pool({.max_workers = 2, .tasks_ahead_per_worker = 8});
  std::vector<std::string> payloads;
  std::vector<taskfit::Future<std::string>> futures;
  for (int i = 0; i < 40; ++i) {
    payloads.push_back(make_payload(static_cast<std::size_t>(200'000 + i * 7919), i));
    futures.push_back(pool.submit<&reverse_bytes>(payloads.back()));
  }
  for (int i = 0; i < 40; ++i) {
    std::string expected(payloads[i].rbegin(), payloads[i].rend());
    ASSERT_EQ(futures[i].result(60s), expected) << "task " << i;
  }
}

TEST(ProcessPool, AWorkerKilledWhileReadingALargeTaskFailsOnlyThatTask) {
  // The task's payload is in the dead worker's shared area; the pool still has it in the call
  // and the tasks behind it run elsewhere, with their own payloads.
  taskfit::ProcessPool pool({.max_workers = 1});
  const std::string big = make_payload(2 << 20, 7);
  auto victim = pool.submit<&announce_then_sleep_on>(big, 30000);
  std::vector<pid_t> pids = pool.worker_pids();
  ASSERT_EQ(pids.size(), 1u);
  auto behind = pool.submit<&reverse_bytes>(big);
  std::this_thread::sleep_for(200ms);
  ASSERT_EQ(::kill(pids[0], SIGKILL), 0);
  EXPECT_THROW(victim.result(60s), taskfit::BrokenProcessPool);
  EXPECT_EQ(behind.result(60s), std::string(big.rbegin(), big.rend()));
  EXPECT_EQ(pool.submit<&reverse_bytes>(big).result(60s), std::string(big.rbegin(), big.rend()));
}

TEST(ProcessPool, SigkillFailsOnlyTheRunningTaskAndThePoolRecovers) {
  taskfit::ProcessPool pool({.max_workers = 2});
  // The long task goes alone to one worker; the others then go to the idle worker, never behind
  // it. Wait until it runs (a worker that dies before starting its task fails nothing).
  const std::string started = ::testing::TempDir() + "taskfit-victim-" + std::to_string(::getpid());
  std::remove(started.c_str());
  auto victim_future = pool.submit<&announce_then_sleep>(started, 30000);
  for (int i = 0; i < 60000 && ::access(started.c_str(), F_OK) != 0; ++i)
    std::this_thread::sleep_for(1ms);
  ASSERT_EQ(::access(started.c_str(), F_OK), 0) << "the long task never started";
  std::remove(started.c_str());
  std::vector<taskfit::Future<int>> bystanders;
  for (int i = 0; i < 20; ++i)
    bystanders.push_back(pool.submit<&add>(i, 1));
  for (int i = 0; i < 20; ++i)
    EXPECT_EQ(bystanders[i].result(), i + 1);
  // The worker that does not answer is the one running the long task.
  std::set<pid_t> answered;
  for (int i = 0; i < 6; ++i)
    answered.insert(pool.submit<&worker_pid>().result());
  pid_t victim = -1;
  for (pid_t pid : pool.worker_pids())
    if (!answered.count(pid))
      victim = pid;
  ASSERT_NE(victim, -1);
  ASSERT_EQ(::kill(victim, SIGKILL), 0);
  try {
    victim_future.result(60s);
    FAIL() << "expected BrokenProcessPool";
  } catch (const taskfit::BrokenProcessPool& error) {
    EXPECT_NE(std::string(error.what()).find("SIGKILL"), std::string::npos) << error.what();
    EXPECT_NE(std::string(error.what()).find(std::to_string(victim)), std::string::npos);
  }
  // The pool replaced the worker and keeps serving, on both workers.
  std::vector<taskfit::Future<int>> after;
  for (int i = 0; i < 20; ++i)
    after.push_back(pool.submit<&add>(i, 2));
  for (int i = 0; i < 20; ++i)
    EXPECT_EQ(after[i].result(30s), i + 2);
  EXPECT_EQ(pool.worker_pids().size(), 2u);
  for (pid_t pid : pool.worker_pids())
    EXPECT_NE(pid, victim);
}

TEST(ProcessPool, AWorkerKilledWhileIdleFailsNothing) {
  taskfit::ProcessPool pool({.max_workers = 1});
  const pid_t idle = pool.submit<&worker_pid>().result();
  ASSERT_EQ(::kill(idle, SIGKILL), 0);
  // Submitted before or after the pool notices: either way the task runs on the replacement.
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(pool.submit<&add>(i, 1).result(60s), i + 1);
  EXPECT_NE(pool.submit<&worker_pid>().result(60s), idle);
}

TEST(ProcessPool, QueuedWorkBehindACrashIsNotLost) {
  taskfit::ProcessPool pool({.max_workers = 1});
  auto crash = pool.submit<&exit_abruptly>(7);
  std::vector<taskfit::Future<int>> queued;
  for (int i = 0; i < 10; ++i)
    queued.push_back(pool.submit<&add>(i, 0));
  try {
    crash.result(60s);
    FAIL() << "expected BrokenProcessPool";
  } catch (const taskfit::BrokenProcessPool& error) {
    EXPECT_NE(std::string(error.what()).find("exited with status 7"), std::string::npos)
        << error.what();
  }
  for (int i = 0; i < 10; ++i)
    EXPECT_EQ(queued[i].result(60s), i);
}

TEST(ProcessPool, TaskTimeoutKillsOnlyTheHangingTaskAndThePoolRecovers) {
  taskfit::ProcessPool pool(
      {.max_workers = 1, .tasks_ahead_per_worker = 4, .task_timeout = std::chrono::seconds(1)});
  auto hanging = pool.submit<&sleep_then_return>(60000);
  std::vector<taskfit::Future<int>> behind;
  for (int i = 0; i < 5; ++i)
    behind.push_back(pool.submit<&add>(i, 1));
  try {
    hanging.result(60s);
    FAIL() << "expected TimeoutError";
  } catch (const taskfit::TimeoutError& error) {
    EXPECT_NE(std::string(error.what()).find("1 s time limit"), std::string::npos) << error.what();
  }
  // The tasks sent behind it never started: they run on the replacement.
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(behind[i].result(60s), i + 1);
  // A task that answers in time is not affected by the limit.
  EXPECT_EQ(pool.submit<&sleep_then_return>(100).result(60s), 100);
}

TEST(ProcessPool, TaskTimeoutAppliesToATaskSentStraightToAnIdleWorker) {
  // Nothing else is submitted: no later event wakes the pool's thread to check the time limit.
  taskfit::ProcessPool pool({.max_workers = 1, .task_timeout = std::chrono::milliseconds(300)});
  auto hanging = pool.submit<&sleep_then_return>(60000);
  try {
    hanging.result(60s);
    FAIL() << "expected TimeoutError";
  } catch (const taskfit::TimeoutError& error) {
    EXPECT_NE(std::string(error.what()).find("time limit"), std::string::npos) << error.what();
  }
  EXPECT_EQ(pool.submit<&add>(1, 2).result(60s), 3);
}

void slow_initializer() {
  std::this_thread::sleep_for(600ms);
}

TEST(ProcessPool, TaskTimeoutCountsFromTheEndOfTheInitializer) {
  // Regression (found in review): a task's time ran from when it was written to a worker still
  // being forked or in its initializer, so a slow initializer got the worker killed, and the
  // pool broken as if the initializer had died.
  taskfit::ProcessPool pool({.max_workers = 1,
                             .initializer = &slow_initializer,
                             .task_timeout = std::chrono::milliseconds(300)});
  EXPECT_EQ(pool.submit<&add>(2, 3).result(60s), 5);
  EXPECT_EQ(pool.submit<&add>(3, 4).result(60s), 7);
  EXPECT_THROW(pool.submit<&sleep_then_return>(5000).result(60s), taskfit::TimeoutError);
}

TEST(ProcessPool, ResultWithATimeoutLeavesTheTaskRunning) {
  taskfit::ProcessPool pool({.max_workers = 1});
  auto slow = pool.submit<&sleep_then_return>(300);
  EXPECT_THROW(slow.result(1ms), taskfit::TimeoutError);
  EXPECT_EQ(slow.result(60s), 300);
}

TEST(ProcessPool, ManyThreadsWaitOnFuturesOfOneWorker) {
  // The waiting threads read the worker's answers themselves, one at a time; every future is
  // completed exactly once whichever thread reads its answer.
  taskfit::ProcessPool pool({.max_workers = 1});
  std::vector<taskfit::Future<int>> futures;
  for (int i = 0; i < 400; ++i)
    futures.push_back(pool.submit<&add>(i, 1));
  std::vector<std::thread> waiters;
  std::atomic<int> wrong{0};
  for (int t = 0; t < 4; ++t)
    waiters.emplace_back([&, t] {
      for (int k = 0; k < 400; ++k) {
        const int i = t % 2 == 0 ? k : 399 - k; // half of them from the end
        if (futures[i].result(60s) != i + 1)
          ++wrong;
      }
    });
  for (auto& waiter : waiters)
    waiter.join();
  EXPECT_EQ(wrong.load(), 0);
  for (int i = 0; i < 400; ++i)
    EXPECT_EQ(futures[i].result(), i + 1);
}

TEST(ProcessPool, OneTaskAheadKeepsShortTasksFromQueueingBehindALongOne) {
  taskfit::ProcessPool pool({.max_workers = 2, .tasks_ahead_per_worker = 1});
  // Both workers busy, so what follows is queued and dispatched in one go when they free up.
  auto first = pool.submit<&sleep_then_return>(300);
  auto second = pool.submit<&sleep_then_return>(300);
  auto slow = pool.submit<&sleep_then_return>(3000);
  std::vector<taskfit::Future<int>> quick;
  for (int i = 0; i < 8; ++i)
    quick.push_back(pool.submit<&add>(i, 1));
  // Batches would send some short tasks to the slow task's worker, behind it; one task ahead
  // keeps every one of them on the other worker.
  for (int i = 0; i < 8; ++i)
    EXPECT_EQ(quick[i].result(60s), i + 1);
  EXPECT_FALSE(slow.done());
  EXPECT_EQ(slow.result(60s), 3000);
  EXPECT_EQ(first.result(), 300);
  EXPECT_EQ(second.result(), 300);
}

TEST(ProcessPool, AShortBacklogIsSharedByTheWorkers) {
  // Regression: the backlog went to the idle workers only, so the first of two busy workers to
  // finish took both queued tasks and ran three of the four while the other ran one.
  taskfit::ProcessPool pool({.max_workers = 2});
  EXPECT_EQ(pool.worker_pids().size(), 2u);
  std::vector<taskfit::Future<pid_t>> futures;
  for (int i = 0; i < 4; ++i)
    futures.push_back(pool.submit<&sleep_then_report_pid>(300));
  std::map<pid_t, int> tasks_per_worker;
  for (auto& future : futures)
    ++tasks_per_worker[future.result(60s)];
  ASSERT_EQ(tasks_per_worker.size(), 2u);
  for (auto [pid, tasks] : tasks_per_worker)
    EXPECT_EQ(tasks, 2) << "worker " << pid;
}

TEST(ProcessPool, MaxTasksPerChildRecyclesWorkers) {
  taskfit::ProcessPool pool({.max_workers = 1, .max_tasks_per_child = 3});
  std::vector<taskfit::Future<pid_t>> pids;
  for (int i = 0; i < 9; ++i)
    pids.push_back(pool.submit<&worker_pid>());
  std::map<pid_t, int> tasks_per_pid;
  for (auto& future : pids)
    ++tasks_per_pid[future.result(60s)];
  EXPECT_EQ(tasks_per_pid.size(), 3u);
  for (auto [pid, count] : tasks_per_pid)
    EXPECT_EQ(count, 3) << pid;
}

TEST(ProcessPool, InitializerRunsInEveryWorker) {
  taskfit::ProcessPool pool({.max_workers = 2, .initializer = &set_initializer_value});
  EXPECT_EQ(pool.submit<&read_initializer_value>().result(), 77);
  EXPECT_EQ(initializer_value, 0); // only the workers ran it
}

TEST(ProcessPool, AWorkerThatAnswersAndExitsAtOnceIsSeenToExit) {
  // Regression: its last frame and the end of its channel came as one edge, the short read of
  // the frame was taken for "drained", and the end was never read: the pool waited forever.
  for (int round = 0; round < 20; ++round) {
    taskfit::ProcessPool pool({.max_workers = 1, .initializer = &failing_initializer});
    EXPECT_THROW(pool.submit<&add>(1, 2).result(60s), taskfit::BrokenProcessPool);
  }
}

TEST(ProcessPool, WorkerPidsInADoneCallbackOfACrashedTaskDoesNotWaitForItself) {
  // Regression: worker_pids() waits for replacements, which only the manager forks; called from
  // a done callback the manager runs, it waited for itself.
  taskfit::ProcessPool pool({.max_workers = 1});
  pool.submit<&add>(1, 1).result(60s);
  std::atomic<int> seen{-1};
  auto crash = pool.submit<&exit_abruptly>(9);
  crash.add_done_callback(
      [&](const taskfit::Future<int>&) { seen = static_cast<int>(pool.worker_pids().size()); });
  for (int i = 0; i < 60000 && seen.load() < 0; ++i)
    std::this_thread::sleep_for(1ms);
  EXPECT_GE(seen.load(), 0) << "the callback never returned";
  EXPECT_THROW(crash.result(60s), taskfit::BrokenProcessPool);
  EXPECT_EQ(pool.submit<&add>(2, 2).result(60s), 4);
  EXPECT_EQ(pool.worker_pids().size(), 1u);
}

TEST(ProcessPool, ADoneCallbackRunByTheThreadThatSawTheCrashMayWaitForTheReplacement) {
  // Regression (found in review): the thread blocked in result() saw the crash and ran the done
  // callbacks before waking the manager, which alone asks for the replacement; a callback that
  // waited for it (worker_pids()) waited forever.
  taskfit::ProcessPool pool({.max_workers = 1});
  EXPECT_EQ(pool.submit<&add>(1, 1).result(60s), 2);
  auto crash = pool.submit<&exit_abruptly>(3);
  std::atomic<bool> called{false};
  // Run by this thread (it waits for the replacement) or by the manager (which does not wait for
  // itself and sees none yet): whichever settles the crash first.
  crash.add_done_callback([&] {
    EXPECT_LE(pool.worker_pids().size(), 1u);
    called = true;
  });
  EXPECT_THROW(crash.result(60s), taskfit::BrokenProcessPool);
  for (int i = 0; i < 60000 && !called; ++i) // the manager may still be running it
    std::this_thread::sleep_for(1ms);
  EXPECT_TRUE(called);
  EXPECT_EQ(pool.worker_pids().size(), 1u);
}

TEST(ProcessPool, FailingInitializerBreaksThePool) {
  taskfit::ProcessPool pool({.max_workers = 1, .initializer = &failing_initializer});
  try {
    // submit itself throws once the pool knows it is broken; result() does before that.
    pool.submit<&add>(1, 2).result(60s);
    FAIL() << "expected BrokenProcessPool";
  } catch (const taskfit::BrokenProcessPool& error) {
    EXPECT_NE(std::string(error.what()).find("no database"), std::string::npos) << error.what();
  }
  // Later submissions fail the same way, at once.
  bool refused = false;
  try {
    pool.submit<&add>(1, 2).result(60s);
  } catch (const taskfit::BrokenProcessPool&) {
    refused = true;
  }
  EXPECT_TRUE(refused);
}

TEST(ProcessPool, InitializerKilledBySignalBreaksThePoolInsteadOfRespawning) {
  taskfit::ProcessPool pool({.max_workers = 1, .initializer = &crashing_initializer});
  try {
    pool.submit<&add>(1, 2).result(60s);
    FAIL() << "expected BrokenProcessPool";
  } catch (const taskfit::BrokenProcessPool& error) {
    EXPECT_NE(std::string(error.what()).find("SIGKILL"), std::string::npos) << error.what();
    EXPECT_NE(std::string(error.what()).find("initializer"), std::string::npos) << error.what();
  }
}

TEST(ProcessPool, ShutdownWaitsAndReapsEveryWorker) {
  std::vector<pid_t> pids;
  pid_t server_pid;
  {
    auto server = taskfit::ForkServer::start();
    server_pid = server->pid();
    taskfit::ProcessPool pool({.max_workers = 2, .fork_server = server});
    auto future = pool.submit<&sleep_then_return>(20);
    pids = pool.worker_pids();
    pool.shutdown({.wait = true});
    EXPECT_EQ(future.result(), 20);
    EXPECT_THROW(pool.submit<&add>(1, 1), taskfit::ExecutorShutdown);
    EXPECT_TRUE(pool.worker_pids().empty());
  }
  // Workers are gone (reaped by the fork server, which we reaped): no process left, no zombie.
  for (pid_t pid : pids)
    EXPECT_NE(::kill(pid, 0), 0) << "worker " << pid << " still exists";
  EXPECT_NE(::kill(server_pid, 0), 0);
}

TEST(ProcessPool, ShutdownWithCancelFuturesCancelsQueuedWork) {
  taskfit::ProcessPool pool({.max_workers = 1});
  auto running = pool.submit<&sleep_then_return>(50);
  while (!running.running())
    std::this_thread::sleep_for(100us);
  // More than the pool writes ahead to a worker, so some stay queued in the parent.
  std::vector<taskfit::Future<int>> queued;
  for (int i = 0; i < 200; ++i)
    queued.push_back(pool.submit<&add>(i, 0));
  pool.shutdown({.wait = true, .cancel_futures = true});
  EXPECT_EQ(running.result(), 50);
  int cancelled = 0;
  for (auto& future : queued) {
    ASSERT_TRUE(future.done());
    if (future.cancelled())
      ++cancelled;
    else
      EXPECT_EQ(future.result(), &future - queued.data());
  }
  EXPECT_GT(cancelled, 0);
}

TEST(ProcessPool, ShutdownWithoutWaitReturnsWhileWorkFinishes) {
  taskfit::ProcessPool pool({.max_workers = 1});
  auto running = pool.submit<&sleep_then_return>(30);
  pool.shutdown({.wait = false});
  EXPECT_THROW(pool.submit<&add>(1, 1), taskfit::ExecutorShutdown);
  EXPECT_EQ(running.result(60s), 30); // still delivered; the destructor then reaps the worker
}

int print_and_return(int value) {
  std::printf("worker says %d\n", value); // buffered: a pipe, not a terminal
  return value;
}

TEST(ProcessPool, WorkerOutputIsFlushedAndParentOutputNotRepeated) {
  int pipe_fds[2];
  ASSERT_EQ(::pipe(pipe_fds), 0);
  std::fflush(stdout);
  const int saved_stdout = ::dup(STDOUT_FILENO);
  ::dup2(pipe_fds[1], STDOUT_FILENO);
  std::printf("parent line\n"); // still in the parent's stdio buffer when the server forks
  {
    taskfit::ProcessPool pool({.max_workers = 1, .max_tasks_per_child = 1});
    EXPECT_EQ(pool.submit<&print_and_return>(1).result(), 1);
    EXPECT_EQ(pool.submit<&print_and_return>(2).result(), 2);
  }
  std::fflush(stdout);
  ::dup2(saved_stdout, STDOUT_FILENO);
  ::close(saved_stdout);
  ::close(pipe_fds[1]);
  std::string output;
  char buffer[256];
  for (ssize_t got; (got = ::read(pipe_fds[0], buffer, sizeof buffer)) > 0;)
    output.append(buffer, static_cast<std::size_t>(got));
  ::close(pipe_fds[0]);
  EXPECT_EQ(output, "parent line\nworker says 1\nworker says 2\n");
}

TEST(ProcessPool, OneForkServerServesSeveralPools) {
  auto server = taskfit::ForkServer::start();
  taskfit::ProcessPool first({.max_workers = 1, .fork_server = server});
  taskfit::ProcessPool second({.max_workers = 1, .fork_server = server});
  auto a = first.submit<&add>(1, 2);
  auto b = second.submit<&add>(3, 4);
  EXPECT_EQ(a.result() + b.result(), 10);
}

TEST(ProcessPool, TasksSubmittedWhileWorkersAreForkedRunOnEveryWorker) {
  // The constructor returns with the first worker; a burst sent at once is still split between
  // all four as they arrive, not given whole to the first ones (each task outlasts the forks).
  taskfit::ProcessPool pool({.max_workers = 4});
  std::vector<taskfit::Future<pid_t>> futures;
  for (int i = 0; i < 4; ++i)
    futures.push_back(pool.submit<&sleep_then_report_pid>(1500));
  std::set<pid_t> seen;
  for (auto& future : futures)
    seen.insert(future.result(60s));
  EXPECT_EQ(seen.size(), 4u);
  EXPECT_EQ(pool.worker_pids().size(), 4u);
}

TEST(ProcessPool, ACrashWhileTheFirstWorkersAreForkedIsReplacedAfterThem) {
  // Regression: a waiting thread that retired the crashed worker asked the fork server for a
  // replacement while the manager held the server to fork the first workers, and the manager
  // waited for the pool's lock: a deadlock.
  for (int round = 0; round < 5; ++round) {
    taskfit::ProcessPool pool({.max_workers = 3});
    auto crash = pool.submit<&exit_abruptly>(7);
    EXPECT_THROW(crash.result(60s), taskfit::BrokenProcessPool);
    EXPECT_EQ(pool.submit<&add>(2, 3).result(60s), 5);
    EXPECT_EQ(pool.worker_pids().size(), 3u);
  }
}

// The next message on a worker's events socket, and the descriptor that came with it (or -1).
taskfit::ForkServer::WorkerEvent next_event(int events, int& descriptor) {
  taskfit::ForkServer::WorkerEvent event{};
  iovec part{&event, sizeof event};
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))];
  msghdr message{};
  message.msg_iov = &part;
  message.msg_iovlen = 1;
  message.msg_control = control;
  message.msg_controllen = sizeof control;
  descriptor = -1;
  if (::recvmsg(events, &message, MSG_CMSG_CLOEXEC) != static_cast<ssize_t>(sizeof event))
    return {};
  if (cmsghdr* header = CMSG_FIRSTHDR(&message); header != nullptr)
    std::memcpy(&descriptor, CMSG_DATA(header), sizeof descriptor);
  return event;
}

TEST(ProcessPool, ForkServerSpawnsSeveralWorkersWithOneRequestAndTellsWhatBecameOfEach) {
  using Event = taskfit::ForkServer::WorkerEvent;
  auto server = taskfit::ForkServer::start();
  auto workers = server->spawn_workers(3, nullptr, 0); // returns before the forks
  ASSERT_EQ(workers.size(), 3u);
  std::set<pid_t> pids;
  for (auto& worker : workers) {
    int pidfd = -1;
    const Event started = next_event(worker.events, pidfd);
    ASSERT_EQ(started.kind, Event::started);
    EXPECT_EQ(::kill(started.value, 0), 0);
    EXPECT_GE(pidfd, 0) << "no pidfd: the pool would wait for the server to learn of a crash";
    pids.insert(started.value);
    ::close(worker.channel); // the worker's signal to exit
    int none = -1;
    const Event exited = next_event(worker.events, none);
    ASSERT_EQ(exited.kind, Event::exited);
    EXPECT_TRUE(WIFEXITED(exited.value) && WEXITSTATUS(exited.value) == 0) << exited.value;
    EXPECT_EQ(none, -1);
    for (int fd : {worker.events, worker.progress, pidfd})
      ::close(fd);
  }
  EXPECT_EQ(pids.size(), 3u);
  // And the server still answers afterwards.
  auto one = server->spawn_workers(1, nullptr, 0);
  int pidfd = -1;
  EXPECT_EQ(next_event(one.front().events, pidfd).kind, Event::started);
  for (int fd : {one.front().channel, one.front().events, one.front().progress, pidfd})
    ::close(fd);
}

// What the BrokenProcessPool that `future` fails with says; a test failure and "" when it does
// not fail so within a minute (`on_timeout` says why that matters).
template <class R>
std::string broken_pool_message(taskfit::Future<R>& future, const char* on_timeout) {
  try {
    future.result(60s);
    ADD_FAILURE() << "expected BrokenProcessPool";
  } catch (const taskfit::BrokenProcessPool& error) {
    return error.what();
  } catch (const taskfit::TimeoutError&) {
    ADD_FAILURE() << on_timeout;
  }
  return "";
}

// The children of process `pid`, as the kernel lists them (empty where it keeps no such list).
std::set<pid_t> children_of(pid_t pid) {
  std::set<pid_t> children;
  const std::string path =
      "/proc/" + std::to_string(pid) + "/task/" + std::to_string(pid) + "/children";
  if (FILE* file = std::fopen(path.c_str(), "r")) {
    for (int child; std::fscanf(file, "%d", &child) == 1;)
      children.insert(child);
    std::fclose(file);
  }
  return children;
}

// Waits (bounded) until `pid` has `count` children; returns them.
std::set<pid_t> wait_for_children(pid_t pid, std::size_t count) {
  std::set<pid_t> children = children_of(pid);
  for (int i = 0; i < 60000 && children.size() != count; ++i) {
    std::this_thread::sleep_for(1ms);
    children = children_of(pid);
  }
  return children;
}

TEST(ProcessPool, AForkServerHandsItsSpareWorkersToThePoolItStarts) {
  auto server = taskfit::ForkServer::start({.spare_workers = 2});
  const std::set<pid_t> spares = wait_for_children(server->pid(), 2);
  if (spares.empty())
    GTEST_SKIP() << "the kernel does not list a process's children here";
  ASSERT_EQ(spares.size(), 2u);
  // The spares become the pool's workers, and run its initializer first like any worker.
  taskfit::ProcessPool pool(
      {.max_workers = 2, .initializer = &set_initializer_value, .fork_server = server});
  const std::vector<pid_t> pids = pool.worker_pids();
  EXPECT_EQ(std::set<pid_t>(pids.begin(), pids.end()), spares);
  for (int i = 0; i < 4; ++i)
    EXPECT_EQ(pool.submit<&read_initializer_value>().result(60s), 77);
  // Once quiet, the server forks new spares: two workers and two spares.
  EXPECT_EQ(wait_for_children(server->pid(), 4).size(), 4u);
}

TEST(ProcessPool, ASpareKilledWhileWaitingIsNotHandedOut) {
  auto server = taskfit::ForkServer::start({.spare_workers = 1});
  const std::set<pid_t> spares = wait_for_children(server->pid(), 1);
  if (spares.empty())
    GTEST_SKIP() << "the kernel does not list a process's children here";
  ASSERT_EQ(::kill(*spares.begin(), SIGKILL), 0);
  // Whether or not the server has reaped it yet, the pool gets a live worker.
  taskfit::ProcessPool pool({.max_workers = 1, .fork_server = server});
  EXPECT_EQ(pool.submit<&add>(2, 3).result(60s), 5);
  EXPECT_NE(pool.submit<&worker_pid>().result(60s), *spares.begin());
}

int raise_signal(int signal) {
  ::raise(signal);
  return 0;
}

TEST(ProcessPool, ACrashIsReportedWithItsSignalWhileTheForkServerCannotRun) {
  if (::access("/proc/self/stat", R_OK) != 0)
    GTEST_SKIP() << "no /proc: the pool waits for the fork server to report a crash";
  auto server = taskfit::ForkServer::start({.spare_workers = 0});
  taskfit::ProcessPool pool({.max_workers = 1, .fork_server = server});
  EXPECT_EQ(pool.submit<&add>(1, 1).result(60s), 2); // the worker is up
  // and the server has told its pid (it may answer a task before the server gets to that).
  ASSERT_EQ(pool.worker_pids().size(), 1u);
  // The server, stopped, cannot reap the worker nor report its death: the pool reads the status
  // of the zombie itself.
  ASSERT_EQ(::kill(server->pid(), SIGSTOP), 0);
  struct Resume { // whatever fails below, the pool's end needs the server running
    pid_t server;
    ~Resume() { ::kill(server, SIGCONT); }
  } resume{server->pid()};
  auto crash = pool.submit<&raise_signal>(SIGKILL);
  const std::string message =
      broken_pool_message(crash, "the crash was not reported while the fork server was stopped");
  EXPECT_NE(message.find("signal 9 (SIGKILL)"), std::string::npos) << message;
  ASSERT_EQ(::kill(server->pid(), SIGCONT), 0);
  EXPECT_EQ(pool.submit<&add>(2, 2).result(60s), 4); // replaced once the server runs again
}

TEST(ProcessPool, WithItsForkServerGoneAPoolServesUntilAWorkerDiesThenBreaks) {
  auto server = taskfit::ForkServer::start({.spare_workers = 0});
  taskfit::ProcessPool pool({.max_workers = 1, .fork_server = server});
  EXPECT_EQ(pool.submit<&add>(1, 1).result(60s), 2);
  ASSERT_EQ(pool.worker_pids().size(), 1u);
  ASSERT_EQ(::kill(server->pid(), SIGKILL), 0);
  EXPECT_EQ(pool.submit<&add>(2, 2).result(60s), 4); // the worker outlives its server
  // Its death is still reported (with its status, or saying it is unknown), and it cannot be
  // replaced: the pool is broken, and says why.
  EXPECT_THROW(pool.submit<&exit_abruptly>(3).result(60s), taskfit::BrokenProcessPool);
  try {
    pool.submit<&add>(3, 3).result(60s);
    ADD_FAILURE() << "expected BrokenProcessPool";
  } catch (const taskfit::BrokenProcessPool& error) {
    EXPECT_NE(std::string(error.what()).find("fork server"), std::string::npos) << error.what();
  }
}

// A worker's child, forked by a task, inherits the worker's channel and holds it open after the
// worker has died. It reports its pid through `shared`, made before the pool (and its server).
std::atomic<pid_t>* lingering_child = nullptr;

int exit_leaving_a_child(int status) {
  const pid_t child = ::fork();
  if (child == 0) {
    ::sleep(120);
    ::_exit(0);
  }
  lingering_child->store(child);
  ::_exit(status);
}

TEST(ProcessPool, AWorkerThatDiesLeavingAChildWithItsChannelIsSeenToExit) {
  // Regression: the pool waited for the end of the channel, which never came while the child
  // lived, and the task's future never completed.
  void* shared = ::mmap(nullptr, sizeof(std::atomic<pid_t>), PROT_READ | PROT_WRITE,
                        MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  ASSERT_NE(shared, MAP_FAILED);
  lingering_child = new (shared) std::atomic<pid_t>(0);
  {
    taskfit::ProcessPool pool({.max_workers = 1});
    auto dying = pool.submit<&exit_leaving_a_child>(5);
    const std::string message = broken_pool_message(
        dying, "the worker's exit was not seen while its child held the channel");
    EXPECT_NE(message.find("exited with status 5"), std::string::npos) << message;
    EXPECT_EQ(pool.submit<&add>(2, 3).result(60s), 5);
  }
  if (const pid_t child = lingering_child->load(); child > 0)
    ::kill(child, SIGKILL);
  ::munmap(shared, sizeof(std::atomic<pid_t>));
}

// Keeps a worker busy until `path` exists (bounded: a broken test cannot hang forever).
int wait_for_file(std::string path) {
  for (int i = 0; i < 60000 && ::access(path.c_str(), F_OK) != 0; ++i)
    std::this_thread::sleep_for(1ms);
  return 1;
}

// A file that does not exist yet, to open a gate with.
std::string gate_path(const char* name) {
  const std::string path =
      ::testing::TempDir() + "taskfit-" + name + "-" + std::to_string(::getpid());
  std::remove(path.c_str());
  return path;
}

void open_gate(const std::string& path) {
  std::fclose(std::fopen(path.c_str(), "w"));
}

TEST(ProcessPool, MoreLargeTasksWrittenAtOnceThanOneMessageCarriesDescriptorsFor) {
  // Each large task's shared area goes with its frame; a batch written to a worker at once holds
  // more of them than one message can carry, so they go in several, each before its frame.
  taskfit::ProcessPool pool({.max_workers = 1, .tasks_ahead_per_worker = 200});
  const std::string gate = gate_path("batch");
  auto busy = pool.submit<&wait_for_file>(gate); // the others queue, then go as one batch
  std::vector<std::string> payloads;
  std::vector<taskfit::Future<std::string>> futures;
  for (int i = 0; i < 60; ++i) { // within the pool's bound on areas in use
    payloads.push_back(make_payload(static_cast<std::size_t>(70 * 1024 + i), i));
    futures.push_back(pool.submit<&reverse_bytes>(payloads.back()));
  }
  for (int i = 0; i < 150; ++i) // small ones between them: frames without a descriptor
    futures.push_back(pool.submit<&reverse_bytes>(std::string(1 + i, 's')));
  for (int i = 0; i < 60; ++i) {
    payloads.push_back(make_payload(static_cast<std::size_t>(80 * 1024 + i), i));
    futures.push_back(pool.submit<&reverse_bytes>(payloads.back()));
  }
  open_gate(gate);
  EXPECT_EQ(busy.result(60s), 1);
  for (int i = 0; i < 60; ++i)
    ASSERT_EQ(futures[i].result(60s), std::string(payloads[i].rbegin(), payloads[i].rend()))
        << "task " << i;
  for (int i = 0; i < 150; ++i)
    ASSERT_EQ(futures[60 + i].result(60s), std::string(1 + i, 's'));
  for (int i = 0; i < 60; ++i)
    ASSERT_EQ(futures[210 + i].result(60s),
              std::string(payloads[60 + i].rbegin(), payloads[60 + i].rend()))
        << "task " << 210 + i;
  std::remove(gate.c_str());
}

std::size_t open_descriptors() {
  std::size_t count = 0;
  for (int fd = 0; fd < 65536; ++fd)
    if (::fcntl(fd, F_GETFD) != -1)
      ++count;
  return count;
}

TEST(ProcessPool, ADeepQueueOfLargeTasksHoldsABoundedNumberOfDescriptors) {
  // Each large task in a shared area of its own holds a descriptor until it is done; beyond a
  // bound, large arguments take the socket instead, so a deep queue cannot exhaust them.
  taskfit::ProcessPool pool({.max_workers = 1});
  EXPECT_EQ(pool.submit<&add>(1, 1).result(60s), 2);
  const std::size_t before = open_descriptors();
  const std::string gate = gate_path("deep");
  auto busy = pool.submit<&wait_for_file>(gate);
  std::vector<std::string> payloads;
  std::vector<taskfit::Future<std::string>> futures;
  for (int i = 0; i < 400; ++i) {
    payloads.push_back(make_payload(static_cast<std::size_t>(70 * 1024), i));
    futures.push_back(pool.submit<&reverse_bytes>(payloads.back()));
  }
  EXPECT_LE(open_descriptors(), before + 80);
  open_gate(gate);
  EXPECT_EQ(busy.result(60s), 1);
  for (int i = 0; i < 400; ++i)
    ASSERT_EQ(futures[i].result(60s), std::string(payloads[i].rbegin(), payloads[i].rend()))
        << "task " << i;
  std::remove(gate.c_str());
}

// In the worker: leaves room for `room` more descriptors, no more.
int limit_descriptors(int room) {
  const int lowest_free = ::dup(0);
  ::close(lowest_free);
  rlimit limit{};
  ::getrlimit(RLIMIT_NOFILE, &limit);
  limit.rlim_cur = static_cast<rlim_t>(lowest_free + room);
  return ::setrlimit(RLIMIT_NOFILE, &limit);
}

TEST(ProcessPool, AWorkerOutOfDescriptorsFailsTheTasksWhoseAreasItCouldNotTake) {
  // The kernel drops the descriptors a process has no room for. The tasks whose areas did not
  // come fail with SharedMemoryError; none runs with another task's arguments.
  taskfit::ProcessPool pool({.max_workers = 1, .tasks_ahead_per_worker = 16});
  ASSERT_EQ(pool.submit<&limit_descriptors>(2).result(60s), 0);
  const std::string gate = gate_path("descriptors");
  auto busy = pool.submit<&wait_for_file>(gate);
  std::vector<std::string> payloads;
  std::vector<taskfit::Future<std::string>> futures;
  for (int i = 0; i < 8; ++i) {
    payloads.push_back(make_payload(static_cast<std::size_t>(100 * 1024 + i), i));
    futures.push_back(pool.submit<&reverse_bytes>(payloads.back()));
  }
  open_gate(gate);
  EXPECT_EQ(busy.result(60s), 1);
  int delivered = 0, refused = 0;
  for (int i = 0; i < 8; ++i) {
    try {
      ASSERT_EQ(futures[i].result(60s), std::string(payloads[i].rbegin(), payloads[i].rend()))
          << "task " << i << " got another task's arguments";
      ++delivered;
    } catch (const taskfit::RemoteError& error) {
      EXPECT_EQ(error.type_name(), "taskfit::SharedMemoryError") << error.what();
      ++refused;
    }
  }
  EXPECT_GT(delivered, 0);
  EXPECT_GT(refused, 0);
  std::remove(gate.c_str());
}

TEST(ProcessPool, RoundTripsWithoutSpinning) {
  taskfit::set_spin_before_blocking({});
  {
    taskfit::ProcessPool pool({.max_workers = 1});
    for (int i = 0; i < 200; ++i)
      ASSERT_EQ(pool.submit<&square>(i).result(60s), i * i);
  }
  taskfit::set_spin_before_blocking(50us);
}

} // namespace
