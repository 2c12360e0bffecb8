// Framing between the pool and its workers over a stream socket. Internal.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <sys/socket.h>
#include <unistd.h>
#include <vector>

namespace taskfit::detail {

enum class FrameKind : std::uint32_t {
  task = 1,        // pool -> worker: invoker address + serialized arguments
  result = 2,      // worker -> pool: serialized result
  error = 3,       // worker -> pool: exception type name \0 message
  init_failed = 4, // worker -> pool: the initializer threw (type \0 message); the worker exits
};

// FrameHeader::flags
enum : std::uint32_t {
  // The payload is at the start of a SharedArea, not on the socket. A task's area is its own: its
  // descriptor (SCM_RIGHTS) comes with every such frame, or before it. A worker's results share
  // one area, whose descriptor comes with the first such result.
  frame_in_shared_area = 1,
};

struct FrameHeader {
  FrameKind kind;
  std::uint32_t flags;
  std::uint64_t invoker; // task frames only
  std::uint64_t size;    // payload bytes that follow (or that are in the shared area)
  // A task in a shared area: the area's identity (SharedArea::identity()), which the worker checks
  // against the descriptor it takes for the frame. A descriptor the kernel could not pass (the
  // worker out of descriptors) fails that task alone, instead of giving it another's arguments.
  std::uint64_t area = 0;
};
static_assert(sizeof(FrameHeader) == 32);

// Bytes on the socket after the header.
inline std::uint64_t socket_payload_size(const FrameHeader& header) {
  return (header.flags & frame_in_shared_area) != 0 ? 0 : header.size;
}

// The counters a worker shares with its pool (the `progress` memfd), std::atomic<std::uint64_t>.
enum ProgressCounter : std::size_t {
  tasks_started = 0,       // worker: before it runs a task; says what a crash interrupted
  initialised = 1,         // worker: 1 once its initializer returned (or at once, without one)
  area_results_read = 2,   // pool: result payloads read from the worker's shared area
  initializer_started = 3, // worker: 1 before it calls its initializer
  progress_counters = 4,
};

// The pool reuses the shared areas of large tasks up to this size in all; larger ones serve one
// task. A worker keeps as much of them mapped.
inline constexpr std::size_t max_reused_area_size = std::size_t{64} << 20;

// Most descriptors one message carries (the kernel allows 253).
inline constexpr std::size_t max_descriptors_per_message = 64;

// Room for the control message of max_descriptors_per_message descriptors.
struct DescriptorControl {
  alignas(cmsghdr) char bytes[CMSG_SPACE(max_descriptors_per_message * sizeof(int))];
};

// recv() that also takes the descriptors sent with the bytes (SCM_RIGHTS), appended to
// `received` in the order they were sent.
inline ssize_t receive_with_descriptors(int fd, void* into, std::size_t size, int flags,
                                        std::vector<int>& received) {
  iovec part{into, size};
  DescriptorControl control;
  msghdr message{};
  message.msg_iov = &part;
  message.msg_iovlen = 1;
  message.msg_control = control.bytes;
  message.msg_controllen = sizeof control.bytes;
  const ssize_t got = ::recvmsg(fd, &message, flags | MSG_CMSG_CLOEXEC);
  if (got > 0)
    for (cmsghdr* header = CMSG_FIRSTHDR(&message); header != nullptr;
         header = CMSG_NXTHDR(&message, header))
      if (header->cmsg_level == SOL_SOCKET && header->cmsg_type == SCM_RIGHTS) {
        const std::size_t count = (header->cmsg_len - CMSG_LEN(0)) / sizeof(int);
        for (std::size_t i = 0; i < count; ++i) {
          int descriptor;
          std::memcpy(&descriptor, CMSG_DATA(header) + i * sizeof(int), sizeof descriptor);
          received.push_back(descriptor);
        }
      }
  return got;
}

// Makes `message` carry `descriptors` (SCM_RIGHTS, at most max_descriptors_per_message) in
// `control`; none: no control message.
inline void attach_descriptors(msghdr& message, DescriptorControl& control,
                               std::span<const int> descriptors) {
  if (descriptors.empty())
    return;
  message.msg_control = control.bytes;
  message.msg_controllen = CMSG_SPACE(descriptors.size() * sizeof(int));
  cmsghdr* header = CMSG_FIRSTHDR(&message);
  header->cmsg_level = SOL_SOCKET;
  header->cmsg_type = SCM_RIGHTS;
  header->cmsg_len = CMSG_LEN(descriptors.size() * sizeof(int));
  std::memcpy(CMSG_DATA(header), descriptors.data(), descriptors.size() * sizeof(int));
}

// In the fork server, before its first fork: one task through a worker's loop, so that what every
// worker would otherwise do for its first task (bind the library functions it calls, set up the
// stream machinery, fault in the pages all that touches) is done once, here, and inherited.
void rehearse_worker();

// Worker side of the pool: never returns.
// `progress` is a memfd of ProgressCounter counters, which the worker maps.
[[noreturn]] void run_worker(int channel, int progress, void (*initializer)(),
                             std::uint64_t max_tasks);

} // namespace taskfit::detail
