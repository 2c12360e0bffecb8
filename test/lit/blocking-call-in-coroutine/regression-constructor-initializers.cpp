// Regression: a constructor's base and member initialisers were not read, so
// a class that loads its state in the initialiser list, or holds a member
// whose constructor blocks, looked non-blocking.
// RUN: not %taskfit --checks='-*,blocking-call-in-coroutine' %s -- -std=c++20 -I%inputs | FileCheck %s --implicit-check-not="warning:"
#include "coro.h"

#include <fstream>
#include <string>

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  return {};
}

class Template {
public:
  explicit Template(const std::string& path) : source_(slurp(path)) {}

private:
  std::string source_;
};

struct Journal {
  Journal() { std::ofstream("journal.log") << "opened\n"; }
};

// Journal's constructor runs in Store's, without being written there.
struct Store : Template {
  Store() : Template("store.tpl") {}
  Journal journal;
};

struct Cheap {
  explicit Cheap(int n) : value(n * 2) {}
  int value;
};

taskfit::Task<void> build() {
  Template page("index.html");
  // CHECK: :[[@LINE-1]]:12: warning: coroutine 'build' calls 'Template::Template', which blocks
  // CHECK-SAME: in 'std::basic_ifstream::basic_ifstream' (file-io);
  // CHECK: regression-constructor-initializers.cpp:[[@LINE-25]]:56: note: 'Template::Template'
  // CHECK-SAME: calls 'slurp' here
  // CHECK-NEXT: regression-constructor-initializers.cpp:[[@LINE-33]]:17: note: 'slurp' calls
  // CHECK-SAME: 'std::basic_ifstream::basic_ifstream', which blocks (file-io): {{.*}}
  Store store;
  // CHECK: :[[@LINE-1]]:9: warning: coroutine 'build' calls 'Store::Store', which blocks in
  // CHECK-SAME: 'std::basic_ofstream::basic_ofstream' (file-io);
  // CHECK: regression-constructor-initializers.cpp:[[@LINE-20]]:3: note: 'Store::Store' calls
  // CHECK-SAME: 'Journal::Journal' here
  // CHECK-NEXT: regression-constructor-initializers.cpp:[[@LINE-27]]:15: note: 'Journal::Journal'
  // CHECK-SAME: calls 'std::basic_ofstream::basic_ofstream', which blocks (file-io): {{.*}}
  Cheap cheap(21);
  co_return;
}
