#pragma once

#include <string>

namespace kv {

/// The banner sent to each new client, read from a file (a line of text).
std::string load_greeting(const std::string& path);

} // namespace kv
