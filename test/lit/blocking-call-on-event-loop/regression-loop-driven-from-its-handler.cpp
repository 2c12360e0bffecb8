// Regression: a handler that drives its own loop (a fiber scheduler posts one
// that runs `while (io->poll());` and `io->run_one()` until the loop stops)
// is that loop's run loop, not a handler blocking it: running the loop's
// handlers from inside one of them stalls nothing, and draining it with
// poll() waits on the loop every turn, so it is no busy wait either. Running
// a different loop from a handler, or spinning on a flag, still blocks it.
// RUN: not %taskfit --checks='-*,blocking-call-on-event-loop,cpu-bound-loop-*' %s -- -std=c++20 -I%inputs | FileCheck %s --implicit-check-not="warning:"
#include "asio.h"

#include <atomic>
#include <memory>

class FiberScheduler {
public:
  explicit FiberScheduler(std::shared_ptr<asio::io_context> io) : io_(std::move(io)), timer_(*io_) {
    asio::post(*io_, [this] {
      while (!io_->stopped()) {
        if (ready_) {
          while (io_->poll())
            ;
          resume_ready();
        } else if (!io_->run_one()) {
          break;
        }
      }
    });
  }

  void drive_other(asio::io_context& other) {
    asio::post(*io_, [&other] { other.run(); });
    // CHECK: regression-loop-driven-from-its-handler.cpp:[[@LINE-1]]:39: warning: 'lambda at {{.*}}' runs on the event loop and calls 'asio::io_context::run'
  }

  void spin() {
    asio::post(*io_, [this] {
      while (!flag_.load())
        ;
    });
    // CHECK: regression-loop-driven-from-its-handler.cpp:[[@LINE-4]]:11: warning: CPU-bound task {{.*}} busy-wait loop
  }

private:
  void resume_ready();
  std::shared_ptr<asio::io_context> io_;
  asio::steady_timer timer_;
  std::atomic<bool> flag_{false};
  bool ready_ = false;
};
