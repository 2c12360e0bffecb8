//===- BlockingCallInCoroutineCheck.cpp - blocking-call-in-coroutine ------===//
//
// A coroutine that runs on an event loop shares its thread with every other
// task of that loop: one blocking call stalls them all (the C++ twin of
// `time.sleep` inside `async def`). See docs/checks/blocking-call-in-coroutine.md.
//
//===----------------------------------------------------------------------===//

#include "checks/BlockingContextCheck.h"

namespace taskfit {

std::unique_ptr<Check> createBlockingCallInCoroutineCheck() {
  CheckInfo Info;
  Info.Id = "blocking-call-in-coroutine";
  Info.Name = "BlockingCallInCoroutine";
  Info.DefaultLevel = Level::Warning;
  Info.ShortDescription = "A coroutine calls an API that blocks its thread.";
  Info.FullDescription =
      "A coroutine that co_awaits runs on an event loop shared with every other task. A call "
      "that blocks (sleep, file or socket I/O, a lock or future wait, a synchronous HTTP or "
      "database client), made directly or through helper functions, stalls the whole loop. "
      "Work handed to an offload wrapper such as taskfit::to_thread is exempt.";
  Info.Help = "Replace the call with its asynchronous counterpart (the message names one), or "
              "offload it with co_await taskfit::to_thread(...) / run_in_executor. Suppress a "
              "deliberate call with // NOLINT(blocking-call-in-coroutine).";
  Info.Tags = {"concurrency", "coroutines", "performance", "blocking"};
  Info.Precision =
      PrecisionRating::Medium; // No finding on the corpora yet: unmeasured (docs/precision.md).
  return std::make_unique<BlockingContextCheck>(std::move(Info), ContextKind::Coroutine);
}

} // namespace taskfit
