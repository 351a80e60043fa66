// Behaviour suite, part 1: Poll and Registry. What mio promises about
// polling, edge-triggered readiness and registration, checked on the whole
// library with the selector of the build.
#include <array>
#include <atomic>
#include <thread>

#include "behaviour.hpp"
#include "joining_thread.hpp"
#include "latch.hpp"
#include "metalio/error.hpp"

using namespace behaviour;
using metalio::Errc;
using metalio::Registry;

BEHAVIOUR("a poll with nothing registered and a 100 ms timeout returns no event, after at least 100 ms") {
    Poll poll = make_poll();
    const auto start = std::chrono::steady_clock::now();
    const auto events = poll_once(poll, 100ms);
    const auto waited = std::chrono::steady_clock::now() - start;
    CHECK_MESSAGE(events.empty(), "nothing is registered, yet the poll returned ", events.size(), " event(s)");
    CHECK_MESSAGE(waited >= 100ms, "the poll returned after ",
                  std::chrono::duration_cast<std::chrono::milliseconds>(waited).count(),
                  " ms: it must wait the whole timeout when nothing happens");
}

BEHAVIOUR("readiness comes back only after a read reported WouldBlock: readable, part read, no event, drain, no event, new data, readable") {
    Poll poll = make_poll();
    const Pair pair = connected_pair();
    constexpr Token kServer{2};
    REQUIRE(poll.registry().register_(pair.server, kServer, Interest::READABLE));

    REQUIRE(pair.client.write(bytes("first")) == 5u);
    const auto first = wait_for(poll, kServer);
    REQUIRE_MESSAGE(first.has_value(), "the server end never became readable after the client wrote");
    CHECK(first->is_readable());
    // Edge-triggered: bytes left unread are not reported a second time.
    std::array<std::byte, 2> part{};
    REQUIRE(pair.server.read(part) == 2u);
    CHECK_MESSAGE(count_token(poll_once(poll, kQuietWait), kServer) == 0,
                  "an event came for bytes that were already reported and left unread (that is level-triggered "
                  "behaviour; mio's readiness is edge-triggered)");
    const Drained one = drain(pair.server);
    CHECK_MESSAGE(one.data == "rst", "draining the rest read \"", one.data, "\" instead of \"rst\"");
    REQUIRE_MESSAGE(!one.error, "reading failed: ", one.error.message());
    CHECK_MESSAGE(count_token(poll_once(poll, kQuietWait), kServer) == 0,
                  "an event came although no new data arrived after the drain (readiness is edge-triggered)");

    REQUIRE(pair.client.write(bytes("second")) == 6u);
    const auto again = wait_for(poll, kServer);
    REQUIRE_MESSAGE(again.has_value(),
                    "no readable event after new data arrived: the registration was not re-armed by the WouldBlock");
    CHECK(again->is_readable());
    CHECK(drain(pair.server).data == "second");
}

BEHAVIOUR("reregister replaces both token and interest: READABLE/token 1 then WRITABLE/token 2 reports writable with token 2") {
    Poll poll = make_poll();
    const Pair pair = connected_pair();
    // Data waiting too: if the old READABLE interest survived, it would fire.
    REQUIRE(pair.client.write(bytes("hello")) == 5u);
    REQUIRE(poll.registry().register_(pair.server, Token{1}, Interest::READABLE));
    REQUIRE(poll.registry().reregister(pair.server, Token{2}, Interest::WRITABLE));

    const auto event = wait_for(poll, Token{2});
    REQUIRE_MESSAGE(event.has_value(), "no event with the new token 2 arrived");
    CHECK_MESSAGE(event->is_writable(), "the event for the new interest WRITABLE is not writable");
    CHECK_MESSAGE(!event->is_readable(), "the event is readable, but READABLE was replaced by WRITABLE");
    CHECK_MESSAGE(count_token(poll_once(poll, kQuietWait), Token{1}) == 0, "an event still carries the old token 1");
}

BEHAVIOUR("registering a source twice with the same Poll is an error") {
    Poll poll = make_poll();
    auto listener = TcpListener::bind(localhost_v4());
    REQUIRE(listener.has_value());
    REQUIRE(poll.registry().register_(*listener, Token{0}, Interest::READABLE));
    const auto twice = poll.registry().register_(*listener, Token{1}, Interest::READABLE);
    REQUIRE_MESSAGE(!twice.has_value(), "a second register of the same listener succeeded");
    CHECK(twice.error() == Errc::already_registered);
}

BEHAVIOUR("reregister or deregister of a source that was never registered is an error") {
    Poll poll = make_poll();
    auto listener = TcpListener::bind(localhost_v4());
    REQUIRE(listener.has_value());
    const auto changed = poll.registry().reregister(*listener, Token{0}, Interest::READABLE);
    REQUIRE_MESSAGE(!changed.has_value(), "reregister of an unregistered listener succeeded");
    CHECK(changed.error() == Errc::not_registered);
    const auto removed = poll.registry().deregister(*listener);
    REQUIRE_MESSAGE(!removed.has_value(), "deregister of an unregistered listener succeeded");
    CHECK(removed.error() == Errc::not_registered);
}

BEHAVIOUR("registering a source that is registered with one Poll with a second Poll is an error") {
    Poll first = make_poll();
    Poll second = make_poll();
    auto listener = TcpListener::bind(localhost_v4());
    REQUIRE(listener.has_value());
    REQUIRE(first.registry().register_(*listener, Token{0}, Interest::READABLE));
    const auto elsewhere = second.registry().register_(*listener, Token{0}, Interest::READABLE);
    REQUIRE_MESSAGE(!elsewhere.has_value(), "one listener was registered with two Polls at once");
    CHECK(elsewhere.error() == Errc::registered_elsewhere);
}

BEHAVIOUR("register, deregister, register again works and gives no spurious event") {
    Poll poll = make_poll();
    const Pair pair = connected_pair();
    REQUIRE(poll.registry().register_(pair.server, Token{1}, Interest::READABLE));
    REQUIRE(poll.registry().deregister(pair.server));
    const auto again = poll.registry().register_(pair.server, Token{2}, Interest::READABLE);
    REQUIRE_MESSAGE(again.has_value(), "registering again after deregister failed: ", why(again));
    const auto events = poll_once(poll, kQuietWait);
    CHECK_MESSAGE(events.empty(), "nothing was sent, yet the poll returned ", events.size(), " event(s)");

    // The new registration is live: data makes it fire with the new token.
    REQUIRE(pair.client.write(bytes("x")) == 1u);
    const auto event = wait_for(poll, Token{2});
    REQUIRE_MESSAGE(event.has_value(), "the registration made after deregister reports nothing");
    CHECK(event->is_readable());
}

BEHAVIOUR("after deregister, new data on the socket gives no event, and reading still works") {
    Poll poll = make_poll();
    const Pair pair = connected_pair();
    REQUIRE(poll.registry().register_(pair.server, Token{2}, Interest::READABLE));
    REQUIRE(poll.registry().deregister(pair.server));
    REQUIRE(pair.client.write(bytes("still here")) == 10u);
    CHECK_MESSAGE(poll_once(poll, kQuietWait).empty(), "a deregistered socket still produced an event");
    // The bytes are there (the wait above gave them time to arrive).
    const Drained drained = drain(pair.server);
    CHECK_MESSAGE(drained.data == "still here", "read \"", drained.data, "\" from the deregistered socket");
    CHECK(!drained.error);
    CHECK_MESSAGE(poll_once(poll, kQuietWait).empty(), "reading a deregistered socket to WouldBlock made an event");
}

namespace {

// An error that only this test makes, so it cannot be confused with one
// the library produced itself.
class PlantedCategory final : public std::error_category {
public:
    const char* name() const noexcept override { return "planted-by-the-test"; }
    std::string message(int) const override { return "the error the test's Source returned"; }
};

const std::error_category& planted_category() {
    static const PlantedCategory category;
    return category;
}

// A user-defined Source: it owns no fd, it records how it was called and
// returns what the test told it to.
struct RecordingSource {
    struct Call {
        int count = 0;
        const Registry* registry = nullptr;
        Token token{};
        std::optional<Interest> interests;
    };
    mutable Call registered, reregistered, deregistered;
    std::error_code answer;  // empty: succeed

    metalio::io::Result<void> reply() const {
        if (answer) return std::unexpected(answer);
        return {};
    }
    metalio::io::Result<void> register_(const Registry& registry, Token token, Interest interests) const {
        registered = {registered.count + 1, &registry, token, interests};
        return reply();
    }
    metalio::io::Result<void> reregister(const Registry& registry, Token token, Interest interests) const {
        reregistered = {reregistered.count + 1, &registry, token, interests};
        return reply();
    }
    metalio::io::Result<void> deregister(const Registry& registry) const {
        deregistered = {deregistered.count + 1, &registry, Token{}, std::nullopt};
        return reply();
    }
};
static_assert(metalio::Source<RecordingSource>);

}  // namespace

BEHAVIOUR("a user-defined Source is called once per operation with the exact token and interest, and its errors come back unchanged") {
    Poll poll = make_poll();
    const Registry& registry = poll.registry();
    RecordingSource source;

    REQUIRE(registry.register_(source, Token{7}, Interest::READABLE));
    CHECK_MESSAGE(source.registered.count == 1, "register_ was called ", source.registered.count, " times, not once");
    CHECK(source.registered.registry == &registry);
    CHECK(source.registered.token == Token{7});
    CHECK(source.registered.interests == Interest::READABLE);

    REQUIRE(registry.reregister(source, Token{8}, Interest::READABLE | Interest::WRITABLE));
    CHECK_MESSAGE(source.reregistered.count == 1, "reregister was called ", source.reregistered.count, " times, not once");
    CHECK(source.reregistered.registry == &registry);
    CHECK(source.reregistered.token == Token{8});
    CHECK(source.reregistered.interests == (Interest::READABLE | Interest::WRITABLE));

    REQUIRE(registry.deregister(source));
    CHECK_MESSAGE(source.deregistered.count == 1, "deregister was called ", source.deregistered.count, " times, not once");
    CHECK(source.deregistered.registry == &registry);

    source.answer = std::error_code(42, planted_category());
    const auto registered = registry.register_(source, Token{9}, Interest::WRITABLE);
    const auto reregistered = registry.reregister(source, Token{10}, Interest::PRIORITY);
    const auto deregistered = registry.deregister(source);
    REQUIRE_MESSAGE(!registered.has_value(), "the Source's register_ failed, but the Registry reported success");
    REQUIRE_MESSAGE(!reregistered.has_value(), "the Source's reregister failed, but the Registry reported success");
    REQUIRE_MESSAGE(!deregistered.has_value(), "the Source's deregister failed, but the Registry reported success");
    CHECK_MESSAGE(registered.error() == source.answer, "register_ returned a different error than the Source's");
    CHECK_MESSAGE(reregistered.error() == source.answer, "reregister returned a different error than the Source's");
    CHECK_MESSAGE(deregistered.error() == source.answer, "deregister returned a different error than the Source's");
    CHECK(source.registered.count == 2);
    CHECK(source.registered.token == Token{9});
    CHECK(source.reregistered.count == 2);
    CHECK(source.reregistered.interests == Interest::PRIORITY);
    CHECK(source.deregistered.count == 2);
}

BEHAVIOUR("registries cloned with try_clone and used from three threads at once end with the final interests firing") {
    Poll poll = make_poll();
    std::array<Pair, 3> pairs{connected_pair(), connected_pair(), connected_pair()};
    // Something to read on every server end: a READABLE interest left over
    // by mistake would fire.
    for (const Pair& pair : pairs) REQUIRE(pair.client.write(bytes("data")) == 4u);

    std::array<std::optional<Registry>, 3> clones;
    for (auto& clone : clones) {
        auto cloned = poll.registry().try_clone();
        REQUIRE_MESSAGE(cloned.has_value(), "Registry::try_clone failed: ", why(cloned));
        clone.emplace(std::move(*cloned));
    }

    // Thread i: register (token 10+i), deregister, register (token 20+i),
    // reregister WRITABLE (token 30+i). Each step's outcome is kept; the
    // checks run on this thread.
    std::array<std::array<std::error_code, 4>, 3> outcomes{};
    metalio::test::Latch start(3);  // not std::latch: see latch.hpp
    {
        std::vector<metalio::test::JoiningThread> threads;
        for (std::size_t i = 0; i < 3; ++i) {
            threads.emplace_back([&, i] {
                const Registry& registry = *clones[i];
                const TcpStream& stream = pairs[i].server;
                start.arrive_and_wait();
                auto keep = [&](std::size_t step, const metalio::io::Result<void>& done) {
                    if (!done) outcomes[i][step] = done.error();
                };
                keep(0, registry.register_(stream, Token{10 + i}, Interest::READABLE));
                keep(1, registry.deregister(stream));
                keep(2, registry.register_(stream, Token{20 + i}, Interest::READABLE));
                keep(3, registry.reregister(stream, Token{30 + i}, Interest::WRITABLE));
            });
        }
    }  // the threads join here
    const char* const steps[] = {"register", "deregister", "register again", "reregister"};
    for (std::size_t i = 0; i < 3; ++i) {
        for (std::size_t step = 0; step < 4; ++step) {
            CHECK_MESSAGE(!outcomes[i][step], "thread ", i, ": ", steps[step], " failed: ", outcomes[i][step].message());
        }
    }

    std::array<bool, 3> writable{};
    const auto deadline = std::chrono::steady_clock::now() + kEventWait;
    while ((!writable[0] || !writable[1] || !writable[2]) && std::chrono::steady_clock::now() < deadline) {
        for (const Event event : poll_once(poll, 100ms)) {
            const std::size_t token = event.token().value;
            CHECK_MESSAGE((token >= 30 && token < 33), "an event carries token ", token,
                          ", which is not a final token (30, 31 or 32)");
            CHECK_MESSAGE(!event.is_readable(), "token ", token, " is readable, but its final interest is WRITABLE only");
            if (token >= 30 && token < 33 && event.is_writable()) writable[token - 30] = true;
        }
    }
    for (std::size_t i = 0; i < 3; ++i) {
        CHECK_MESSAGE(writable[i], "no writable event with token ", 30 + i, " (thread ", i, "'s final registration)");
    }
}
