// Reading a worker's wait status from /proc/<pid>/stat (lib/runtime/src/exit_status.hpp).
#include "exit_status.hpp"

#include <gtest/gtest.h>
#include <string>

namespace {

// A /proc/<pid>/stat line: pid, the command in parentheses, then fields 3 to 52 (exit_code last).
std::string stat_line(const std::string& command, int exit_code) {
  std::string line = "4242 (" + command + ")";
  line += " Z"; // field 3, the state
  for (int field = 4; field < 52; ++field)
    line += " " + std::to_string(field * 10);
  return line + " " + std::to_string(exit_code) + "\n";
}

TEST(ExitStatus, ReadsFieldFiftyTwo) {
  EXPECT_EQ(taskfit::detail::parse_exit_code(stat_line("worker", 9)), 9);         // SIGKILL
  EXPECT_EQ(taskfit::detail::parse_exit_code(stat_line("worker", 0x300)), 0x300); // exit(3)
}

TEST(ExitStatus, CountsFieldsFromTheLastParenthesis) {
  // A command name may hold spaces and parentheses: ") " inside it must not shift the fields.
  EXPECT_EQ(taskfit::detail::parse_exit_code(stat_line("a) (b c", 11)), 11);
  EXPECT_EQ(taskfit::detail::parse_exit_code(stat_line(") ) )", 139)), 139);
}

TEST(ExitStatus, ZeroAndDamagedLinesTellNothing) {
  // 0 is also what the kernel shows a reader not allowed to see the status, and a live process.
  EXPECT_EQ(taskfit::detail::parse_exit_code(stat_line("worker", 0)), std::nullopt);
  EXPECT_EQ(taskfit::detail::parse_exit_code("4242 (worker) Z 1 2 3"), std::nullopt);
  EXPECT_EQ(taskfit::detail::parse_exit_code("no parenthesis here"), std::nullopt);
  EXPECT_EQ(taskfit::detail::parse_exit_code(""), std::nullopt);
  std::string not_a_number = stat_line("worker", 9);
  not_a_number.replace(not_a_number.rfind(' ') + 1, 1, "x");
  EXPECT_EQ(taskfit::detail::parse_exit_code(not_a_number), std::nullopt);
}

TEST(ExitStatus, NeedsAPidAndAPidfd) {
  EXPECT_EQ(taskfit::detail::read_exit_status(-1, 3), std::nullopt);
  EXPECT_EQ(taskfit::detail::read_exit_status(1, -1), std::nullopt);
}

} // namespace
