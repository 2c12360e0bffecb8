// Stands in for Boost.Thread's test/remove_error_code_unused_warning.hpp,
// which the condition example includes but Debian's libboost1.81-doc does not
// ship. The original only silences GCC's unused-variable warnings for
// boost::system's error categories; nothing the analysis sees depends on it.
#ifndef TASKFIT_CORPUS_REMOVE_ERROR_CODE_UNUSED_WARNING_HPP
#define TASKFIT_CORPUS_REMOVE_ERROR_CODE_UNUSED_WARNING_HPP
#endif
