/// @file
/// Stage 09's runtime header, for a program built on the ring instead.
///
/// A build that puts the folder holding this file before the library's
/// headers (CMake: target_include_directories(... BEFORE ...)) compiles a
/// stage-09 program unchanged on the ring runtime: its rt::Runtime is
/// rt::ring::Runtime. Not installed with the library.
#pragma once

#include "metalio/rt/ring/runtime.hpp"

namespace metalio::rt {
using ring::Runtime;
}  // namespace metalio::rt
