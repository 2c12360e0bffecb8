//===- BlockingCallOnEventLoopCheck.cpp - blocking-call-on-event-loop -----===//
//
// Callbacks posted to an event loop, completion handlers and functions that
// return reactor futures run on the loop's thread: blocking there stalls
// every other handler. See docs/checks/blocking-call-on-event-loop.md.
//
//===----------------------------------------------------------------------===//

#include "checks/BlockingContextCheck.h"

namespace taskfit {

std::unique_ptr<Check> createBlockingCallOnEventLoopCheck() {
  CheckInfo Info;
  Info.Id = "blocking-call-on-event-loop";
  Info.Name = "BlockingCallOnEventLoop";
  Info.DefaultLevel = Level::Warning;
  Info.ShortDescription = "A callback that runs on an event loop calls an API that blocks.";
  Info.FullDescription =
      "Handlers posted to an event loop (asio::post to an io_context, completion handlers of "
      "async operations, libuv callbacks, seastar continuations), functions returning reactor "
      "futures and declared entry points run on the loop's thread. A blocking call there, "
      "direct or through helpers, stalls every other handler of the loop.";
  Info.Help = "Use the asynchronous form of the operation, or post the blocking work to a "
              "thread pool (asio::post(thread_pool, ...), taskfit::ThreadPool::submit) and "
              "continue on the loop when it completes.";
  Info.Tags = {"concurrency", "event-loop", "performance", "blocking"};
  Info.Precision =
      PrecisionRating::VeryHigh; // Every finding on the corpora true (docs/precision.md).
  return std::make_unique<BlockingContextCheck>(std::move(Info), ContextKind::EventLoop);
}

} // namespace taskfit
