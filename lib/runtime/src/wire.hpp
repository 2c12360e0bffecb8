// Framing between the pool and its workers over a stream socket. Internal.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <sys/socket.h>
#include <unistd.h>

namespace taskfit::detail {

enum class FrameKind : std::uint32_t {
  task = 1,        // pool -> worker: invoker address + serialized arguments
  result = 2,      // worker -> pool: serialized result
  error = 3,       // worker -> pool: exception type name \0 message
  init_failed = 4, // worker -> pool: the initializer threw (type \0 message); the worker exits
};

// FrameHeader::flags
enum : std::uint32_t {
  // The payload is at the start of the sender's SharedArea, not on the socket. The area's
  // descriptor comes (SCM_RIGHTS) with the first such frame or before it.
  frame_in_shared_area = 1,
};

struct FrameHeader {
  FrameKind kind;
  std::uint32_t flags;
  std::uint64_t invoker; // task frames only
  std::uint64_t size;    // payload bytes that follow (or that are in the shared area)
};
static_assert(sizeof(FrameHeader) == 24);

// Bytes on the socket after the header.
inline std::uint64_t socket_payload_size(const FrameHeader& header) {
  return (header.flags & frame_in_shared_area) != 0 ? 0 : header.size;
}

// The counters a worker shares with its pool (the `progress` memfd), std::atomic<std::uint64_t>.
enum ProgressCounter : std::size_t {
  tasks_started = 0,     // worker: before it runs a task; says what a crash interrupted
  initialised = 1,       // worker: 1 once its initializer returned
  area_tasks_read = 2,   // worker: task payloads read from the pool's shared area
  area_results_read = 3, // pool: result payloads read from the worker's shared area
  progress_counters = 4,
};

// recv() that also takes a descriptor sent with the bytes (SCM_RIGHTS), into `received` (which
// must be -1 before; a second one is closed: the protocol sends one per direction).
inline ssize_t receive_with_descriptor(int fd, void* into, std::size_t size, int flags,
                                       int& received) {
  iovec part{into, size};
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))];
  msghdr message{};
  message.msg_iov = &part;
  message.msg_iovlen = 1;
  message.msg_control = control;
  message.msg_controllen = sizeof control;
  const ssize_t got = ::recvmsg(fd, &message, flags | MSG_CMSG_CLOEXEC);
  if (got > 0)
    for (cmsghdr* header = CMSG_FIRSTHDR(&message); header != nullptr;
         header = CMSG_NXTHDR(&message, header))
      if (header->cmsg_level == SOL_SOCKET && header->cmsg_type == SCM_RIGHTS) {
        int descriptor;
        std::memcpy(&descriptor, CMSG_DATA(header), sizeof descriptor);
        if (received < 0)
          received = descriptor;
        else
          ::close(descriptor);
      }
  return got;
}

// Makes `message` carry `descriptor` (SCM_RIGHTS) in `control`.
inline void attach_descriptor(msghdr& message, char (&control)[CMSG_SPACE(sizeof(int))],
                              int descriptor) {
  message.msg_control = control;
  message.msg_controllen = sizeof control;
  cmsghdr* header = CMSG_FIRSTHDR(&message);
  header->cmsg_level = SOL_SOCKET;
  header->cmsg_type = SCM_RIGHTS;
  header->cmsg_len = CMSG_LEN(sizeof(int));
  std::memcpy(CMSG_DATA(header), &descriptor, sizeof descriptor);
}

// Worker side of the pool: never returns.
// `progress` is a memfd of ProgressCounter counters, which the worker maps.
[[noreturn]] void run_worker(int channel, int progress, void (*initializer)(),
                             std::uint64_t max_tasks);

} // namespace taskfit::detail
