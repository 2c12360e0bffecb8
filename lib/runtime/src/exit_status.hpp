// A worker's wait status, read by its pool, which is not its parent (the fork server is). Internal.
#pragma once

#include <optional>
#include <string_view>
#include <sys/types.h>

namespace taskfit::detail {

// The wait status of process `pid`, which has exited (`pidfd`, a pidfd of it, is readable) but
// need not have been reaped yet: the kernel shows it in /proc/<pid>/stat (field 52, exit_code, in
// waitpid's form) for as long as the process is a zombie. The pool learns a crash this way without
// waiting for the fork server to wake up and tell it. Empty when it cannot tell: no /proc, the
// server has reaped the worker already (its own report is then on the way), or a status of 0 (the
// kernel also shows 0 to a reader not allowed to see the real one, and a live process has 0).
std::optional<int> read_exit_status(pid_t pid, int pidfd);

// Field 52 (exit_code) of the text of a /proc/<pid>/stat; empty when it is not there or 0.
std::optional<int> parse_exit_code(std::string_view stat);

} // namespace taskfit::detail
