# metalio_stage(NN SOURCES ... EXAMPLES name=file ...)
#
# Called from code/NN-slug/CMakeLists.txt. Builds metalio_stageNN from this
# stage's sources, linked on top of the previous stage, so the library of
# stage NN is the union of stages 01..NN. Each example becomes an executable
# stageNN_<name>; `make run CH=NN` runs the first one.
function(metalio_stage number)
  cmake_parse_arguments(ARG "" "" "SOURCES;EXAMPLES" ${ARGN})
  set(target metalio_stage${number})
  get_property(previous GLOBAL PROPERTY METALIO_NEWEST_STAGE)

  # A stage without sources (its code is all in headers, or all in its
  # example) is an INTERFACE library: it still carries the earlier stages.
  if(ARG_SOURCES)
    add_library(${target} STATIC ${ARG_SOURCES})
    set(scope PUBLIC)
  else()
    add_library(${target} INTERFACE)
    set(scope INTERFACE)
  endif()
  if(EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/include)
    target_include_directories(${target} ${scope}
      $<BUILD_INTERFACE:${CMAKE_CURRENT_SOURCE_DIR}/include>
      $<INSTALL_INTERFACE:include>)
  endif()
  if(previous)
    target_link_libraries(${target} ${scope} ${previous})
  else()
    # The first stage carries the build-wide switches to every later one:
    # one METALIO_SELECTOR_<NAME> per selector, 1 for the chosen one.
    foreach(name IN ITEMS epoll poll kqueue iocp)
      string(TOUPPER ${name} upper)
      if(METALIO_SELECTOR STREQUAL name)
        list(APPEND selector_flags METALIO_SELECTOR_${upper}=1)
      else()
        list(APPEND selector_flags METALIO_SELECTOR_${upper}=0)
      endif()
    endforeach()
    if(METALIO_FAULT_INJECTION)
      set(faults 1)
    else()
      set(faults 0)
    endif()
    if(METALIO_WAKER_PIPE)
      list(APPEND selector_flags METALIO_WAKER_PIPE=1)
    endif()
    target_compile_definitions(${target} PUBLIC ${selector_flags} METALIO_FAULT_INJECTION=${faults})
    # What this Unix has (cmake/MetalioPortable.cmake): METALIO_HAVE_PIPE2 & co.
    if(metalio_portable_flags)
      target_compile_definitions(${target} PUBLIC ${metalio_portable_flags})
    endif()
    if(WIN32)
      # Windows 10's API (inet_pton, SetFileCompletionNotificationModes, ...),
      # <windows.h> without its rarely used parts and without min/max macros.
      target_compile_definitions(${target} PUBLIC _WIN32_WINNT=0x0A00 WIN32_LEAN_AND_MEAN NOMINMAX)
      target_link_libraries(${target} PUBLIC ws2_32)
    endif()
  endif()

  # Installed as part of the library: the stage's headers and archive.
  install(TARGETS ${target} EXPORT metalioTargets ARCHIVE DESTINATION lib)
  if(EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/include)
    install(DIRECTORY include/ DESTINATION include)
  endif()

  set(examples "")
  foreach(example IN LISTS ARG_EXAMPLES)
    string(REPLACE "=" ";" parts "${example}")
    list(GET parts 0 name)
    list(GET parts 1 file)
    add_executable(stage${number}_${name} ${file})
    target_link_libraries(stage${number}_${name} PRIVATE ${target})
    list(APPEND examples stage${number}_${name})
    set_property(GLOBAL APPEND PROPERTY METALIO_STAGE${number}_EXAMPLE_NAMES ${name})
  endforeach()

  # `make run CH=NN` builds only this target (the stage's examples and the
  # library under them, no tests), then reads the list below to find them.
  add_custom_target(stage${number}_examples)
  if(examples)
    add_dependencies(stage${number}_examples ${examples})
  endif()
  # `make run CH=NN` reads this list to find the stage's programs.
  list(TRANSFORM examples REPLACE "(.+)" "$<TARGET_FILE:\\1>" OUTPUT_VARIABLE example_files)
  list(JOIN example_files "\n" example_lines)
  file(GENERATE OUTPUT ${CMAKE_BINARY_DIR}/examples/${number}.txt CONTENT "${example_lines}\n")

  set_property(GLOBAL PROPERTY METALIO_NEWEST_STAGE ${target})
  set_property(GLOBAL APPEND PROPERTY METALIO_STAGES ${number})
  set_property(GLOBAL PROPERTY METALIO_STAGE${number}_EXAMPLES ${examples})
endfunction()
