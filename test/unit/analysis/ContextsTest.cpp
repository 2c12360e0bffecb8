// Propagate, without clang: where bodies run.

#include "propagate/Contexts.h"

#include "ProgramBuilder.h"

#include <gtest/gtest.h>

namespace taskfit {
namespace {

using testing::ProgramBuilder;

const ContextRoot* rootOf(const std::vector<ContextRoot>& Roots, llvm::StringRef Name) {
  for (const ContextRoot& R : Roots)
    if (R.Function->Name == Name)
      return &R;
  return nullptr;
}

TEST(Contexts, EveryKindOfRootWithItsReason) {
  ProgramBuilder B;
  B.coroutine("session");
  B.function("reactor_fn").ReturnsReactorFuture = true;
  B.function("annotated").AnnotatedEventLoop = true;
  B.function("app::Reactor::on_read");
  auto& Handler = B.function("handler");
  auto& Work = B.function("work");
  auto& Main = B.function("main");
  B.submit(Main, Handler, "asio::post", ExecutorRole::EventLoop, 20);
  B.submit(Main, Work, "taskfit::ThreadPool::submit", ExecutorRole::Io, 21);
  Program P = B.link();

  std::vector<ContextRoot> Roots = findContextRoots(P, {"app::Reactor::on_*"});
  ASSERT_EQ(Roots.size(), 5u) << "a thread pool's task runs on no event loop";
  EXPECT_EQ(rootOf(Roots, "session")->Kind, ContextKind::Coroutine);
  EXPECT_EQ(rootOf(Roots, "session")->Reason, ContextReason::CoroutineType);
  EXPECT_EQ(rootOf(Roots, "reactor_fn")->Reason, ContextReason::ReturnsReactorFuture);
  EXPECT_EQ(rootOf(Roots, "annotated")->Reason, ContextReason::Annotated);
  EXPECT_EQ(rootOf(Roots, "app::Reactor::on_read")->Reason, ContextReason::ListedEntryPoint);
  const ContextRoot* Posted = rootOf(Roots, "handler");
  EXPECT_EQ(Posted->Kind, ContextKind::EventLoop);
  EXPECT_EQ(Posted->Reason, ContextReason::Submitted);
  ASSERT_NE(Posted->Submitted, nullptr);
  EXPECT_EQ(Posted->Submitted->Api, "asio::post");
  EXPECT_EQ(rootOf(Roots, "work"), nullptr);
}

TEST(Contexts, TheFirstReasonStaysAndCoroutinesAreTheirOwnKind) {
  ProgramBuilder B;
  auto& Both = B.function("both");
  Both.AnnotatedEventLoop = true;
  auto& Coro = B.coroutine("coro");
  auto& Main = B.function("main");
  B.submit(Main, Both, "asio::post", ExecutorRole::EventLoop, 5);
  B.submit(Main, Coro, "asio::post", ExecutorRole::Strand, 6);
  Program P = B.link();

  std::vector<ContextRoot> Roots = findContextRoots(P, {});
  EXPECT_EQ(rootOf(Roots, "both")->Reason, ContextReason::Annotated);
  EXPECT_EQ(rootOf(Roots, "coro")->Kind, ContextKind::Coroutine);
}

} // namespace
} // namespace taskfit
