// One benchmark per row of the runtime table in docs/performance.md (the anchors' metrics).
// Throughput rows report items_per_second; latency rows report time per iteration.
#include <arpa/inet.h>
#include <atomic>
#include <benchmark/benchmark.h>
#include <chrono>
#include <cstring>
#include <memory>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <spawn.h>
#include <string>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <taskfit/runtime.hpp>
#include <thread>
#include <unistd.h>
#include <vector>

namespace {

int identity(int x) {
  return x;
}
void noop() {}
std::string echo_bytes(std::string payload) {
  return payload;
}
[[noreturn]] void die_by_sigkill() {
  ::raise(SIGKILL);
  ::_exit(1);
}

// Rows of one slow operation (a pool start, a crash): each repetition times one, and the row is
// their median (Python's side takes the median of as many), so that a hiccup of the shared
// machine during one of them moves the row no more than it moves one sample.
void one_operation_per_repetition(benchmark::internal::Benchmark* benchmark) {
  benchmark->UseRealTime()
      ->Unit(benchmark::kMicrosecond)
      ->Iterations(1)
      ->Repetitions(31)
      ->ReportAggregatesOnly(true);
}

// One fork server for every process-pool benchmark, started before Google Benchmark spins up.
std::shared_ptr<taskfit::ForkServer>& fork_server() {
  static auto server = taskfit::ForkServer::start();
  return server;
}

// ---- Thread pool ----

void BM_ThreadPoolSubmitAndFuture(benchmark::State& state) {
  taskfit::ThreadPool pool(2);
  const int batch = 10'000;
  std::vector<taskfit::Future<int>> futures;
  futures.reserve(batch);
  for (auto _ : state) {
    futures.clear();
    for (int i = 0; i < batch; ++i)
      futures.push_back(pool.submit(identity, i));
    for (auto& future : futures)
      benchmark::DoNotOptimize(future.result());
  }
  state.SetItemsProcessed(state.iterations() * batch);
}
BENCHMARK(BM_ThreadPoolSubmitAndFuture)->UseRealTime()->Unit(benchmark::kMillisecond);

void BM_ThreadPoolRoundTrip(benchmark::State& state) {
  taskfit::ThreadPool pool(1);
  pool.submit(noop).result(); // the worker thread exists
  for (auto _ : state)
    benchmark::DoNotOptimize(pool.submit(identity, 1).result());
}
BENCHMARK(BM_ThreadPoolRoundTrip)->UseRealTime()->Unit(benchmark::kMicrosecond);

// ---- Process pool ----

void BM_ProcessPoolSubmitOneAtATime(benchmark::State& state) {
  taskfit::ProcessPool pool({.max_workers = 2, .fork_server = fork_server()});
  const int batch = 20'000;
  std::vector<taskfit::Future<int>> futures;
  futures.reserve(batch);
  for (auto _ : state) {
    futures.clear();
    for (int i = 0; i < batch; ++i)
      futures.push_back(pool.submit<&identity>(i));
    for (auto& future : futures)
      benchmark::DoNotOptimize(future.result());
  }
  state.SetItemsProcessed(state.iterations() * batch);
}
BENCHMARK(BM_ProcessPoolSubmitOneAtATime)->UseRealTime()->Unit(benchmark::kMillisecond);

void BM_ProcessPoolChunkedMap(benchmark::State& state) {
  taskfit::ProcessPool pool({.max_workers = 2, .fork_server = fork_server()});
  std::vector<int> inputs(1'000'000);
  for (int i = 0; i < static_cast<int>(inputs.size()); ++i)
    inputs[i] = i;
  for (auto _ : state)
    benchmark::DoNotOptimize(pool.map<&identity>(inputs, {.chunksize = 50'000}));
  state.SetItemsProcessed(state.iterations() * static_cast<long>(inputs.size()));
}
BENCHMARK(BM_ProcessPoolChunkedMap)->UseRealTime()->Unit(benchmark::kMillisecond);

void BM_ProcessPoolRoundTrip(benchmark::State& state) {
  taskfit::ProcessPool pool({.max_workers = 1, .fork_server = fork_server()});
  pool.submit<&identity>(0).result();
  for (auto _ : state)
    benchmark::DoNotOptimize(pool.submit<&identity>(1).result());
}
BENCHMARK(BM_ProcessPoolRoundTrip)->UseRealTime()->Unit(benchmark::kMicrosecond);

void BM_ProcessPoolOneMebibyte(benchmark::State& state) {
  taskfit::ProcessPool pool({.max_workers = 1, .fork_server = fork_server()});
  const std::string payload(1u << 20, 'x');
  pool.submit<&identity>(0).result();
  for (auto _ : state)
    benchmark::DoNotOptimize(pool.submit<&echo_bytes>(payload).result());
}
BENCHMARK(BM_ProcessPoolOneMebibyte)->UseRealTime()->Unit(benchmark::kMillisecond);

// Starts a pool of two workers from `server` (null: the pool starts its own) and waits for a first
// result, once per iteration, each after `idle` of doing nothing (not timed); the pool's end is not
// timed either.
void start_pools(benchmark::State& state, const std::shared_ptr<taskfit::ForkServer>& server,
                 std::chrono::milliseconds idle) {
  for (auto _ : state) {
    if (idle.count() > 0) {
      state.PauseTiming();
      std::this_thread::sleep_for(idle);
      state.ResumeTiming();
    }
    auto pool = std::make_unique<taskfit::ProcessPool>(
        taskfit::ProcessPool::Options{.max_workers = 2, .fork_server = server});
    pool->submit<&identity>(1).result();
    state.PauseTiming();
    pool.reset();
    state.ResumeTiming();
  }
}

void BM_ProcessPoolStart(benchmark::State& state) {
  // Pool construction with its own fork server (the default), until a first result is back.
  start_pools(state, nullptr, std::chrono::milliseconds(0));
}
BENCHMARK(BM_ProcessPoolStart)->Apply(one_operation_per_repetition);

void BM_ProcessPoolStartWithForkServer(benchmark::State& state) {
  // The intended use: ForkServer::start() first thing in main(), pools forked from it later; here
  // one right after another, so the server forks their workers (it refills its spares only once
  // it has had no request for a while).
  start_pools(state, fork_server(), std::chrono::milliseconds(0));
}
BENCHMARK(BM_ProcessPoolStartWithForkServer)->Apply(one_operation_per_repetition);

void BM_ProcessPoolStartAfterIdle(benchmark::State& state) {
  // A pool started by a program that did something else for 10 ms since its fork server started
  // (or since its last pool): the server's spare workers are ready, and the machine's caches are
  // as cold as an idle core leaves them.
  start_pools(state, fork_server(), std::chrono::milliseconds(10));
}
BENCHMARK(BM_ProcessPoolStartAfterIdle)->Apply(one_operation_per_repetition);

void BM_ProcessPoolWorkerCrash(benchmark::State& state) {
  taskfit::ProcessPool pool({.max_workers = 1, .fork_server = fork_server()});
  pool.submit<&identity>(0).result();
  for (auto _ : state) {
    auto crash = pool.submit<&die_by_sigkill>();
    try {
      crash.result();
    } catch (const taskfit::BrokenProcessPool&) {
    }
    state.PauseTiming();
    pool.submit<&identity>(0).result(); // the replacement is up before the next crash
    state.ResumeTiming();
  }
}
BENCHMARK(BM_ProcessPoolWorkerCrash)->Apply(one_operation_per_repetition);

// ---- Floors: what the machine itself costs for a row, with no runtime around it ----

// A process pool passes values, so a 1 MiB argument and its 1 MiB result are copied at least four
// times (into the message and out of it, each way); here into memory already mapped, as a pool
// that reuses its buffers would.
void BM_FloorOneMebibyteCopies(benchmark::State& state) {
  std::vector<std::string> buffers(5, std::string(1u << 20, 'x'));
  for (auto _ : state) {
    for (int copy = 0; copy < 4; ++copy) {
      std::memcpy(buffers[copy + 1].data(), buffers[copy].data(), buffers[copy].size());
      benchmark::ClobberMemory();
    }
  }
}
BENCHMARK(BM_FloorOneMebibyteCopies)->UseRealTime()->Unit(benchmark::kMicrosecond);

// A small idle process (sleep(1), as small as a worker forked from an early fork server or
// smaller) killed with SIGKILL and reaped by its parent: the kernel's part of a worker crash.
void BM_FloorChildKillToReap(benchmark::State& state) {
  for (auto _ : state) {
    state.PauseTiming();
    pid_t child = -1;
    char program[] = "sleep";
    char seconds[] = "60";
    char* arguments[] = {program, seconds, nullptr};
    if (::posix_spawnp(&child, "sleep", nullptr, nullptr, arguments, environ) != 0) {
      state.SkipWithError("posix_spawnp(sleep)");
      break;
    }
    ::usleep(2000); // asleep, as an idle worker is
    state.ResumeTiming();
    ::kill(child, SIGKILL);
    int status = 0;
    ::waitpid(child, &status, 0);
  }
}
BENCHMARK(BM_FloorChildKillToReap)->Apply(one_operation_per_repetition);

// ---- Event loop ----

taskfit::Task<int> trivial(int x) {
  co_return x;
}

void BM_CreateTask(benchmark::State& state) {
  const int batch = 10'000;
  for (auto _ : state) {
    taskfit::run([](int batch) -> taskfit::Task<void> {
      std::vector<taskfit::TaskHandle<int>> handles;
      handles.reserve(batch);
      for (int i = 0; i < batch; ++i)
        handles.push_back(taskfit::spawn(trivial(i)));
      for (auto& handle : handles)
        benchmark::DoNotOptimize(co_await handle);
    }(batch));
  }
  state.SetItemsProcessed(state.iterations() * batch);
}
BENCHMARK(BM_CreateTask)->UseRealTime()->Unit(benchmark::kMillisecond);

void BM_YieldToTheLoop(benchmark::State& state) {
  const int batch = 100'000;
  for (auto _ : state) {
    taskfit::run([](int batch) -> taskfit::Task<void> {
      for (int i = 0; i < batch; ++i)
        co_await taskfit::yield();
    }(batch));
  }
  state.SetItemsProcessed(state.iterations() * batch);
}
BENCHMARK(BM_YieldToTheLoop)->UseRealTime()->Unit(benchmark::kMillisecond);

taskfit::Task<void> echo_handler(taskfit::Stream stream) {
  char buffer[4096];
  for (;;) {
    std::size_t got = co_await stream.read_some(buffer);
    if (got == 0)
      co_return;
    co_await stream.write(std::string_view(buffer, got));
  }
}

void BM_TcpEchoRoundTrip(benchmark::State& state) {
  const int round_trips = 20'000;
  for (auto _ : state) {
    taskfit::run([](int round_trips) -> taskfit::Task<void> {
      auto server = co_await taskfit::start_server(echo_handler, "127.0.0.1", 0);
      auto client = co_await taskfit::open_connection("127.0.0.1", server.port());
      const std::string message(64, 'm');
      char buffer[64];
      for (int i = 0; i < round_trips; ++i) {
        co_await client.write(message);
        std::size_t got = 0;
        while (got < sizeof buffer)
          got += co_await client.read_some(std::span<char>(buffer + got, sizeof buffer - got));
      }
    }(round_trips));
  }
  state.SetItemsProcessed(state.iterations() * round_trips);
}
BENCHMARK(BM_TcpEchoRoundTrip)->UseRealTime()->Unit(benchmark::kMillisecond);

// A connected pair of loopback TCP sockets with Nagle off, closed at the end of its scope: the
// no-runtime echo benchmarks' setup.
struct LoopbackPair {
  int listener = -1;
  int client = -1;
  int server = -1;

  LoopbackPair() {
    listener = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address);
    ::listen(listener, 1);
    socklen_t length = sizeof address;
    ::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length);
    client = ::socket(AF_INET, SOCK_STREAM, 0);
    ::connect(client, reinterpret_cast<sockaddr*>(&address), sizeof address);
    server = ::accept(listener, nullptr, nullptr);
    int one = 1;
    ::setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    ::setsockopt(server, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  }
  LoopbackPair(const LoopbackPair&) = delete;
  LoopbackPair& operator=(const LoopbackPair&) = delete;
  ~LoopbackPair() {
    for (int fd : {client, server, listener})
      ::close(fd);
  }
};

// The floor for the row above: the same ping-pong on one thread with epoll and no runtime.
void BM_RawEpollEchoRoundTrip(benchmark::State& state) {
  const int round_trips = 20'000;
  for (auto _ : state) {
    LoopbackPair sockets;
    const int client = sockets.client;
    const int server = sockets.server;
    int epoll = ::epoll_create1(0);
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.fd = server;
    ::epoll_ctl(epoll, EPOLL_CTL_ADD, server, &event);
    event.data.fd = client;
    ::epoll_ctl(epoll, EPOLL_CTL_ADD, client, &event);
    char message[64] = {};
    char buffer[64];
    for (int i = 0; i < round_trips; ++i) {
      ::send(client, message, sizeof message, 0);
      std::size_t echoed = 0;
      while (echoed < sizeof message) {
        epoll_event ready[2];
        int count = ::epoll_wait(epoll, ready, 2, -1);
        for (int k = 0; k < count; ++k) {
          ssize_t got = ::recv(ready[k].data.fd, buffer, sizeof buffer, 0);
          if (got <= 0)
            continue;
          if (ready[k].data.fd == server)
            ::send(server, buffer, static_cast<std::size_t>(got), 0);
          else
            echoed += static_cast<std::size_t>(got);
        }
      }
    }
    ::close(epoll);
  }
  state.SetItemsProcessed(state.iterations() * round_trips);
}
BENCHMARK(BM_RawEpollEchoRoundTrip)->UseRealTime()->Unit(benchmark::kMillisecond);

// Below raw epoll: the four system calls of an echo (send, the server's recv and send, the
// client's recv) and nothing else. Loopback delivers within the sender's call, so no wait is
// needed on one thread; an event loop cannot do less.
void BM_FloorLoopbackEchoSyscalls(benchmark::State& state) {
  const int round_trips = 20'000;
  LoopbackPair sockets;
  const int client = sockets.client;
  const int server = sockets.server;
  char message[64] = {};
  char buffer[64];
  for (auto _ : state) {
    for (int i = 0; i < round_trips; ++i) {
      ::send(client, message, sizeof message, 0);
      ssize_t got = ::recv(server, buffer, sizeof buffer, 0);
      ::send(server, buffer, static_cast<std::size_t>(got), 0);
      std::size_t echoed = 0;
      while (echoed < sizeof message)
        echoed += static_cast<std::size_t>(::recv(client, buffer, sizeof buffer, 0));
    }
  }
  state.SetItemsProcessed(state.iterations() * round_trips);
}
BENCHMARK(BM_FloorLoopbackEchoSyscalls)->UseRealTime()->Unit(benchmark::kMillisecond);

// ---- Hybrids ----

void BM_ToThreadRoundTrip(benchmark::State& state) {
  const int round_trips = 5'000;
  for (auto _ : state) {
    taskfit::run([](int round_trips) -> taskfit::Task<void> {
      for (int i = 0; i < round_trips; ++i)
        benchmark::DoNotOptimize(co_await taskfit::to_thread(identity, i));
    }(round_trips));
  }
  state.SetItemsProcessed(state.iterations() * round_trips);
}
BENCHMARK(BM_ToThreadRoundTrip)->UseRealTime()->Unit(benchmark::kMillisecond);

void BM_RunInExecutorProcessPool(benchmark::State& state) {
  taskfit::ProcessPool pool({.max_workers = 1, .fork_server = fork_server()});
  pool.submit<&identity>(0).result();
  const int round_trips = 2'000;
  for (auto _ : state) {
    taskfit::run([](taskfit::ProcessPool* pool, int round_trips) -> taskfit::Task<void> {
      for (int i = 0; i < round_trips; ++i)
        benchmark::DoNotOptimize(co_await taskfit::run_in_executor<&identity>(*pool, i));
    }(&pool, round_trips));
  }
  state.SetItemsProcessed(state.iterations() * round_trips);
}
BENCHMARK(BM_RunInExecutorProcessPool)->UseRealTime()->Unit(benchmark::kMillisecond);

} // namespace

int main(int argc, char** argv) {
  fork_server(); // early: the parent is still small and single-threaded
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv))
    return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
