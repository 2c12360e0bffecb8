#include "coro.h"

#include <unistd.h>

taskfit::Task<void> report_metrics() {
  co_await taskfit::yield();
  ::sleep(5);
}
