// Raw-byte channels send an object's bytes: only trivially copyable plain
// values mean the same in the other process. Anything that owns memory
// (std::string, containers) is rejected, even with cereal functions; so are
// pointers inside trivially copyable structs. Each boundary kind has its
// accepted and rejected case side by side.
// RUN: not %taskfit %s -- -std=c++20 -I%inputs | FileCheck %s --implicit-check-not="error:" --implicit-check-not="warning:"
#include "process.h"

#include <array>
#include <cstdio>
#include <cstring>
#include <mqueue.h>
#include <string>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <unistd.h>

struct Sample { // Trivially copyable, plain values, a fixed array.
  int id;
  double values[8];
  std::array<char, 16> tag;
};
struct Linked { // Trivially copyable, but its pointer means nothing elsewhere.
  int id;
  Sample* next;
};
struct Named {
  int id;
  std::string name;
  template <class Archive>
  void serialize(Archive& archive) { // Fine for a ProcessPool, not for raw bytes.
    archive(id, name);
  }
};
struct Shape {
  virtual ~Shape();
  int sides;
};
struct Header {
  int kind;
};
struct Framed : Header { // Through a base.
  const char* body;
};

void pipes_and_sockets(int fd, Sample s, Linked l, Named n, Shape& shape, Framed f) {
  write(fd, &s, sizeof s);
  write(fd, &l, sizeof l);
  // CHECK: raw-bytes.cpp:[[@LINE-1]]:3: error: argument 2 of 'write' of type 'Linked' cannot cross a process boundary: 'Linked::next' is 'Sample *' (a pointer) [non-serialisable-process-payload]
  send(fd, &s, sizeof s, 0);
  send(fd, &n, sizeof n, 0);
  // CHECK: :[[@LINE-1]]:3: error: argument 2 of 'send' of type 'Named' cannot cross a process boundary: 'Named::name' is 'std::string' (owns memory: its bytes point into this process's heap)
  sendto(fd, &s, sizeof s, 0, nullptr, 0);
  sendto(fd, &shape, sizeof shape, 0, nullptr, 0);
  // CHECK: :[[@LINE-1]]:3: error: argument 2 of 'sendto' of type 'Shape' cannot cross a process boundary: it is 'Shape' (has virtual functions: its bytes hold a pointer to this process's vtable)
  write(fd, n.name.data(), n.name.size()); // The characters themselves: fine.
  write(fd, &f, sizeof f);
  // CHECK: :[[@LINE-1]]:3: error: argument 2 of 'write' of type 'Framed' cannot cross a process boundary: 'Framed::body' is 'const char *' (a pointer)
}

void message_queues(mqd_t queue, Sample s, Named n, boost::interprocess::message_queue& mq) {
  mq_send(queue, reinterpret_cast<const char*>(&s), sizeof s, 0);
  mq_send(queue, reinterpret_cast<const char*>(&n), sizeof n, 0);
  // CHECK: :[[@LINE-1]]:3: error: argument 2 of 'mq_send' of type 'Named' cannot cross a process boundary: 'Named::name' is 'std::string' (owns memory
  mq.send(&s, sizeof s, 0);
  mq.send(&n, sizeof n, 0);
  // CHECK: :[[@LINE-1]]:6: error: argument 1 of 'send' of type 'Named' cannot cross a process boundary: 'Named::name' is 'std::string' (owns memory
}

void streams(Sample s, Linked l) {
  FILE* child = popen("consumer", "w");
  fwrite(&s, sizeof s, 1, child);
  fwrite(&l, sizeof l, 1, child);
  // CHECK: :[[@LINE-1]]:3: error: argument 1 of 'fwrite' of type 'Linked' cannot cross a process boundary: 'Linked::next' is 'Sample *' (a pointer)
  FILE* log = fopen("log.bin", "wb"); // A file of this process: not a boundary.
  fwrite(&l, sizeof l, 1, log);
}

void shared_memory(int fd, Sample s, Named n, Linked l) {
  void* shared = mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  auto* slot = static_cast<Sample*>(shared);
  std::memcpy(slot, &s, sizeof s);
  std::memcpy(shared, &n, sizeof n);
  // CHECK: :[[@LINE-1]]:8: error: argument 2 of 'memcpy' of type 'Named' cannot cross a process boundary: 'Named::name' is 'std::string' (owns memory
  void* segment = shmat(fd, nullptr, 0);
  memcpy(segment, &l, sizeof l);
  // CHECK: :[[@LINE-1]]:3: error: argument 2 of 'memcpy' of type 'Linked' cannot cross a process boundary: 'Linked::next' is 'Sample *' (a pointer)
  void* mine = mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  std::memcpy(mine, &n, sizeof n); // Private memory: not a boundary.
  char buffer[sizeof(Named)];
  std::memcpy(buffer, &n, sizeof n);
}

void managed_segment(boost::interprocess::managed_shared_memory& segment) {
  segment.construct<Sample>("sample")();
  segment.construct<Named>("named")();
  // CHECK: :[[@LINE-1]]:11: error: template argument 1 of 'construct' of type 'Named' cannot cross a process boundary: 'Named::name' is 'std::string' (owns memory
}

void mpi(Sample s, Linked l) {
  MPI_Send(&s, sizeof s, MPI_BYTE, 1, 0, MPI_COMM_WORLD);
  MPI_Request request;
  MPI_Isend(&l, sizeof l, MPI_BYTE, 1, 0, MPI_COMM_WORLD, &request);
  // CHECK: :[[@LINE-1]]:3: error: argument 1 of 'MPI_Isend' of type 'Linked' cannot cross a process boundary: 'Linked::next' is 'Sample *' (a pointer)
}
