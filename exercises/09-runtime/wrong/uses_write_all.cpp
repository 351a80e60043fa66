// Known-wrong answer: write_all does the writing and the count is set when
// it returns. Cancelled in the middle, the count still says 0 while part
// of the buffer is already on its way to the peer.
#include "exercise.hpp"

namespace metalio::exercise {

rt::Task<io::Result<void>> write_counted(rt::TcpStream& stream, std::span<const std::byte> data, std::size_t* written) {
    *written = 0;
    auto done = co_await stream.write_all(data);
    if (!done) co_return done;
    *written = data.size();
    co_return io::Result<void>{};
}

}  // namespace metalio::exercise
