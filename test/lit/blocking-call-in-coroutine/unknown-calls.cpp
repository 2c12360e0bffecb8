// What the analyser cannot see is unknown, never guessed blocking: functions
// without a definition, calls through function pointers and std::function,
// and virtual calls that may land in any override. A virtual call whose target
// is certain (a final class or method, a qualified call) is followed.
// RUN: not %taskfit --checks='-*,blocking-call-in-coroutine' %s -- -std=c++20 -I%inputs | FileCheck %s --implicit-check-not="warning:"
#include "coro.h"

#include <functional>
#include <thread>

void nap() {
  std::this_thread::sleep_for(std::chrono::milliseconds(1));
}
void external_library_call(int); // No definition in this program.

struct Storage {
  virtual ~Storage() = default;
  virtual void save() { nap(); }
};
struct MemoryStorage : Storage {
  void save() override {}
};
struct DiskStorage final : Storage {
  void save() override { nap(); }
};
struct LoggedStorage : Storage {
  void save() final { nap(); }
};

taskfit::Task<void> unknowns(void (*callback)(), std::function<void()> hook, Storage& any) {
  external_library_call(1);
  callback();
  hook();
  void (*pointer)() = nap;
  pointer();
  any.save();
  co_return;
}

taskfit::Task<void> certain_targets(DiskStorage& disk, LoggedStorage& logged,
                                    MemoryStorage& memory) {
  disk.save();
  // CHECK: :[[@LINE-1]]:8: warning: coroutine 'certain_targets' calls 'DiskStorage::save', which
  // CHECK-SAME: blocks in 'std::this_thread::sleep_for' (sleep);
  logged.save();
  // CHECK: :[[@LINE-1]]:10: warning: coroutine 'certain_targets' calls 'LoggedStorage::save',
  // CHECK-SAME: which blocks in 'std::this_thread::sleep_for' (sleep);
  memory.Storage::save();
  // CHECK: :[[@LINE-1]]:19: warning: coroutine 'certain_targets' calls 'Storage::save', which
  // CHECK-SAME: blocks in 'std::this_thread::sleep_for' (sleep);
  memory.save(); // Virtual: MemoryStorage may have overrides elsewhere.
  co_return;
}
