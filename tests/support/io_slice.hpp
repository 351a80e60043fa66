// io_slice(): one buffer of vectored I/O, written the same on every
// platform (for the tests that use the library's net types, stage 04 on).
#pragma once

#include <cstddef>

#include "metalio/sys/socket.hpp"

namespace metalio::test {

/// One buffer of vectored I/O: an iovec on Unix, a WSABUF on Windows (the
/// same two fields in the other order).
inline sys::IoSlice io_slice(char* data, std::size_t size) {
#if defined(_WIN32)
    return {static_cast<ULONG>(size), data};
#else
    return {data, size};
#endif
}

}  // namespace metalio::test
