// Regression: an io_context that only ever receives posted work, kept alive
// by a work guard and run by a thread of its own (a logger's or a blocking
// resolver's private queue), serves no I/O: what is posted to it runs on that
// worker as on a one-thread pool, and blocking there is the design. Work
// posted to an io_context that a socket or a timer was made on stalls that
// I/O and is still reported, and so is work posted to a loop the code does
// not own (a parameter or a global), whose other uses it cannot see, or
// through an executor handle, which does not keep a loop of its own.
// RUN: not %taskfit --checks='-*,blocking-call-on-event-loop' %s -- -std=c++20 -I%inputs | FileCheck %s --implicit-check-not="warning:"
#include "asio.h"

#include <cstdio>
#include <thread>

void append(const char* line) {
  std::FILE* file = std::fopen("/var/log/app.log", "a");
  std::fputs(line, file);
  std::fclose(file);
}

class Logger {
public:
  Logger() : guard_(asio::make_work_guard(work_)), thread_([this] { work_.run(); }) {}

  void log(const char* line) {
    asio::post(work_, [line] { append(line); });
  }

private:
  asio::io_context work_;
  asio::executor_work_guard<asio::io_context::executor_type> guard_;
  std::thread thread_;
};

class Server {
public:
  Server() : timer_(io_) {}

  void log(const char* line) {
    asio::post(io_, [line] { append(line); });
    // CHECK: regression-private-work-queue.cpp:[[@LINE-1]]:30: warning: 'lambda at {{.*}}' runs on the event loop and calls 'append', which blocks in 'fopen' (file-io);
  }

private:
  asio::io_context io_;
  asio::steady_timer timer_;
};

void log_on(asio::io_context& io, const char* line) {
  asio::post(io, [line] { append(line); });
  // CHECK: regression-private-work-queue.cpp:[[@LINE-1]]:27: warning: 'lambda at {{.*}}' runs on the event loop and calls 'append', which blocks in 'fopen' (file-io);
}

asio::io_context shared_loop;

void log_shared(const char* line) {
  asio::post(shared_loop, [line] { append(line); });
  // CHECK: regression-private-work-queue.cpp:[[@LINE-1]]:36: warning: 'lambda at {{.*}}' runs on the event loop and calls 'append', which blocks in 'fopen' (file-io);
}

class Session {
public:
  explicit Session(asio::io_context::executor_type executor) : executor_(executor) {}

  void log(const char* line) {
    asio::post(executor_, [line] { append(line); });
    // CHECK: regression-private-work-queue.cpp:[[@LINE-1]]:36: warning: 'lambda at {{.*}}' runs on the event loop and calls 'append', which blocks in 'fopen' (file-io);
  }

private:
  asio::io_context::executor_type executor_;
};
