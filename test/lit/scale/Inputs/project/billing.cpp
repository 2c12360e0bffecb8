#include "shared.h"

taskfit::Task<void> charge(int cents) {
  co_await flush_journal();
  co_await taskfit::sleep(std::chrono::milliseconds(cents));
}
