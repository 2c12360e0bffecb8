// Propagate, without clang: blocking and CPU summaries over hand-made Facts.

#include "ProgramBuilder.h"
#include "propagate/CpuSummaries.h"

#include <gtest/gtest.h>

namespace taskfit {
namespace {

using testing::ProgramBuilder;

TEST(BlockingSummaries, TheShortestTraceWinsAcrossHelpers) {
  ProgramBuilder B;
  auto& Deep = B.function("deep");
  B.blockingCall(Deep, "fsync", 2);
  auto& Middle = B.function("middle");
  B.call(Middle, Deep, 4);
  auto& Near = B.function("near");
  B.blockingCall(Near, "fopen", 6);
  auto& Top = B.function("top");
  B.call(Top, Middle, 8);
  B.call(Top, Near, 9);
  Program P = B.link();

  BlockingSummaries Blocking(P, 32);
  const FunctionFacts& T = *P.function("c:@F@top");
  std::vector<TraceHop> Hops;
  const BlockingMatch* Api = Blocking.reach(T.Calls[1], &Hops);
  ASSERT_NE(Api, nullptr);
  EXPECT_EQ(Api->Api, "fopen");
  ASSERT_EQ(Hops.size(), 1u);
  EXPECT_EQ(Hops[0].Function->Name, "near");

  Hops.clear();
  Api = Blocking.reach(T.Calls[0], &Hops);
  ASSERT_NE(Api, nullptr);
  EXPECT_EQ(Api->Api, "fsync");
  ASSERT_EQ(Hops.size(), 2u);
  EXPECT_EQ(Hops[0].Function->Name, "middle");
  EXPECT_EQ(Hops[1].Function->Name, "deep");
}

TEST(BlockingSummaries, CyclesConverge) {
  ProgramBuilder B;
  auto& A = B.function("a");
  auto& C = B.function("c");
  B.call(A, C, 2);
  B.call(C, A, 3);
  B.blockingCall(C, "sleep", 4, "sleep");
  auto& Far = B.function("far");
  B.call(Far, A, 6);
  Program P = B.link();

  BlockingSummaries Blocking(P, 32);
  std::vector<TraceHop> Hops;
  const BlockingMatch* Api = Blocking.reach(P.function("c:@F@far")->Calls[0], &Hops);
  ASSERT_NE(Api, nullptr);
  EXPECT_EQ(Api->Api, "sleep");
  EXPECT_EQ(Hops.size(), 2u);
}

TEST(BlockingSummaries, TracesLongerThanTheDepthLimitAreNotFollowed) {
  ProgramBuilder B;
  auto& D3 = B.function("d3");
  B.blockingCall(D3, "sleep", 2, "sleep");
  auto& D2 = B.function("d2");
  B.call(D2, D3, 4);
  auto& D1 = B.function("d1");
  B.call(D1, D2, 6);
  auto& Top = B.function("top");
  B.call(Top, D1, 8);
  Program P = B.link();

  EXPECT_NE(BlockingSummaries(P, 32).reach(P.function("c:@F@top")->Calls[0], nullptr), nullptr);
  // d1 -> d2 -> d3 -> sleep is three calls deep: a limit of two never summarises d1.
  EXPECT_EQ(BlockingSummaries(P, 2).reach(P.function("c:@F@top")->Calls[0], nullptr), nullptr);
}

TEST(BlockingSummaries, AsyncCoroutinesAndTrustedFunctionsAreNotEntered) {
  ProgramBuilder B;
  auto& Coro = B.coroutine("coro");
  B.blockingCall(Coro, "sleep", 2, "sleep");
  auto& Trusted = B.function("trusted");
  Trusted.TrustedNonBlocking = true;
  B.blockingCall(Trusted, "fopen", 4);
  auto& Caller = B.function("caller");
  B.call(Caller, Coro, 6);
  B.call(Caller, Trusted, 7);
  Program P = B.link();

  BlockingSummaries Blocking(P, 32);
  const FunctionFacts& F = *P.function("c:@F@caller");
  EXPECT_EQ(Blocking.reach(F.Calls[0], nullptr), nullptr) << "calling a coroutine only creates it";
  EXPECT_EQ(Blocking.reach(F.Calls[1], nullptr), nullptr) << "[[clang::nonblocking]] is trusted";
}

TEST(CpuSummaries, LoopsNeedInputDependentTripsAndABody) {
  ProgramBuilder B;
  auto& F = B.function("f");
  int Short = B.loop(F, 2, TripCount::Constant, 10);
  F.Loops[Short].ConstantTrips = 8;
  int Tiny = B.loop(F, 3, TripCount::Container, 1);
  int Real = B.loop(F, 4, TripCount::Container, 5);
  int Waits = B.loop(F, 5, TripCount::Unbounded, 5);
  B.blockingCall(F, "recv", 6).Loop = Waits;
  Program P = B.link();

  BlockingSummaries Blocking(P, 32);
  CpuSummaries Cpu(P, Blocking, testing::defaultConfig, 32);
  const FunctionFacts& G = *P.function("c:@F@f");
  EXPECT_FALSE(Cpu.isCpuBoundLoop(G, Short)) << "8 iterations are below small-trip-count";
  EXPECT_FALSE(Cpu.isCpuBoundLoop(G, Tiny)) << "one operation is below min-loop-operations";
  EXPECT_TRUE(Cpu.isCpuBoundLoop(G, Real));
  EXPECT_FALSE(Cpu.isCpuBoundLoop(G, Waits)) << "a loop that blocks on each turn is I/O-bound";
}

TEST(CpuSummaries, WorkIsFoundThroughHelpersAndHeavyCalls) {
  ProgramBuilder B;
  auto& Hash = B.function("hash_all");
  B.call(Hash, "SHA256", 3).CpuHeavy = CpuHeavyMatch{"SHA256", "hashing", "offload it"};
  auto& Sort = B.function("sort_rows");
  B.loop(Sort, 5, TripCount::Parameter, 4);
  auto& Top = B.function("top");
  B.call(Top, Hash, 7);
  B.call(Top, Sort, 8);
  Program P = B.link();

  BlockingSummaries Blocking(P, 32);
  CpuSummaries Cpu(P, Blocking, testing::defaultConfig, 32);
  const FunctionFacts& T = *P.function("c:@F@top");
  std::vector<TraceHop> Hops;
  std::optional<CpuWork> Heavy = Cpu.reach(T.Calls[0], &Hops);
  ASSERT_TRUE(Heavy);
  ASSERT_NE(Heavy->HeavyCall, nullptr);
  EXPECT_EQ(Heavy->HeavyCall->CpuHeavy->Api, "SHA256");
  std::optional<CpuWork> Loop = Cpu.reach(T.Calls[1], nullptr);
  ASSERT_TRUE(Loop);
  EXPECT_EQ(Loop->Function->Name, "sort_rows");
  EXPECT_EQ(Loop->loop().Trips, TripCount::Parameter);
  // The whole function: the first CPU-bound work in call order.
  std::optional<CpuWork> Of = Cpu.of(T, nullptr);
  ASSERT_TRUE(Of);
  EXPECT_NE(Of->HeavyCall, nullptr);
}

} // namespace
} // namespace taskfit
