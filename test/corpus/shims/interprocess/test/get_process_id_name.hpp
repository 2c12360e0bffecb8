// Stands in for Boost.Interprocess's test/get_process_id_name.hpp, which the
// examples include but Debian's libboost1.81-doc does not ship: a name for
// the examples' shared objects, unique to this process.
#ifndef TASKFIT_CORPUS_GET_PROCESS_ID_NAME_HPP
#define TASKFIT_CORPUS_GET_PROCESS_ID_NAME_HPP

#include <string>
#include <unistd.h>

namespace boost {
namespace interprocess {
namespace test {

inline const char* get_process_id_name() {
  static const std::string Name = "process_id_name_" + std::to_string(::getpid());
  return Name.c_str();
}

} // namespace test
} // namespace interprocess
} // namespace boost

#endif
