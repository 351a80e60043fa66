# The kqueue selector's system library.
#
# On FreeBSD, macOS and the other BSDs kqueue() and kevent() are in libc and
# <sys/event.h> is a system header: nothing to find. On Linux the kqueue
# selector runs on libkqueue, a userspace kqueue built on epoll, which the
# project never ships: -DMETALIO_LIBKQUEUE_PREFIX=<prefix> says where it is
# installed (<prefix>/include/kqueue/sys/event.h, <prefix>/lib/libkqueue.so).
#
# metalio_link_kqueue(<target>) gives <target> that header and library.
function(metalio_link_kqueue target)
  if(NOT METALIO_SELECTOR STREQUAL "kqueue" OR APPLE OR CMAKE_SYSTEM_NAME MATCHES "BSD|DragonFly")
    return()
  endif()
  if(NOT METALIO_LIBKQUEUE_PREFIX)
    message(FATAL_ERROR "METALIO_SELECTOR=kqueue on ${CMAKE_SYSTEM_NAME} needs libkqueue: "
                        "pass -DMETALIO_LIBKQUEUE_PREFIX=<where libkqueue is installed> (docs/developing.rst)")
  endif()
  set(include_dir ${METALIO_LIBKQUEUE_PREFIX}/include/kqueue)
  find_library(METALIO_LIBKQUEUE kqueue PATHS ${METALIO_LIBKQUEUE_PREFIX}/lib ${METALIO_LIBKQUEUE_PREFIX}/lib64
               NO_DEFAULT_PATH)
  if(NOT EXISTS ${include_dir}/sys/event.h OR NOT METALIO_LIBKQUEUE)
    message(FATAL_ERROR "no libkqueue in ${METALIO_LIBKQUEUE_PREFIX}: expected "
                        "include/kqueue/sys/event.h and lib/libkqueue.so there")
  endif()
  # Build-tree only: an installed kqueue build asks its user for libkqueue.
  target_include_directories(${target} PUBLIC $<BUILD_INTERFACE:${include_dir}>)
  target_link_libraries(${target} PUBLIC $<BUILD_INTERFACE:${METALIO_LIBKQUEUE}>)
endfunction()
