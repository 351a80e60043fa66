// Known wrong: asks for the cancel and returns at once, as if cancelling
// were immediate. The kernel still owns the buffer; the caller gets an
// empty one, and the recv and the cancel are still in flight.
#include "exercise.hpp"

namespace metalio::exercise {

io::Result<uring::Buffer> take_back(uring::Driver& driver, uring::OpId recv, Token,
                                    std::vector<uring::Completion>&) {
    auto requested = driver.cancel(recv, kCancelToken);
    if (!requested) return std::unexpected(requested.error());
    return uring::Buffer();
}

}  // namespace metalio::exercise
