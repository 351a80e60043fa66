// Exercise 06: your file. The task is in exercise.hpp; run
// `make exercise EX=06` to test it, `make hint EX=06` if stuck.
#include <span>

#include "exercise.hpp"

namespace metalio::exercise {

io::Result<bool> drain(const net::TcpStream& stream, std::string& received) {
    char buffer[4096];
    // TODO: loop: stream.read(std::as_writable_bytes(std::span(buffer)));
    //       0 bytes -> the peer closed; n bytes -> append them and read again;
    //       WouldBlock -> done for now; Interrupted -> try again; else -> error.
    (void)stream;
    (void)buffer;
    (void)received;
    return false;
}

}  // namespace metalio::exercise
