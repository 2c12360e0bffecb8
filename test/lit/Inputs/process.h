// A minimal mock of the process boundaries the analyser knows
// (rules/executors.yaml): taskfit::ProcessPool and run_in_executor (after
// lib/runtime/include/taskfit/runtime), a boost::interprocess message queue
// and managed segment, and MPI's sends. Parsed, never linked.
#ifndef TASKFIT_LIT_PROCESS_H
#define TASKFIT_LIT_PROCESS_H

#include <cstddef>
#include <vector>

namespace taskfit {

template <class T>
struct Future {
  T result();
};

class ProcessPool {
public:
  template <auto Function, class... Args>
  auto submit(Args&&... args) {
    return Future<int>{};
  }
  // The overload the runtime refuses at compile time: a callable given at run time.
  template <class Callable, class... Args>
  void submit(Callable&&, Args&&...) {}
  template <auto Function, class Inputs>
  auto map(Inputs&& inputs) {
    return std::vector<int>{};
  }
};

template <auto Function, class... Args>
auto run_in_executor(ProcessPool& pool, Args&&... args) {
  return Future<int>{};
}

} // namespace taskfit

namespace boost::interprocess {
template <class VoidPointer>
class message_queue_t {
public:
  void send(const void* buffer, std::size_t size, unsigned int priority);
};
using message_queue = message_queue_t<void*>;

namespace ipcdetail {
template <class T>
struct construct_proxy {
  T* operator()() const;
};
class basic_managed_memory_impl {
public:
  template <class T>
  construct_proxy<T> construct(const char* name);
};
} // namespace ipcdetail
class managed_shared_memory : public ipcdetail::basic_managed_memory_impl {};
} // namespace boost::interprocess

extern "C" {
typedef int MPI_Datatype;
typedef int MPI_Comm;
typedef int MPI_Request;
#define MPI_BYTE 1
#define MPI_COMM_WORLD 2
int MPI_Send(const void* buf, int count, MPI_Datatype datatype, int dest, int tag, MPI_Comm comm);
int MPI_Isend(const void* buf, int count, MPI_Datatype datatype, int dest, int tag, MPI_Comm comm,
              MPI_Request* request);
}

#endif
