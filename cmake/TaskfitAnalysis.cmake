# taskfit as build actions. Each C++ source of the given targets gets one
# `taskfit extract` action, with a depfile, so Ninja schedules the actions in
# parallel, re-runs exactly those whose source, headers, command line or rule
# packs changed, and any distributed build that runs Ninja actions spreads
# them. One more action links the facts into the report.
#
#   list(APPEND CMAKE_MODULE_PATH <taskfit>/cmake)   # or <prefix>/share/taskfit/cmake
#   include(TaskfitAnalysis)
#   taskfit_analysis(TARGETS app core
#                    [NAME taskfit]                  # the target to build: ninja taskfit
#                    [SARIF taskfit.sarif]           # default: <NAME>.sarif in the build folder
#                    [FAIL_ON_FINDINGS]              # fail the build on findings (default: report)
#                    [OPTIONS --checks=... --baseline=...]   # for the analysis (taskfit link)
#                    [EXTRACT_OPTIONS --rules=...])          # for each extraction
#
# taskfit reads each source's compile command from compile_commands.json, so
# CMAKE_EXPORT_COMPILE_COMMANDS must be ON. TASKFIT_EXECUTABLE names the tool
# (default: `taskfit` on the PATH).

function(taskfit_analysis)
  cmake_parse_arguments(TF "FAIL_ON_FINDINGS" "NAME;SARIF" "TARGETS;OPTIONS;EXTRACT_OPTIONS"
                        ${ARGN})
  if(NOT TF_NAME)
    set(TF_NAME taskfit)
  endif()
  if(NOT TF_SARIF)
    set(TF_SARIF ${CMAKE_CURRENT_BINARY_DIR}/${TF_NAME}.sarif)
  endif()
  if(NOT TASKFIT_EXECUTABLE)
    find_program(TASKFIT_EXECUTABLE taskfit REQUIRED)
  endif()
  if(NOT CMAKE_EXPORT_COMPILE_COMMANDS)
    message(FATAL_ERROR "taskfit_analysis: set CMAKE_EXPORT_COMPILE_COMMANDS to ON: taskfit "
                        "reads each source's command from compile_commands.json")
  endif()

  set(database ${CMAKE_BINARY_DIR}/compile_commands.json)
  set(facts_dir ${CMAKE_CURRENT_BINARY_DIR}/${TF_NAME}.facts)
  set(all_facts)
  foreach(target IN LISTS TF_TARGETS)
    get_target_property(sources ${target} SOURCES)
    get_target_property(source_dir ${target} SOURCE_DIR)
    foreach(source IN LISTS sources)
      if(NOT source MATCHES "\\.(cc|cpp|cxx|c\\+\\+|C)$")
        continue()
      endif()
      cmake_path(ABSOLUTE_PATH source BASE_DIRECTORY ${source_dir} NORMALIZE
                 OUTPUT_VARIABLE absolute)
      file(RELATIVE_PATH relative ${CMAKE_SOURCE_DIR} ${absolute})
      string(REPLACE "../" "__/" relative "${relative}")
      set(facts ${facts_dir}/${relative}.facts)
      if(facts IN_LIST all_facts)
        continue() # A source shared by two targets is extracted once.
      endif()
      # extract exits 0 once it has written the facts, even for a file clang
      # cannot parse: the failure is in the facts, and the link reports it.
      add_custom_command(
        OUTPUT ${facts}
        COMMAND ${TASKFIT_EXECUTABLE} extract -p ${CMAKE_BINARY_DIR}
                --source-root=${CMAKE_SOURCE_DIR} -j1 --quiet ${TF_EXTRACT_OPTIONS}
                -o ${facts} --depfile=${facts}.d ${absolute}
        DEPENDS ${absolute} ${database} ${TASKFIT_EXECUTABLE}
        DEPFILE ${facts}.d
        COMMENT "taskfit: extracting ${relative}"
        VERBATIM)
      list(APPEND all_facts ${facts})
    endforeach()
  endforeach()

  set(exit_zero --exit-zero)
  if(TF_FAIL_ON_FINDINGS)
    set(exit_zero)
  endif()
  add_custom_command(
    OUTPUT ${TF_SARIF}
    COMMAND ${TASKFIT_EXECUTABLE} link --source-root=${CMAKE_SOURCE_DIR} --quiet --exit-zero
            ${TF_OPTIONS} --format=sarif -o ${TF_SARIF} ${all_facts}
    COMMAND ${TASKFIT_EXECUTABLE} link --source-root=${CMAKE_SOURCE_DIR} ${exit_zero}
            ${TF_OPTIONS} ${all_facts}
    DEPENDS ${all_facts} ${TASKFIT_EXECUTABLE}
    COMMENT "taskfit: linking ${TF_NAME}"
    VERBATIM)
  add_custom_target(${TF_NAME} DEPENDS ${TF_SARIF})
endfunction()
