// The headers nearly every test file includes, precompiled once per build
// (tests/CMakeLists.txt, METALIO_TEST_PCH). Only doctest and the standard
// library: a stage's own headers differ from stage to stage.
#pragma once
#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <expected>
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <thread>
#include <vector>

#include <doctest/doctest.h>
