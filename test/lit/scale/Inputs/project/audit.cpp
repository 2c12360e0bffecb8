#include "shared.h"

taskfit::Task<void> record(int event) {
  co_await flush_journal();
  ::usleep(100);
}
