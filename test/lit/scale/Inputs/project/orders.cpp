#include "shared.h"

taskfit::Task<void> place_order(int id) {
  co_await flush_journal();
  ::sleep(1);
}
