#include "coro.h"
#include <vector>

taskfit::Task<int> eight() {
  int total = 0;
  for (int i = 0; i < 8; ++i) {
    total += i;
    total *= 3;
    total ^= total >> 1;
  }
  co_return total;
}

taskfit::Task<int> sum(std::vector<int> values) {
  int total = 0;
  for (int v : values)
    total += v;
  co_return total;
}
