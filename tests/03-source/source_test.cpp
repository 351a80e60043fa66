// Stage 03: the Source concept, Registry, posix::SourceFd, SelectorId and IoSource.
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <vector>

#include "metalio/events.hpp"
#include "metalio/io_source.hpp"
#include "metalio/registry.hpp"
#include "metalio/posix/source_fd.hpp"
#include "metalio/sys/fault.hpp"
#include "metalio_test.hpp"
#include "selector_facts.hpp"
#include "waitable_registry.hpp"

using namespace std::chrono_literals;
using metalio::Errc;
using metalio::Event;
using metalio::Events;
using metalio::Interest;
using metalio::IoSource;
using metalio::Registry;
using metalio::Token;
using metalio::sys::OwnedFd;
using metalio::posix::SourceFd;

namespace {

using metalio::test::WaitableRegistry;

WaitableRegistry make_registry() { return metalio::test::make_waitable_registry(); }

struct Pair {
    OwnedFd a{-1}, b{-1};
};

Pair make_socketpair() {
    int ends[2];
    REQUIRE(metalio::test::socket_pair(SOCK_STREAM, ends) == 0);
    return {OwnedFd(ends[0]), OwnedFd(ends[1])};
}

std::vector<Event> poll_once(const WaitableRegistry& registry, Events& events, std::chrono::nanoseconds timeout) {
    const auto polled = registry.selector.select(events, timeout);
    REQUIRE_MESSAGE(polled.has_value(), metalio::test::why(polled));
    return {events.begin(), events.end()};
}

// A user-defined source: records every call and can be told to fail.
struct RecordingSource {
    struct Call {
        const char* what;
        Token token;
        std::optional<Interest> interests;
    };
    mutable std::vector<Call> calls;
    std::error_code fail_with;

    metalio::io::Result<void> answer() const {
        if (fail_with) return std::unexpected(fail_with);
        return {};
    }
    metalio::io::Result<void> register_(const Registry&, Token token, Interest interests) const {
        calls.push_back({"register", token, interests});
        return answer();
    }
    metalio::io::Result<void> reregister(const Registry&, Token token, Interest interests) const {
        calls.push_back({"reregister", token, interests});
        return answer();
    }
    metalio::io::Result<void> deregister(const Registry&) const {
        calls.push_back({"deregister", Token{}, std::nullopt});
        return answer();
    }
};

}  // namespace

static_assert(metalio::Source<SourceFd>);
static_assert(metalio::Source<IoSource>);
static_assert(metalio::Source<RecordingSource>);
static_assert(!metalio::Source<int>, "a plain fd is not a Source: wrap it in SourceFd");

TEST_CASE("a user-defined Source is called once per operation, with the exact arguments, and its errors come back") {
    const WaitableRegistry registry = make_registry();
    RecordingSource source;
    REQUIRE(registry.register_(source, Token{4}, Interest::READABLE));
    REQUIRE(registry.reregister(source, Token{5}, Interest::WRITABLE));
    REQUIRE(registry.deregister(source));
    REQUIRE(source.calls.size() == 3);
    CHECK(std::string(source.calls[0].what) == "register");
    CHECK(source.calls[0].token == Token{4});
    CHECK(source.calls[0].interests == Interest::READABLE);
    CHECK(std::string(source.calls[1].what) == "reregister");
    CHECK(source.calls[1].token == Token{5});
    CHECK(source.calls[1].interests == Interest::WRITABLE);
    CHECK(std::string(source.calls[2].what) == "deregister");

    source.fail_with = std::make_error_code(std::errc::permission_denied);
    const auto failed = registry.register_(source, Token{6}, Interest::READABLE);
    REQUIRE_FALSE(failed.has_value());
    CHECK(failed.error() == std::errc::permission_denied);
}

TEST_CASE("SourceFd registers a raw fd, and events carry its token") {
    const metalio::test::FdLeakCheck no_leak;
    const WaitableRegistry registry = make_registry();
    Pair pair = make_socketpair();
    REQUIRE(registry.register_(SourceFd{pair.a.get()}, Token{11}, Interest::READABLE));
    REQUIRE(::write(pair.b.get(), "hi", 2) == 2);
    Events events = Events::with_capacity(4);
    const auto ready = poll_once(registry, events, 1s);
    REQUIRE(ready.size() == 1);
    CHECK(ready[0].token() == Token{11});
    CHECK(ready[0].is_readable());
    REQUIRE(registry.deregister(SourceFd{pair.a.get()}));
}

TEST_CASE("IoSource: register twice, or with a second registry, is a clear error") {
    const metalio::test::FdLeakCheck no_leak;
    const WaitableRegistry first = make_registry();
    const WaitableRegistry second = make_registry();
    Pair pair = make_socketpair();
    const IoSource source(std::move(pair.a));

    REQUIRE(first.register_(source, Token{1}, Interest::READABLE));
    const auto twice = first.register_(source, Token{1}, Interest::READABLE);
    REQUIRE_FALSE(twice.has_value());
    CHECK(twice.error() == Errc::already_registered);

    const auto elsewhere = second.register_(source, Token{1}, Interest::READABLE);
    REQUIRE_FALSE(elsewhere.has_value());
    CHECK(elsewhere.error() == Errc::registered_elsewhere);
    const auto reregistered_elsewhere = second.reregister(source, Token{1}, Interest::READABLE);
    REQUIRE_FALSE(reregistered_elsewhere.has_value());
    CHECK(reregistered_elsewhere.error() == Errc::registered_elsewhere);

    // After deregister it may go to the other registry.
    REQUIRE(first.deregister(source));
    REQUIRE(second.register_(source, Token{2}, Interest::READABLE));
    REQUIRE(second.deregister(source));
}

TEST_CASE("IoSource: reregister or deregister without register is an error") {
    const metalio::test::FdLeakCheck no_leak;
    const WaitableRegistry registry = make_registry();
    Pair pair = make_socketpair();
    const IoSource source(std::move(pair.a));
    const auto reregistered = registry.reregister(source, Token{1}, Interest::READABLE);
    REQUIRE_FALSE(reregistered.has_value());
    CHECK(reregistered.error() == Errc::not_registered);
    const auto deregistered = registry.deregister(source);
    REQUIRE_FALSE(deregistered.has_value());
    CHECK(deregistered.error() == Errc::not_registered);
}

TEST_CASE("IoSource: a failed register leaves it unregistered, so a later register works") {
    const metalio::test::FdLeakCheck no_leak;
    const WaitableRegistry registry = make_registry();
    Pair pair = make_socketpair();
    const IoSource source(std::move(pair.a));
    metalio::sys::fault::reset();
    metalio::sys::fault::fail_next(metalio::test::kRegisterSyscall, ENOMEM);
    const auto failed = registry.register_(source, Token{1}, Interest::READABLE);
    metalio::sys::fault::reset();
    REQUIRE_FALSE(failed.has_value());
    CHECK(failed.error() == std::errc::not_enough_memory);
    REQUIRE(registry.register_(source, Token{1}, Interest::READABLE));
}

TEST_CASE("IoSource: draining to WouldBlock through do_io re-arms readiness on every selector") {
    const metalio::test::FdLeakCheck no_leak;
    const WaitableRegistry registry = make_registry();
    Pair pair = make_socketpair();
    const IoSource source(std::move(pair.a));
    REQUIRE(registry.register_(source, Token{3}, Interest::READABLE));
    Events events = Events::with_capacity(4);
    auto read_some = [&] {
        return source.do_io([](int fd) -> metalio::io::Result<ssize_t> {
            char buffer[64];
            const ssize_t n = ::read(fd, buffer, sizeof buffer);
            if (n < 0) return std::unexpected(metalio::io::last_os_error());
            return n;
        });
    };

    for (int round = 0; round < 3; ++round) {
        CAPTURE(round);
        REQUIRE(::write(pair.b.get(), "data", 4) == 4);
        REQUIRE(poll_once(registry, events, 1s).size() == 1);
        CHECK(read_some() == 4);
        const auto drained = read_some();
        REQUIRE_FALSE(drained.has_value());
        CHECK(metalio::io::is_would_block(drained.error()));
        CHECK(poll_once(registry, events, 0ms).empty());  // no event until new data
    }
}

TEST_CASE("Registry::try_clone registers with the same selector") {
    const metalio::test::FdLeakCheck no_leak;
    const WaitableRegistry registry = make_registry();
    auto clone = registry.try_clone();
    REQUIRE(clone.has_value());
    Pair pair = make_socketpair();
    const IoSource source(std::move(pair.a));
    REQUIRE(clone->register_(source, Token{8}, Interest::WRITABLE));
    // Same selector, so the original registry sees it as already registered.
    const auto twice = registry.register_(source, Token{8}, Interest::WRITABLE);
    REQUIRE_FALSE(twice.has_value());
    CHECK(twice.error() == Errc::already_registered);
    Events events = Events::with_capacity(4);
    const auto ready = poll_once(registry, events, 1s);
    REQUIRE(ready.size() == 1);
    CHECK(ready[0].token() == Token{8});
}

TEST_CASE("the waker slot is claimed once per selector, across clones, until released") {
    const WaitableRegistry registry = make_registry();
    auto clone = registry.try_clone();
    REQUIRE(clone.has_value());
    REQUIRE(registry.claim_waker());
    const auto second = clone->claim_waker();
    REQUIRE_FALSE(second.has_value());
    CHECK(second.error() == Errc::waker_exists);
    registry.release_waker();
    CHECK(clone->claim_waker().has_value());
}
