#include "config.h"

#include <fstream>

namespace kv {

std::string load_greeting(const std::string& path) {
  std::ifstream file(path);
  std::string line;
  if (!file || !std::getline(file, line))
    return "kv-demo ready";
  return line;
}

} // namespace kv
