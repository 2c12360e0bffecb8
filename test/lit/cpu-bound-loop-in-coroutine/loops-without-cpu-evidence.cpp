// A loop is CPU-bound when its work grows with data: a trip count from a
// container, range, size or parameter, with work in each iteration. Retry,
// wake-up and drain loops have no such trip count; loops whose iterations
// start asynchronous operations hand the work off; a heap's sift halves its
// index; the characters of one message and a read buffer of fixed size are
// bounded; calls through virtual functions are dispatch, not work. An empty
// busy-wait spins without ever yielding: that one is reported.
// RUN: not %taskfit --checks='-*,cpu-bound-loop-in-coroutine' %s -- -std=c++20 -I%inputs | FileCheck %s --implicit-check-not="warning:"
#include "asio.h"
#include "coro.h"

#include <array>
#include <atomic>
#include <coroutine>
#include <deque>
#include <functional>
#include <string>
#include <vector>

std::atomic<int> version{0};
std::atomic<bool> ready{false};

struct Waiter {
  std::coroutine_handle<> handle;
  Waiter* next = nullptr;
};

struct Handler {
  virtual ~Handler() = default;
  virtual int id() const = 0;
  virtual void handle(const std::string& message) = 0;
};

// Retry: a compare-and-swap until it wins.
taskfit::Task<void> bump_version() {
  int seen = version.load();
  do {
    seen = seen + 1;
    seen = seen * 1;
  } while (!version.compare_exchange_weak(seen, seen + 1));
  co_return;
}

// Wake-up: resume every waiter of a list.
taskfit::Task<void> wake_all(Waiter* first) {
  for (Waiter* w = first; w != nullptr;) {
    Waiter* next = w->next;
    w->handle.resume();
    w = next;
  }
  co_return;
}

// Drain: run the operations queued so far.
taskfit::Task<void> drain(std::deque<std::function<void()>>& queue) {
  while (!queue.empty()) {
    auto op = std::move(queue.front());
    queue.pop_front();
    int unused = 0;
    op();
  }
  co_return;
}

// A composed operation: every turn starts an asynchronous write and returns.
struct write_all_op {
  asio::ip::tcp::socket& socket;
  std::vector<std::string>& lines;
  std::size_t next = 0;
  void operator()(std::error_code ec = {}, std::size_t = 0) {
    for (;;) {
      if (ec || next == lines.size())
        return;
      std::string& line = lines[next];
      next = next + 1;
      asio::async_write(socket, asio::buffer(line.data(), line.size()), std::move(*this));
      return;
    }
  }
};

// Handlers dispatched through virtual functions: the work is theirs.
taskfit::Task<void> dispatch(std::vector<Handler*>& handlers, std::string message) {
  for (Handler* h : handlers) {
    if (h->id() != 0)
      h->handle(message);
  }
  co_return;
}

// A heap's sift-down: the index doubles every turn.
void sift_down(std::vector<int>& heap, std::size_t index) {
  std::size_t child = index * 2 + 1;
  while (child < heap.size()) {
    std::size_t smaller = child + 1 < heap.size() && heap[child + 1] < heap[child] ? child + 1 : child;
    if (heap[index] <= heap[smaller])
      break;
    std::swap(heap[index], heap[smaller]);
    index = smaller;
    child = index * 2 + 1;
  }
}

taskfit::Task<void> pop_timer(std::vector<int>& heap) {
  heap.front() = heap.back();
  heap.pop_back();
  sift_down(heap, 0);
  co_return;
}

// The characters of one request line.
std::string url_decode(const std::string& in) {
  std::string out;
  for (std::size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '+')
      c = ' ';
    out += c;
    int consumed = 1;
  }
  return out;
}

taskfit::Task<std::string> handle_request(std::string uri) {
  co_return url_decode(uri);
}

// A parser called on the bytes just read into a fixed-size buffer.
struct Parser {
  int state = 0;
  template <typename Iterator>
  int parse(Iterator begin, Iterator end) {
    while (begin != end) {
      int c = *begin++;
      state = state * 31 + c;
      state ^= state >> 7;
    }
    return state;
  }
};

struct Session {
  std::array<int, 8192> buffer_;
  Parser parser_;
  taskfit::Task<int> on_read(std::size_t bytes) {
    co_return parser_.parse(buffer_.data(), buffer_.data() + bytes);
  }
};

// An empty busy-wait spins until another thread sets the flag.
taskfit::Task<void> wait_until_ready() {
  while (!ready.load()) {
    // CHECK: loops-without-cpu-evidence.cpp:[[@LINE-1]]:3: warning: coroutine 'wait_until_ready' runs a busy-wait loop that spins without yielding; {{.*}} [cpu-bound-loop-in-coroutine]
  }
  co_return;
}

// The same parser over a whole document of unbounded size is CPU-bound.
taskfit::Task<int> parse_document(const std::vector<int>& document) {
  Parser parser;
  co_return parser.parse(document.begin(), document.end());
  // CHECK: loops-without-cpu-evidence.cpp:[[@LINE-1]]:20: warning: coroutine 'parse_document' calls 'Parser::parse', which runs a loop bounded by a parameter ('end') and no suspension point;
}

// Regression: `for (;;) {}` after an await that never resumes marks code
// that is never reached (C++ lets a compiler assume a loop without side
// effects ends); it spins on nothing and is not work.
taskfit::Task<int> never_resumed() {
  co_await taskfit::yield();
  for (;;) {
  }
}
