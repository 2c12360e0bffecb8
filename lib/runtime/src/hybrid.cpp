#include "taskfit/runtime/hybrid.hpp"

namespace taskfit {

ThreadPool& default_thread_pool() {
  // Leaked on purpose: tasks may still be finishing in it while static destructors run.
  static ThreadPool* pool = new ThreadPool();
  return *pool;
}

} // namespace taskfit
