// LineReader: the lines a child process prints on a pipe, one at a time,
// for tests that drive an example program and read what it says.
#pragma once

#include <poll.h>
#include <unistd.h>

#include <string>

namespace metalio::test {

/// Reads lines from a (blocking or not) pipe end it does not own.
class LineReader {
public:
    explicit LineReader(int fd = -1) : fd_(fd) {}

    /// The next line, without its '\n'; "" after 10 s of silence or at end-of-file.
    std::string next_line() {
        for (;;) {
            if (const auto end = buffered_.find('\n'); end != std::string::npos) {
                std::string line = buffered_.substr(0, end);
                buffered_.erase(0, end + 1);
                return line;
            }
            pollfd waiting{fd_, POLLIN, 0};
            if (::poll(&waiting, 1, 10000) != 1) return "";
            char chunk[4096];
            const ssize_t n = ::read(fd_, chunk, sizeof chunk);
            if (n <= 0) return "";
            buffered_.append(chunk, static_cast<std::size_t>(n));
        }
    }

private:
    int fd_;
    std::string buffered_;
};

}  // namespace metalio::test
