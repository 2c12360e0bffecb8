#include "audit_log.h"

#include <cstdio>

namespace kv {

void AuditLog::append(const std::string& line) {
  std::FILE* out = std::fopen(path_.c_str(), "a");
  if (!out)
    return;
  std::fputs(line.c_str(), out);
  std::fputc('\n', out);
  std::fclose(out);
}

} // namespace kv
