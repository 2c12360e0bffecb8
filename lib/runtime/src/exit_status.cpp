#include "exit_status.hpp"

#include <charconv>
#include <cstdio>
#include <fcntl.h>
#include <string_view>
#include <sys/syscall.h>
#include <unistd.h>

namespace taskfit::detail {

std::optional<int> read_exit_status(pid_t pid, int pidfd) {
  if (pid <= 0 || pidfd < 0)
    return std::nullopt;
  char path[32];
  std::snprintf(path, sizeof path, "/proc/%d/stat", static_cast<int>(pid));
  const int file = ::open(path, O_RDONLY | O_CLOEXEC);
  if (file < 0)
    return std::nullopt;
  char text[1024];
  const ssize_t got = ::read(file, text, sizeof text);
  ::close(file);
  if (got <= 0)
    return std::nullopt;
  const std::optional<int> status =
      parse_exit_code(std::string_view(text, static_cast<std::size_t>(got)));
  if (!status)
    return std::nullopt;
  // Read before this check, the status was the worker's: while it is a zombie (signal 0 reaches
  // it), its pid cannot name another process.
  if (::syscall(SYS_pidfd_send_signal, pidfd, 0, nullptr, 0) != 0)
    return std::nullopt;
  return status;
}

std::optional<int> parse_exit_code(std::string_view stat) {
  // The command name (field 2) is in parentheses and may hold anything, parentheses and spaces
  // included: fields are counted from the last ')', which ends it.
  const std::size_t name_end = stat.rfind(')');
  if (name_end == std::string_view::npos)
    return std::nullopt;
  stat.remove_prefix(name_end + 1);
  for (int field = 2; field < 52; ++field) {
    const std::size_t space = stat.find(' ');
    if (space == std::string_view::npos)
      return std::nullopt;
    stat.remove_prefix(space + 1);
  }
  int status = 0;
  const auto [end, error] = std::from_chars(stat.data(), stat.data() + stat.size(), status);
  if (error != std::errc() || end == stat.data() || status == 0)
    return std::nullopt;
  return status;
}

} // namespace taskfit::detail
