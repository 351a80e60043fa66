// Exercise 03: your file. The task is in exercise.hpp; run
// `make exercise EX=03` to test it, `make hint EX=03` if stuck.
#include "exercise.hpp"
#include "metalio/posix/source_fd.hpp"

namespace metalio::exercise {

namespace {
io::Result<void> not_yet() { return std::unexpected(std::make_error_code(std::errc::function_not_supported)); }
}  // namespace

io::Result<void> Pipe::register_(const Registry& registry, Token token, Interest interests) {
    // TODO: refuse PRIORITY; claim with selector_id.associate(registry); then
    //       register `reader` (READABLE) and/or `writer` (WRITABLE) through
    //       posix::SourceFd. If an end is refused, undo the rest and the claim.
    (void)registry, (void)token, (void)interests;
    return not_yet();
}

io::Result<void> Pipe::reregister(const Registry& registry, Token token, Interest interests) {
    // TODO: refuse PRIORITY; check the claim; then each end: new token, add or drop.
    (void)registry, (void)token, (void)interests;
    return not_yet();
}

io::Result<void> Pipe::deregister(const Registry& registry) {
    // TODO: check the claim, deregister the registered ends, then forget the claim.
    (void)registry;
    return not_yet();
}

}  // namespace metalio::exercise
