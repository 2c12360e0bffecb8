// taskfit::ProcessPool sends values through cereal: every argument (as the
// function's parameter type), and the result, must be serialisable. The
// message names the first path to the offending member, like a pickling error.
// RUN: not %taskfit %s -- -std=c++20 -I%inputs | FileCheck %s --implicit-check-not="error:" --implicit-check-not="warning:"
#include "process.h"

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <tuple>
#include <variant>
#include <vector>

// Accepted: cereal's member serialize, member save/load, free serialize.
struct Report {
  std::string path;
  std::vector<double> values;
  template <class Archive>
  void serialize(Archive& archive) {
    archive(path, values);
  }
};
struct Versioned {
  int version = 0;
  template <class Archive>
  void save(Archive&) const {}
  template <class Archive>
  void load(Archive&) {}
};
namespace app {
struct Point {
  double x, y;
};
template <class Archive>
void serialize(Archive& archive, Point& p) {
  archive(p.x, p.y);
}
} // namespace app
// A type with its own serialize decides what crosses: its cache is left behind.
struct Cached {
  std::string key;
  std::mutex cache_lock;
  template <class Archive>
  void serialize(Archive& archive) {
    archive(key);
  }
};

// Rejected: the first path to the offender, through members, bases,
// templates and aliases.
struct Job {
  std::ostream& sink;
  int level;
};
struct Meta {
  std::unique_ptr<int> owner;
};
struct Nested {
  int id;
  Meta meta;
};
struct Base {
  const char* label;
};
struct Derived : Base {
  int extra;
};
template <class T>
struct Box {
  T value;
};
using Handle = std::shared_ptr<Report>;
struct Aliased {
  Handle handle;
};
struct WithView {
  std::string_view name;
};
struct Plain { // No protocol: cereal cannot send it.
  int x;
};
struct Incomplete;
// Recursive types: the walk stops at the cycle.
struct Tree {
  std::vector<Tree> children;
  template <class Archive>
  void serialize(Archive& archive) {
    archive(children);
  }
};
struct List {
  int value;
  List* next;
};

void accept_report(Report);
void accept_versioned(const Versioned&);
void accept_point(app::Point);
void accept_cached(const Cached&);
void accept_values(int, double, std::string, std::vector<std::string>, std::map<std::string, int>,
                   std::optional<long>, std::variant<int, std::string>, std::tuple<int, char>);
void accept_tree(Tree);
int square(int);
void take_job(Job);
void take_nested(Nested);
void take_derived(Derived);
void take_box(Box<std::mutex*>);
void take_aliased(Aliased);
void take_view(WithView);
void take_plain(Plain);
void take_incomplete(const Incomplete&);
void take_list(List);
void take_mutable(Report&);
void take_pointer(int*);
void take_reports(std::vector<Box<std::function<void()>>>);
std::string_view returns_view(int);

void submit_all(taskfit::ProcessPool& pool, Report r, Versioned v, app::Point p, Tree t, Job j,
                Nested n, Derived d, Aliased a, WithView w, Plain pl, List l, int* ip) {
  pool.submit<&accept_report>(r);
  pool.submit<&accept_versioned>(v);
  pool.submit<&accept_point>(p);
  pool.submit<&accept_cached>(Cached{});
  pool.submit<&accept_values>(1, 2.0, "three", std::vector<std::string>{}, std::map<std::string, int>{},
                              std::optional<long>{}, std::variant<int, std::string>{},
                              std::tuple<int, char>{});
  pool.submit<&accept_tree>(t);
  pool.submit<&square>(4);
  // The argument converts to the parameter's type: a string literal becomes a std::string.
  pool.submit<&accept_values>(1, 2.0, "three", std::vector<std::string>{}, std::map<std::string, int>{},
                              std::nullopt, 1, std::tuple<int, char>{});

  pool.submit<&take_job>(j);
  // CHECK: process-pool.cpp:[[@LINE-1]]:8: error: argument 1 of 'submit' of type 'Job' cannot cross a process boundary: 'Job::sink' is 'std::ostream &' (a reference) [non-serialisable-process-payload]
  pool.submit<&take_nested>(n);
  // CHECK: :[[@LINE-1]]:8: error: argument 1 of 'submit' of type 'Nested' cannot cross a process boundary: 'Nested::meta::owner' is 'std::unique_ptr<int>' (a smart pointer)
  pool.submit<&take_derived>(d);
  // CHECK: :[[@LINE-1]]:8: error: argument 1 of 'submit' of type 'Derived' cannot cross a process boundary: 'Derived::Base::label' is 'const char *' (a pointer)
  pool.submit<&take_box>(Box<std::mutex*>{});
  // CHECK: :[[@LINE-1]]:8: error: argument 1 of 'submit' of type 'Box<std::mutex *>' cannot cross a process boundary: 'Box::value' is 'std::mutex *' (a pointer)
  pool.submit<&take_aliased>(a);
  // CHECK: :[[@LINE-1]]:8: error: argument 1 of 'submit' of type 'Aliased' cannot cross a process boundary: 'Aliased::handle' is 'Handle' (a smart pointer)
  pool.submit<&take_view>(w);
  // CHECK: :[[@LINE-1]]:8: error: argument 1 of 'submit' of type 'WithView' cannot cross a process boundary: 'WithView::name' is 'std::string_view' (a view of memory in this process)
  pool.submit<&take_plain>(pl);
  // CHECK: :[[@LINE-1]]:8: error: argument 1 of 'submit' of type 'Plain' cannot cross a process boundary: it is 'Plain', which has no serialisation function (give it a cereal serialize(Archive&) member or save/load functions)
  pool.submit<&take_list>(l);
  // CHECK: :[[@LINE-1]]:8: error: argument 1 of 'submit' of type 'List' cannot cross a process boundary: 'List::next' is 'List *' (a pointer)
  pool.submit<&take_mutable>(r);
  // CHECK: :[[@LINE-1]]:8: error: argument 1 of 'submit' of type 'Report' cannot cross a process boundary: it is 'Report &' (a reference)
  pool.submit<&take_pointer>(ip);
  // CHECK: :[[@LINE-1]]:8: error: argument 1 of 'submit' of type 'int *' cannot cross a process boundary: it is 'int *' (a pointer)
  pool.submit<&take_reports>(std::vector<Box<std::function<void()>>>{});
  // CHECK: :[[@LINE-1]]:8: error: argument 1 of 'submit' of type 'std::vector<Box<std::function<void ()>>>' cannot cross a process boundary: it holds 'Box<std::function<void ()>>', whose 'Box::value' is 'std::function<void ()>' (a type-erased callable)
  pool.submit<&returns_view>(1);
  // CHECK: :[[@LINE-1]]:8: error: the result of 'returns_view' of type 'std::string_view' cannot cross a process boundary: it is 'std::string_view' (a view of memory in this process)
}

// Unknown types are warnings: the analyser cannot see inside them.
void submit_unknown(taskfit::ProcessPool& pool, const Incomplete& i) {
  pool.submit<&take_incomplete>(i);
  // CHECK: :[[@LINE-1]]:8: warning: argument 1 of 'submit' of type 'Incomplete' cannot cross a process boundary: it is 'Incomplete' (an incomplete type)
}

// map<&fn>(range): the elements travel as fn's parameter.
int score(const Report&);
int weigh(Job);
void map_all(taskfit::ProcessPool& pool, std::vector<Report>& reports, std::vector<Job>& jobs) {
  pool.map<&score>(reports);
  pool.map<&weigh>(jobs);
  // CHECK: :[[@LINE-1]]:8: error: argument 1 of 'map' of type 'Job' cannot cross a process boundary: 'Job::sink' is 'std::ostream &' (a reference)
}

// run_in_executor<&fn>(pool, args...): every argument after the pool.
void hybrid(taskfit::ProcessPool& pool, Report r, Nested n) {
  taskfit::run_in_executor<&accept_report>(pool, r);
  taskfit::run_in_executor<&take_nested>(pool, n);
  // CHECK: :[[@LINE-1]]:12: error: argument 2 of 'run_in_executor' of type 'Nested' cannot cross a process boundary: 'Nested::meta::owner' is 'std::unique_ptr<int>' (a smart pointer)
}
