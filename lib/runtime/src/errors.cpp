#include "taskfit/runtime/errors.hpp"

#include <cstdlib>
#include <cxxabi.h>
#include <memory>
#include <typeinfo>

namespace taskfit {

namespace {
std::string demangle(const char* mangled) {
  int status = 0;
  std::unique_ptr<char, void (*)(void*)> readable(
      abi::__cxa_demangle(mangled, nullptr, nullptr, &status), std::free);
  return status == 0 && readable ? std::string(readable.get()) : std::string(mangled);
}
} // namespace

std::string exception_type_name(const std::exception_ptr& error) {
  if (!error)
    return "none";
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    return demangle(typeid(e).name());
  } catch (...) {
    const std::type_info* type = abi::__cxa_current_exception_type();
    return type != nullptr ? demangle(type->name()) : std::string("unknown exception");
  }
}

std::string describe_exception(const std::exception_ptr& error) {
  if (!error)
    return "";
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "non-standard exception";
  }
}

std::string ExceptionGroup::describe(const std::vector<std::exception_ptr>& exceptions) {
  std::string text = "taskfit: " + std::to_string(exceptions.size()) + " sub-exception" +
                     (exceptions.size() == 1 ? "" : "s");
  for (const auto& error : exceptions)
    text += "\n  " + exception_type_name(error) + ": " + describe_exception(error);
  return text;
}

} // namespace taskfit
