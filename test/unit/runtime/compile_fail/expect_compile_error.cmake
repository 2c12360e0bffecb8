# Compiles SOURCE with -DCASE_<CASE>; passes when compilation fails and the diagnostics match
# EXPECTED (the offending type's name) and mention taskfit::Transferable.
execute_process(
  COMMAND ${COMPILER} -std=c++20 -fsyntax-only -I${INCLUDE_DIR} -DCASE_${CASE} ${SOURCE}
  RESULT_VARIABLE result
  OUTPUT_VARIABLE output
  ERROR_VARIABLE output)
if(result EQUAL 0)
  message(FATAL_ERROR "case ${CASE} compiled, but must be rejected")
endif()
if(NOT output MATCHES "taskfit::Transferable")
  message(FATAL_ERROR "case ${CASE}: no taskfit::Transferable diagnostic:\n${output}")
endif()
if(NOT output MATCHES "${EXPECTED}")
  message(FATAL_ERROR "case ${CASE}: diagnostics do not name the type (${EXPECTED}):\n${output}")
endif()
message(STATUS "case ${CASE}: rejected as expected")
