# What this Unix has, of the calls that differ between Unixes.
#
# Linux has one-call forms that set a new descriptor's flags atomically
# (pipe2, accept4, socket with SOCK_NONBLOCK | SOCK_CLOEXEC), eventfd, and
# MSG_NOSIGNAL; macOS has none of them, FreeBSD most. The code that uses
# them lives in one place, the sys/unix/portable/ files of the stages, and
# picks a form by the METALIO_HAVE_<NAME> switches set here (each 0 or 1 in
# every translation unit). They are found by asking the compiler whether the
# symbol exists, never by a list of system names, so a Unix nobody listed
# gets the portable path by itself.
#
# -DMETALIO_PORTABLE_UNIX=ON forces every fallback that Linux can run (all
# but the peer credentials, which have no second form on Linux), so the
# portable code is run and tested here, not only compiled.
option(METALIO_PORTABLE_UNIX "Use the portable fallbacks (pipe + fcntl, accept + fcntl, a pipe instead of eventfd, ...) even where the one-call forms exist" OFF)

# Windows has none of these calls: every switch is 0 there, so that each is
# 0 or 1 in every translation unit of every build, as said above.
if(WIN32)
  set(metalio_portable_flags "")
  foreach(name IN ITEMS PIPE2 ACCEPT4 SOCK_FLAGS MSG_NOSIGNAL SO_NOSIGPIPE F_SETNOSIGPIPE EVENTFD GETPEEREID SO_PEERCRED)
    list(APPEND metalio_portable_flags METALIO_HAVE_${name}=0)
  endforeach()
  return()
endif()

include(CheckCXXSymbolExists)
include(CheckCXXSourceCompiles)

set(CMAKE_REQUIRED_QUIET ON)
set(CMAKE_REQUIRED_DEFINITIONS -D_GNU_SOURCE)
check_cxx_symbol_exists(pipe2 "fcntl.h;unistd.h" METALIO_FOUND_PIPE2)
check_cxx_symbol_exists(accept4 "sys/types.h;sys/socket.h" METALIO_FOUND_ACCEPT4)
check_cxx_symbol_exists(SOCK_NONBLOCK "sys/types.h;sys/socket.h" METALIO_FOUND_SOCK_FLAGS)
check_cxx_symbol_exists(MSG_NOSIGNAL "sys/types.h;sys/socket.h" METALIO_FOUND_MSG_NOSIGNAL)
check_cxx_symbol_exists(SO_NOSIGPIPE "sys/types.h;sys/socket.h" METALIO_FOUND_SO_NOSIGPIPE)
check_cxx_symbol_exists(F_SETNOSIGPIPE "fcntl.h" METALIO_FOUND_F_SETNOSIGPIPE)
check_cxx_symbol_exists(eventfd "sys/eventfd.h" METALIO_FOUND_EVENTFD)
check_cxx_symbol_exists(getpeereid "sys/types.h;unistd.h" METALIO_FOUND_GETPEEREID)
check_cxx_source_compiles("
#include <sys/types.h>
#include <sys/socket.h>
int main() { ucred c{}; socklen_t n = sizeof c; return getsockopt(0, SOL_SOCKET, SO_PEERCRED, &c, &n) + c.pid; }"
  METALIO_FOUND_SO_PEERCRED)
unset(CMAKE_REQUIRED_DEFINITIONS)
unset(CMAKE_REQUIRED_QUIET)

set(metalio_portable_flags "")
set(metalio_portable_summary "")
foreach(name IN ITEMS PIPE2 ACCEPT4 SOCK_FLAGS MSG_NOSIGNAL SO_NOSIGPIPE F_SETNOSIGPIPE EVENTFD GETPEEREID SO_PEERCRED)
  set(value 0)
  if(METALIO_FOUND_${name})
    set(value 1)
  endif()
  # Forced off: every one-call form with a fallback (not the credentials).
  if(METALIO_PORTABLE_UNIX AND NOT name MATCHES "^(GETPEEREID|SO_PEERCRED)$")
    set(value 0)
  endif()
  list(APPEND metalio_portable_flags METALIO_HAVE_${name}=${value})
  if(value)
    list(APPEND metalio_portable_summary ${name})
  endif()
endforeach()
list(JOIN metalio_portable_summary " " metalio_portable_summary)
if(METALIO_PORTABLE_UNIX)
  message(STATUS "metalio: portable Unix fallbacks forced (METALIO_PORTABLE_UNIX=ON); still used: ${metalio_portable_summary}")
else()
  message(STATUS "metalio: one-call forms found: ${metalio_portable_summary}")
endif()
