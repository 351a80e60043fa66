# metalio_exercise(NN-slug)
#
# An exercise is exercises/NN-slug/ (exercise.hpp: what to write; stub.cpp:
# the starting point, with TODOs; solution.cpp; wrong/*.cpp: known-wrong
# answers; hints/N.md) plus its tests in tests/exercises/NN-slug.cpp.
#
# Builds one test binary per answer (the tests compiled once, linked with
# each) and registers the honesty checks:
# the stub must fail, the solution must pass, every wrong answer must fail.
# The learner's own copy, exercise.cpp (made by `make exercise`), is built
# as exerciseNN_mine, outside `all` and outside the checks.
function(metalio_exercise dir)
  string(SUBSTRING ${dir} 0 2 nn)
  set(home ${PROJECT_SOURCE_DIR}/exercises/${dir})
  set(tests ${PROJECT_SOURCE_DIR}/tests/exercises/${dir}.cpp)

  # The tests are compiled once and linked with each answer.
  add_library(exercise${nn}_tests OBJECT ${tests})
  target_link_libraries(exercise${nn}_tests PRIVATE metalio_stage${nn} metalio_test_support)
  target_include_directories(exercise${nn}_tests PRIVATE ${home})
  function(metalio_exercise_binary name source)
    add_executable(exercise${nn}_${name} $<TARGET_OBJECTS:exercise${nn}_tests> ${source})
    target_link_libraries(exercise${nn}_${name} PRIVATE metalio_stage${nn} metalio_test_support)
    target_include_directories(exercise${nn}_${name} PRIVATE ${home})
  endfunction()

  function(metalio_exercise_check name expect)
    add_test(NAME "exercise${nn}: ${name} must ${expect}"
      COMMAND ${CMAKE_COMMAND} -DBINARY=$<TARGET_FILE:exercise${nn}_${name}> -DEXPECT=${expect}
              -P ${PROJECT_SOURCE_DIR}/cmake/CheckExercise.cmake)
    set_tests_properties("exercise${nn}: ${name} must ${expect}" PROPERTIES LABELS "exercises" TIMEOUT 60)
  endfunction()

  metalio_exercise_binary(stub ${home}/stub.cpp)
  metalio_exercise_check(stub fail)
  metalio_exercise_binary(solution ${home}/solution.cpp)
  metalio_exercise_check(solution pass)
  # CONFIGURE_DEPENDS: an answer added or removed (a git pull) reconfigures.
  file(GLOB wrongs CONFIGURE_DEPENDS ${home}/wrong/*.cpp)
  if(NOT wrongs)
    message(FATAL_ERROR "exercise ${dir} has no wrong/*.cpp: its tests are not proven to catch mistakes")
  endif()
  foreach(wrong IN LISTS wrongs)
    get_filename_component(what ${wrong} NAME_WE)
    metalio_exercise_binary(wrong_${what} ${wrong})
    metalio_exercise_check(wrong_${what} fail)
  endforeach()

  if(EXISTS ${home}/exercise.cpp)
    metalio_exercise_binary(mine ${home}/exercise.cpp)
    set_target_properties(exercise${nn}_mine PROPERTIES EXCLUDE_FROM_ALL ON)
  endif()
endfunction()
