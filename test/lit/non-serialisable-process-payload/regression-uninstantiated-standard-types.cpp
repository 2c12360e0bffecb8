// A standard container only named in a function's parameter is never
// instantiated: its specialisation has no definition, but its type arguments
// still say what it holds. It was reported as an incomplete type.
// RUN: not %taskfit %s -- -std=c++20 -I%inputs | FileCheck %s --implicit-check-not="error:" --implicit-check-not="warning:"
#include "process.h"

#include <map>
#include <optional>
#include <string>

void take_map(std::map<std::string, int>);
void take_optional(std::optional<long>);
void take_pointers(std::map<std::string, int*>);
template <class T>
T& value();

void submit(taskfit::ProcessPool& pool) {
  pool.submit<&take_map>(value<std::map<std::string, int>>());
  pool.submit<&take_optional>(value<std::optional<long>>());
  pool.submit<&take_pointers>(value<std::map<std::string, int*>>());
  // CHECK: :[[@LINE-1]]:8: error: argument 1 of 'submit' of type 'std::map<std::string, int *>' cannot cross a process boundary: it holds 'int *' (a pointer)
}
