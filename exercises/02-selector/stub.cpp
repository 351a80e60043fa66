// Exercise 02: your file. The task is in exercise.hpp; run
// `make exercise EX=02` to test it, `make hint EX=02` if stuck.
#include <unistd.h>

#include "exercise.hpp"
#include "metalio/events.hpp"
#include "metalio/sys/selector.hpp"
#include "metalio/sys/syscall.hpp"

namespace metalio::exercise {

io::Result<std::vector<std::string>> gather(std::span<const int> readers, std::chrono::milliseconds idle_timeout) {
    // TODO: a selector; register every reader; select until every one of
    //       them has reached its end; read each to WouldBlock on its events.
    (void)readers;
    (void)idle_timeout;
    return std::unexpected(std::make_error_code(std::errc::function_not_supported));
}

}  // namespace metalio::exercise
