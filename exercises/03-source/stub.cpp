// Exercise 03: your file. The task is in exercise.hpp; run
// `make exercise EX=03` to test it, `make hint EX=03` if stuck.
#include "exercise.hpp"
#include "metalio/posix/source_fd.hpp"

namespace metalio::exercise {

namespace {
io::Result<void> not_yet() { return std::unexpected(std::make_error_code(std::errc::function_not_supported)); }
}  // namespace

io::Result<void> Pipe::register_(const Registry& registry, Token token, Interest interests) {
    // TODO: claim with selector_id.associate(registry); then hand the read
    //       end to posix::SourceFd{...}.register_(...); undo the claim if that
    //       fails. Return the first error you meet.
    (void)registry, (void)token, (void)interests;
    return not_yet();
}

io::Result<void> Pipe::reregister(const Registry& registry, Token token, Interest interests) {
    // TODO: check the claim, then delegate to posix::SourceFd.
    (void)registry, (void)token, (void)interests;
    return not_yet();
}

io::Result<void> Pipe::deregister(const Registry& registry) {
    // TODO: check the claim, delegate to posix::SourceFd, then forget the claim.
    (void)registry;
    return not_yet();
}

}  // namespace metalio::exercise
