// A mutex for locks held a few dozen nanoseconds (a queue's push or pop) by several busy threads:
// a thread that finds it taken spins briefly before it sleeps in the kernel (glibc's adaptive
// mutex), where std::mutex sleeps at once and each hand-over costs a futex wake-up. Internal.
#pragma once

#include <pthread.h>

namespace taskfit::detail {

class AdaptiveMutex {
public:
  AdaptiveMutex() noexcept {
    pthread_mutexattr_t attributes;
    pthread_mutexattr_init(&attributes);
    pthread_mutexattr_settype(&attributes, PTHREAD_MUTEX_ADAPTIVE_NP);
    pthread_mutex_init(&mutex_, &attributes);
    pthread_mutexattr_destroy(&attributes);
  }
  AdaptiveMutex(const AdaptiveMutex&) = delete;
  AdaptiveMutex& operator=(const AdaptiveMutex&) = delete;
  ~AdaptiveMutex() { pthread_mutex_destroy(&mutex_); }

  void lock() noexcept { pthread_mutex_lock(&mutex_); }
  bool try_lock() noexcept { return pthread_mutex_trylock(&mutex_) == 0; }
  void unlock() noexcept { pthread_mutex_unlock(&mutex_); }

private:
  pthread_mutex_t mutex_;
};

} // namespace taskfit::detail
