// Category file-io: POSIX descriptors, stdio, file streams and
// std::filesystem queries go to the disk synchronously. String streams, paths
// and logging to stdout/stderr do not.
// RUN: not %taskfit --checks='-*,blocking-call-in-coroutine' %s -- -std=c++20 -I%inputs | FileCheck %s --implicit-check-not="warning:"
#include "coro.h"

#include <cstdio>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>

taskfit::Task<void> posix(const char* path) {
  int fd = ::open(path, O_RDONLY);
  // CHECK: file-io.cpp:[[@LINE-1]]:14: warning: coroutine 'posix' calls 'open', which blocks
  // CHECK-SAME: (file-io); {{.*}}co_await taskfit::to_thread(f)
  // CHECK-SAME: [blocking-call-in-coroutine]
  char buffer[256];
  ::read(fd, buffer, sizeof buffer);
  // CHECK: :[[@LINE-1]]:5: warning: coroutine 'posix' calls 'read', which blocks (file-io);
  ::pwrite(fd, buffer, 1, 0);
  // CHECK: :[[@LINE-1]]:5: warning: coroutine 'posix' calls 'pwrite', which blocks (file-io);
  ::fsync(fd);
  // CHECK: :[[@LINE-1]]:5: warning: coroutine 'posix' calls 'fsync', which blocks (file-io);
  ::unlink(path);
  // CHECK: :[[@LINE-1]]:5: warning: coroutine 'posix' calls 'unlink', which blocks (file-io);
  co_return;
}

taskfit::Task<void> stdio(const char* path) {
  std::FILE* file = std::fopen(path, "r");
  // CHECK: :[[@LINE-1]]:26: warning: coroutine 'stdio' calls 'fopen', which blocks (file-io);
  char line[128];
  std::fgets(line, sizeof line, file);
  // CHECK: :[[@LINE-1]]:8: warning: coroutine 'stdio' calls 'fgets', which blocks (file-io);
  std::fprintf(file, "%s", line);
  // CHECK: :[[@LINE-1]]:8: warning: coroutine 'stdio' calls 'fprintf', which blocks (file-io);
  std::fclose(file);
  // CHECK: :[[@LINE-1]]:8: warning: coroutine 'stdio' calls 'fclose', which blocks (file-io);
  // Console output is logging: not reported.
  std::fprintf(stderr, "read %s\n", line);
  std::printf("%s\n", line);
  std::fflush(stdout);
  co_return;
}

taskfit::Task<void> file_streams(const std::string& path) {
  std::ifstream in(path);
  // CHECK: :[[@LINE-1]]:17: warning: coroutine 'file_streams' calls
  // CHECK-SAME: 'std::basic_ifstream::basic_ifstream', which blocks (file-io);
  std::string word;
  std::getline(in, word);
  // CHECK: :[[@LINE-1]]:8: warning: coroutine 'file_streams' calls 'std::getline', which blocks
  // CHECK-SAME: (file-io);
  in >> word;
  // CHECK: :[[@LINE-1]]:6: warning: coroutine 'file_streams' calls 'std::operator>>', which
  // CHECK-SAME: blocks (file-io);
  std::ofstream out;
  out.open(path + ".out");
  // CHECK: :[[@LINE-1]]:7: warning: coroutine 'file_streams' calls 'std::basic_ofstream::open',
  // CHECK-SAME: which blocks (file-io);
  out << word << 42;
  // CHECK: :[[@LINE-1]]:7: warning: coroutine 'file_streams' calls 'std::operator<<', which
  // CHECK-SAME: blocks (file-io);
  co_return;
}

// String streams format in memory.
taskfit::Task<std::string> string_streams(const std::string& text) {
  std::istringstream in(text);
  std::string word;
  std::getline(in, word);
  in >> word;
  int number = 0;
  in >> number;
  std::ostringstream out;
  out << word << number;
  std::stringstream both;
  both << out.str();
  both >> word;
  co_return out.str();
}

taskfit::Task<void> filesystem(const std::filesystem::path& dir) {
  std::filesystem::exists(dir);
  // CHECK: :[[@LINE-1]]:20: warning: coroutine 'filesystem' calls 'std::filesystem::exists',
  // CHECK-SAME: which blocks (file-io);
  auto size = std::filesystem::file_size(dir / "data.bin");
  // CHECK: :[[@LINE-1]]:32: warning: coroutine 'filesystem' calls 'std::filesystem::file_size',
  // CHECK-SAME: which blocks (file-io);
  std::filesystem::create_directories(dir / "cache");
  // CHECK: :[[@LINE-1]]:20: warning: coroutine 'filesystem' calls
  // CHECK-SAME: 'std::filesystem::create_directories', which blocks (file-io);
  for (const auto& entry : std::filesystem::directory_iterator(dir))
    // CHECK: :[[@LINE-1]]:28: warning: coroutine 'filesystem' calls
    // CHECK-SAME: 'std::filesystem::directory_iterator::directory_iterator', which blocks
    // CHECK-SAME: (file-io);
    (void)entry;
  (void)size;
  co_return;
}

// Paths are strings, and a status already in hand needs no I/O.
taskfit::Task<bool> paths(const std::filesystem::path& dir, std::filesystem::file_status status) {
  std::filesystem::path config = dir / "app.conf";
  auto name = config.filename().string();
  bool known = std::filesystem::exists(status) && std::filesystem::is_regular_file(status);
  bool ok = known && config.extension() == ".conf" && !name.empty();
  co_return ok;
}
