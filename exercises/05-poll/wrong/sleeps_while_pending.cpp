// Exercise 05, a known-wrong answer: waits for the caller's timeout even
// while a token is still remembered ready, so a program that has work to do
// sleeps until something new happens.
#include <algorithm>
#include <map>

#include "exercise.hpp"

namespace metalio::exercise {

struct LevelPoll::State {
    explicit State(Poll inner) : poll(std::move(inner)) {}

    Poll poll;
    Events events = Events::with_capacity(128);
    std::map<std::size_t, LevelEvent> remembered;  // by token; only entries with a flag set

    // Adds what one edge says to what the token already had.
    void remember(const Event& event) {
        LevelEvent& level = remembered[event.token().value];
        level.token = event.token();
        level.readable = level.readable || event.is_readable();
        level.writable = level.writable || event.is_writable();
        level.read_closed = level.read_closed || event.is_read_closed();
        level.write_closed = level.write_closed || event.is_write_closed();
        level.error = level.error || event.is_error();
        if (!has_news(level)) remembered.erase(event.token().value);  // a priority-only event, say
    }

    static bool has_news(const LevelEvent& level) {
        return level.readable || level.writable || level.read_closed || level.write_closed || level.error;
    }
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
    using Clock = std::chrono::steady_clock;
    State& s = *state_;
    out.clear();
    std::optional<Clock::time_point> until;
    if (timeout) until = Clock::now() + *timeout;
    for (;;) {
        // Something still ready: only look for news. Otherwise sleep, for
        // what is left of the caller's time (none given: no limit).
        std::optional<Clock::duration> wait;
        if (until) wait = std::max(*until - Clock::now(), Clock::duration::zero());
        if (auto waited = s.poll.poll(s.events, wait); !waited) {
            if (io::is_interrupted(waited.error())) continue;  // a signal: the time left still counts
            return std::unexpected(waited.error());
        }
        for (const Event event : s.events) s.remember(event);
        const bool last_look = wait && *wait == Clock::duration::zero();
        if (!s.remembered.empty() || last_look) break;
    }
    for (const auto& [value, level] : s.remembered) out.push_back(level);
    return {};
}

void LevelPoll::would_block(Token token, Interest direction) {
    const auto found = state_->remembered.find(token.value);
    if (found == state_->remembered.end()) return;
    LevelEvent& level = found->second;
    if (direction.is_readable()) level.readable = false;
    if (direction.is_writable()) level.writable = false;
    if (!State::has_news(level)) state_->remembered.erase(found);
}

void LevelPoll::forget(Token token) { state_->remembered.erase(token.value); }

}  // namespace metalio::exercise
