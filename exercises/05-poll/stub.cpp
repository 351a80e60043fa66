// Exercise 05: your file. The task is in exercise.hpp; run
// `make exercise EX=05` to test it, `make hint EX=05` if stuck.
#include "exercise.hpp"

namespace metalio::exercise {

struct LevelPoll::State {
    explicit State(Poll inner) : poll(std::move(inner)) {}

    Poll poll;  // the one being adapted
    // TODO: an Events buffer, and what is remembered for each token.
};

LevelPoll::LevelPoll(std::unique_ptr<State> state) noexcept : state_(std::move(state)) {}
LevelPoll::LevelPoll(LevelPoll&&) noexcept = default;
LevelPoll& LevelPoll::operator=(LevelPoll&&) noexcept = default;
LevelPoll::~LevelPoll() = default;

io::Result<LevelPoll> LevelPoll::create() {
    auto inner = Poll::create();
    if (!inner) return std::unexpected(inner.error());
    return LevelPoll(std::make_unique<State>(std::move(*inner)));
}

const Registry& LevelPoll::registry() const noexcept { return state_->poll.registry(); }

io::Result<void> LevelPoll::poll(std::vector<LevelEvent>& out, std::optional<std::chrono::milliseconds> timeout) {
    // TODO: how long may this poll sleep? Poll the inner Poll; a signal is
    //       not a failure; remember what each event says; fill `out`.
    out.clear();
    (void)timeout;
    return std::unexpected(std::make_error_code(std::errc::function_not_supported));
}

void LevelPoll::would_block(Token token, Interest direction) {
    // TODO: stop reporting that direction of that token (until its next edge).
    (void)token, (void)direction;
}

void LevelPoll::forget(Token token) {
    // TODO: drop everything remembered about the token.
    (void)token;
}

}  // namespace metalio::exercise
