// Regression: with -fdelayed-template-parsing (clang-cl's default, and used
// by code ported from MSVC) a function template has no body until it is
// instantiated, and taskfit crashed (SIGSEGV) where `clang++ -fsyntax-only`
// does not. Templates never instantiated are skipped; the rest of the file is
// analysed.
// RUN: not %taskfit --checks='-*,blocking-call-in-coroutine' %s -- -std=c++20 -I%inputs -fdelayed-template-parsing | FileCheck %s --implicit-check-not="warning:" --implicit-check-not="error:"
#include "coro.h"

#include <thread>
#include <unistd.h>

template <class T>
struct Holder {
  void run() {
    std::thread([] { sleep(1); }).detach();
    T::missing();
  }
};

template <class T>
void helper(T t) {
  t.run();
  usleep(1);
}

taskfit::Task<void> naps() {
  usleep(10);
  // CHECK: regression-delayed-template-parsing.cpp:[[@LINE-1]]:3: warning: coroutine 'naps' calls 'usleep', which blocks (sleep);
  co_return;
}
