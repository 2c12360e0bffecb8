// One worker process as its pool sees it: the socket its tasks go out and its answers come back on
// (its channel), the counters it shares with the pool, what the fork server tells of its start and
// end, and the place of its descriptors in the manager's epoll set. Like everything of the pool it
// is guarded by the pool's lock (PoolState::mutex). Internal.
#pragma once

#include "shared_area.hpp"
#include "taskfit/runtime/fork_server.hpp"
#include "taskfit/runtime/process_pool.hpp"
#include "wire.hpp"

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <exception>
#include <memory>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <utility>
#include <vector>

namespace taskfit::detail {

struct WorkerHandle;

// A future to complete once the pool's lock is released: its callbacks may run user code that
// submits again.
struct Completion {
  RemoteCall call;
  enum class Kind { deliver, fail, cancel } kind;
  std::string payload;
  std::exception_ptr error;
  // A result read where it is, in the worker's shared area (which `area_owner` keeps mapped);
  // the worker may write the area again once it has been delivered.
  std::shared_ptr<WorkerHandle> area_owner = nullptr;
  std::string_view area_payload = {};
};

// Which of a worker's descriptors an event of the manager's epoll set is about. The event's data
// is (worker id << 2) | this; ids start at 1, leaving 0 to the manager's own wake-up, and a
// retired worker's stale event names an id no longer in the pool.
enum class WorkerDescriptor : std::uint64_t { channel = 0, events = 1, pidfd = 2 };

inline std::uint64_t epoll_data_of(std::uint64_t worker_id, WorkerDescriptor descriptor) {
  return (worker_id << 2) | static_cast<std::uint64_t>(descriptor);
}
inline std::uint64_t worker_id_of(std::uint64_t epoll_data) {
  return epoll_data >> 2;
}
inline WorkerDescriptor descriptor_of(std::uint64_t epoll_data) {
  return static_cast<WorkerDescriptor>(epoll_data & 3);
}

struct WorkerHandle : std::enable_shared_from_this<WorkerHandle> {
  // Takes the descriptors of a worker just asked of the fork server and watches its channel and
  // end in `manager_epoll`.
  WorkerHandle(std::uint64_t id, const ForkServer::Worker& spawned, int manager_epoll);
  WorkerHandle(const WorkerHandle&) = delete;
  WorkerHandle& operator=(const WorkerHandle&) = delete;
  ~WorkerHandle();

  // Whether all there is to know of its end is known: it exited, was never forked, or the fork
  // server went away before telling.
  bool status_in() const { return status_known || status_lost || start_error != 0; }
  // Whether the process is certainly gone (all it wrote is in the channel already).
  bool gone() const { return status_known || start_error != 0; }
  // Whether its initializer (if any) has returned.
  bool initialised() const;
  // Whether it has called its initializer and not seen it return: a worker that died before it
  // called it (a spare killed as it was handed over, say) is not the initializer's fault.
  bool in_initializer() const;
  // Whether it had started the first task it has not answered: when not, it died idle.
  bool started_unanswered_task() const;
  // "taskfit: worker process <pid> was terminated by signal 9 (SIGKILL)" and the like.
  std::string describe_end() const;

  // --- its channel ---

  // Frames the call after the ones not sent yet; the arguments stay with the call, because if the
  // worker dies first another one needs them.
  void queue_task(RemoteCall call);
  // Writes what is queued, as far as the channel takes it.
  void flush();
  // Reads what the worker has answered; each answer completes the call it answers.
  void read_answers(std::vector<Completion>& completions);
  // Fails every call it holds with BrokenProcessPool(reason) and ends its channel: it gets
  // nothing more.
  void abandon(const std::string& reason, std::vector<Completion>& completions);
  // Tells the thread reading its channel (`reading`) to stop polling it.
  void wake_reader() const;
  // The pool has read the worker's last result from its shared area: the worker may write it again.
  void area_result_read();

  // --- what tells of its end ---

  // Reads what the fork server has told of the worker so far (ForkServer::WorkerEvent); true
  // when its pid came.
  bool read_events();
  // Precondition: its pidfd is readable, it has exited. Its status, read from /proc before the
  // fork server has woken up to report it, if the kernel shows it.
  void check_pidfd();
  // SIGKILL; its death is then settled like any other.
  void kill() const;

  // --- its place in the manager's epoll set ---

  // What the manager waits for on its channel; see the definition.
  void update_interest();
  // Takes its descriptors out of the manager's epoll set; they are closed with the handle.
  void unwatch();

  std::uint64_t id = 0;
  pid_t pid = -1; // once the fork server has told it (ForkServer::WorkerEvent::started)
  int channel = -1;
  int events = -1; // ForkServer::WorkerEvent messages
  int pidfd = -1;  // with `started`, where the kernel has pidfds: readable once the worker exits
  bool pidfd_checked = false;  // it was readable and the status was looked for in /proc
  bool status_watched = false; // events (and the pidfd, unchecked) are in the manager's epoll set
  int start_error = 0;         // errno of a fork that failed (ForkServer::WorkerEvent::failed)
  bool watched = false;        // channel and events are in the manager's epoll set
  std::uint32_t interest = 0;  // the channel's events there
  std::string out;
  std::size_t out_offset = 0;
  std::string in;
  std::deque<RemoteCall> in_flight;
  // Counters shared with the worker (detail::ProgressCounter): still readable after it died, the
  // tasks it started say whether the first unanswered task was running or never read.
  std::atomic<std::uint64_t>* counters = nullptr;
  // Large payloads: a task's own shared area goes with its frame (the descriptors of the frames in
  // `out` not sent yet, with their offsets there); results come through the worker's area, whose
  // descriptor comes with its first large result.
  std::deque<std::pair<std::size_t, int>> out_descriptors;
  SharedArea from_worker;
  std::uint64_t answered = 0;
  std::size_t assigned = 0;
  // When the first unanswered task was sent or the previous one answered: its running time.
  std::chrono::steady_clock::time_point running_since;
  bool timed_out = false; // killed for exceeding Options::task_timeout
  bool channel_closed = false;
  bool status_known = false;
  bool status_lost = false;
  int status = 0;
  std::string init_error;
  // A thread waiting on one of its futures is polling its descriptors (outside the lock): they
  // stay open until the last reference to the worker is gone.
  // While it does, only that thread reads the channel (no lost wake-up: what the manager read
  // would not wake it), and whoever completes its futures otherwise pokes `reader_wake`.
  bool reading = false;
  int reader_wake = -1;
  bool retired = false; // settled and out of the pool's workers

private:
  void parse_frames(std::vector<Completion>& completions);
  // True when the completion reads `payload` in the worker's shared area later.
  bool handle_frame(FrameKind kind, std::string_view payload, std::vector<Completion>& completions,
                    bool in_area = false);
  void watch_status();
  void watch(bool add, int fd, WorkerDescriptor descriptor) const;

  int manager_epoll_ = -1;
};

} // namespace taskfit::detail
