# cmake -DBINARY=... -DEXPECT=pass|fail -P CheckExercise.cmake
#
# "fail" means: the tests ran and reported failed assertions (doctest exits
# with 1). A crash, a hang or a missing binary is not an honest failure.
execute_process(COMMAND ${BINARY} --no-colors=true OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE result)
# An exercise whose tests cannot run on this machine (exercise 10 without
# io_uring) says so on a line "exercise skipped: <reason>": no verdict.
if(result EQUAL 0 AND out MATCHES "exercise skipped: ([^\n]*)")
  message(STATUS "exercise skipped: ${CMAKE_MATCH_1}")
  return()
endif()
if(EXPECT STREQUAL "pass")
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "expected the tests to pass, they did not (${result}):\n${out}${err}")
  endif()
elseif(EXPECT STREQUAL "fail")
  if(NOT result EQUAL 1 OR NOT out MATCHES "Status: FAILURE")
    message(FATAL_ERROR "expected failed assertions (exit 1), got '${result}':\n${out}${err}")
  endif()
else()
  message(FATAL_ERROR "EXPECT must be pass or fail")
endif()
