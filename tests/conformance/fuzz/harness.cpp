// The metalio fuzz harness: LLVMFuzzerTestOneInput reads its input as a
// little program of operations on a pool of pipes, Unix socket pairs and TCP
// connections, runs them against two metalio::Poll instances, and checks every
// result against a model that the harness keeps on the side.
//
// Pipes and Unix pairs come in variants, chosen by the bits of the slot byte
// above the slot number (so inputs that use slot bytes 0..3 keep their
// meaning): a pipe is a raw pipe2() pair registered through posix::SourceFd,
// or posix::pipe()'s Sender and Receiver (stage 08); a Unix pair is a raw
// socketpair() in an IoSource, a posix::UnixStream::pair(), or a
// posix::UnixDatagram::pair(), whose model keeps datagram boundaries.
//
// The same file is built twice:
//   - with clang and -fsanitize=fuzzer as fuzz_metalio (tests/tools/fuzz.sh),
//     where libFuzzer invents the inputs;
//   - with any compiler as fuzz_replay (replay_main.cpp), which runs the
//     checked-in corpus through it on every `make test`.
//
// The model is the point. It knows which fd is registered with which Poll,
// under which token and interest; which calls must fail and with which error;
// how many bytes wait unread at each end; and which ends are closed or shut
// down. From that it checks:
//   - register_ / reregister / deregister: success, or exactly the error mio
//     gives (already_registered, not_registered, registered_elsewhere, EBADF);
//   - poll: a zero-capacity Events and a negative timeout fail as documented;
//     every event carries a token registered with that Poll; it is readable
//     only if the fd has unread data or a closed/shut-down peer, writable only
//     if WRITABLE was asked for, closed/error only if something was closed;
//     data present when an fd is (re)registered READABLE is reported by the
//     next big-enough poll (both selectors promise that);
//   - with the poll(2) selector only: an interest that fired stays disarmed
//     until reregister, an IoSource operation that returned WouldBlock, or
//     a TcpStream read shorter than asked (the short-read rule);
//   - read / write: byte counts, end-of-file, WouldBlock, EPIPE, ECONNRESET
//     where the kernel may give them, and the bytes themselves (each direction
//     carries a known pattern);
//   - after each input: no file descriptor is left open.
// Safety properties only, apart from the one "data after (re)register" rule:
// epoll and the emulated edges of poll(2) differ in when an event repeats, so
// the harness never counts events. Any mismatch prints the operations of the
// input and aborts, which libFuzzer records as a crash.
#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <system_error>
#include <vector>

#include "metalio/io_source.hpp"
#include "metalio/net/tcp_listener.hpp"
#include "metalio/net/tcp_stream.hpp"
#include "metalio/poll.hpp"
#include "metalio/posix/pipe.hpp"
#include "metalio/posix/source_fd.hpp"
#include "metalio/posix/unix_datagram.hpp"
#include "metalio/posix/unix_stream.hpp"
#include "metalio/sys/syscall.hpp"
#include "metalio/sys/unix/portable/pipe.hpp"
#include "metalio/sys/unix/portable/send.hpp"
#include "metalio/sys/unix/portable/uds.hpp"
#include "kqueue_settle.hpp"
#include "selector_facts.hpp"

namespace {

using namespace metalio;
using namespace std::chrono_literals;

// The poll(2) selector keeps its table by fd number and disarms what fired.
constexpr bool kPollSelector = sys::Selector::emulates_edges;

// The fuzzer once found the poll(2) selector skipping ready fds in one scan
// (it moved its scan start while scanning); the strict check below, "data
// present at (re)register is reported by the next big poll", now guards it,
// with corpus/seed-poll-scan as the reproducer.

constexpr std::size_t kSlots = 4;      // pairs; each has two ends, so 8 ends
constexpr std::size_t kMaxOps = 256;   // longer inputs are cut
constexpr std::size_t kBigPoll = 64;   // more than all registrations together
constexpr std::size_t kBufferSize = 140 * 1024;

enum class Kind { PipeRead, PipeWrite, Unix, Tcp, UnixDatagram };

const char* kind_name(Kind kind) {
    switch (kind) {
        case Kind::PipeRead: return "pipe read end";
        case Kind::PipeWrite: return "pipe write end";
        case Kind::Unix: return "unix socket";
        case Kind::Tcp: return "tcp stream";
        case Kind::UnixDatagram: return "unix datagram socket";
    }
    return "?";
}

// One end of a pair: the real object and what the model knows about it.
struct End {
    Kind kind = Kind::PipeRead;
    sys::OwnedFd raw{-1};               // pipes: registered through posix::SourceFd
    std::optional<IoSource> sock;       // socketpair ends: IoSource (association check, re-arm)
    std::optional<net::TcpStream> tcp;  // TCP ends
    std::optional<posix::Sender> sender;         // posix::pipe() write end
    std::optional<posix::Receiver> receiver;     // posix::pipe() read end
    std::optional<posix::UnixStream> ustream;    // posix::UnixStream::pair() end
    std::optional<posix::UnixDatagram> dgram;    // posix::UnixDatagram::pair() end
    std::deque<std::uint64_t> datagrams;         // UnixDatagram: sizes of the datagrams queued here

    bool open = false;
    int fd = -1;
    std::uint32_t stream = 0;   // names the byte pattern this end sends
    std::uint64_t tx = 0;       // bytes this end wrote
    std::uint64_t rx = 0;       // bytes this end consumed
    bool shut_rd = false;
    bool shut_wr = false;
    bool reset = false;  // unix: the peer closed with unread data, ECONNRESET may come
    int assoc = -1;      // IoSource kinds: the Poll it is registered with

    // Owned by an IoSource (association check, re-arm after WouldBlock),
    // not registered as a raw fd through posix::SourceFd.
    bool io_source() const { return !raw_fd(); }
    bool raw_fd() const { return (kind == Kind::PipeRead || kind == Kind::PipeWrite) && !sender && !receiver; }

    // Calls @p f with the Source this end registers as.
    template <class F>
    auto with_source(F f) {
        if (sock) return f(*sock);
        if (tcp) return f(*tcp);
        if (sender) return f(*sender);
        if (receiver) return f(*receiver);
        if (ustream) return f(*ustream);
        if (dgram) return f(*dgram);
        posix::SourceFd raw_source{fd};
        return f(raw_source);
    }
};

struct Pair {
    std::array<End, 2> end;
};

// A registration as the model sees it, per Poll and fd number.
struct Reg {
    Token token;
    Interest interest = Interest::READABLE;
    bool read_disarmed = false;   // poll(2) selector: POLLIN fired, not re-armed yet
    bool write_disarmed = false;  // poll(2) selector: POLLOUT fired
    bool parked = false;          // poll(2) selector: HUP/ERR fired, nothing until re-armed
    bool must_report = false;     // READABLE with unread data when (re)registered
};

struct Outcome {
    bool ok = false;
    std::size_t n = 0;
    std::error_code error;
};

template <class T>
Outcome outcome(const io::Result<T>& result) {
    if (!result) return Outcome{false, 0, result.error()};
    if constexpr (std::is_void_v<T>) {
        return Outcome{true, 0, {}};
    } else {
        return Outcome{true, static_cast<std::size_t>(*result), {}};
    }
}

std::string describe(const std::error_code& error) {
    return error.message() + " [" + error.category().name() + ":" + std::to_string(error.value()) + "]";
}

std::string describe(const Outcome& out) {
    return out.ok ? "ok " + std::to_string(out.n) : "error: " + describe(out.error);
}

std::string describe(Interest interest) {
    std::string text;
    if (interest.is_readable()) text += "READABLE";
    if (interest.is_writable()) text += text.empty() ? "WRITABLE" : "|WRITABLE";
    if (interest.is_priority()) text += text.empty() ? "PRIORITY" : "|PRIORITY";
    return text;
}

std::string describe(Token token) { return std::to_string(token.value); }

// metalio's own errors must match exactly; an errno matches in any category
// (the poll(2) selector reports a negative fd as generic EBADF, epoll as system EBADF).
bool same_error(const std::error_code& got, const std::error_code& want) {
    if (want.category() == metalio::error_category()) return got == want;
    return got == std::error_condition(want.value(), std::generic_category());
}

bool is_errc(const Outcome& out, std::errc e) { return !out.ok && out.error == e; }
bool would_block(const Outcome& out) { return !out.ok && io::is_would_block(out.error); }

std::uint8_t pattern(std::uint32_t stream, std::uint64_t index) {
    return static_cast<std::uint8_t>((index * 131u) ^ (index >> 8) ^ (stream * 0x9du));
}

std::size_t open_fd_count() {
    metalio::test::settle_kqueue_library();  // kqueue on Linux: let libkqueue free closed kqueues
    std::size_t count = 0;
    if (DIR* dir = ::opendir("/proc/self/fd")) {
        while (const dirent* entry = ::readdir(dir)) {
            if (entry->d_name[0] != '.') ++count;
        }
        ::closedir(dir);
        --count;  // opendir's own descriptor
        return count;
    }
    // No /proc (macOS, the BSDs): fcntl(F_GETFD) succeeds exactly for open
    // descriptors (tests/support/fd_leak.hpp does the same, and more).
    const long limit = ::sysconf(_SC_OPEN_MAX);
    for (long fd = 0; fd < (limit > 0 && limit < (1L << 20) ? limit : 65536); ++fd) {
        if (::fcntl(static_cast<int>(fd), F_GETFD) != -1) ++count;
    }
    return count;
}

struct Input {
    const std::uint8_t* data;
    std::size_t size;
    std::size_t at = 0;
    std::uint8_t next() { return at < size ? data[at++] : 0; }
    bool done() const { return at >= size; }
};

class Harness {
public:
    explicit Harness(Input input) : in_(input) {}

    void run() {
        const std::size_t fds_before = open_fd_count();
        for (auto& poll : polls_) {
            auto created = Poll::create();
            if (!created) fail("Poll::create failed: " + describe(created.error()));
            poll.emplace(std::move(*created));
        }
        for (std::size_t op = 0; op < kMaxOps && !in_.done(); ++op) step();
        for (std::size_t slot = 0; slot < kSlots; ++slot) drop_pair(slot);
        for (auto& poll : polls_) poll.reset();
        // METALIO_FUZZ_TRACE=1 fuzz_replay <file> shows what an input does.
        if (std::getenv("METALIO_FUZZ_TRACE") != nullptr) std::fprintf(stderr, "%s", trace_.c_str());
        const std::size_t fds_after = open_fd_count();
        if (fds_after != fds_before) {
            fail("file descriptors leaked: " + std::to_string(fds_before) + " open before this input, " +
                 std::to_string(fds_after) + " after it");
        }
    }

private:
    // ---------------------------------------------------------------- helpers
    [[noreturn]] void fail(const std::string& what) {
        std::fprintf(stderr,
                     "\nmetalio fuzz: MODEL MISMATCH (%s selector)\n  %s\n"
                     "Operations of this input, in order:\n%s\n",
                     kPollSelector ? "poll(2)" : METALIO_SELECTOR_KQUEUE ? "kqueue" : "epoll", what.c_str(),
                     trace_.c_str());
        std::fflush(stderr);
        std::abort();
    }

    void note(const std::string& line) {
        if (trace_.size() < 64 * 1024) trace_ += "  " + line + "\n";
    }

    std::string name(std::size_t index) const {
        const End& e = at(index);
        return "end " + std::to_string(index) + " (" + kind_name(e.kind) + ", fd " + std::to_string(e.fd) + ")";
    }

    End& at(std::size_t index) { return slots_[index / 2]->end[index % 2]; }
    const End& at(std::size_t index) const { return slots_[index / 2]->end[index % 2]; }
    End& peer_of(std::size_t index) { return slots_[index / 2]->end[1 - index % 2]; }

    // An open end by index, or nullptr (the operation is skipped).
    End* end_or_null(std::size_t index) {
        if (!slots_[index / 2]) return nullptr;
        End& e = at(index);
        return e.open ? &e : nullptr;
    }

    // Which open end has this fd number (the poll(2) table is by number).
    std::optional<std::size_t> owner(int fd) const {
        for (std::size_t i = 0; i < 2 * kSlots; ++i) {
            if (slots_[i / 2] && at(i).open && at(i).fd == fd) return i;
        }
        return std::nullopt;
    }

    std::uint64_t unread(std::size_t index) {
        const End& e = at(index);
        if (e.kind == Kind::PipeWrite) return 0;
        return peer_of(index).tx - e.rx;
    }

    // The read side may see end-of-file (or HUP / RDHUP).
    bool eof_possible(std::size_t index) {
        const End& e = at(index);
        const End& q = peer_of(index);
        switch (e.kind) {
            case Kind::PipeRead: return !q.open;
            // kqueue: the read filter of a write end reports end-of-file
            // once the read end is gone (epoll and poll(2) say only ERR).
            case Kind::PipeWrite: return METALIO_SELECTOR_KQUEUE && !q.open;
            case Kind::Unix: return !q.open || q.shut_wr || e.shut_rd;
            case Kind::Tcp: return !q.open || q.shut_wr || e.shut_rd || tcp_reset_possible(index);
            // A datagram socket is read-closed only by its own
            // shutdown(Read): the peer's shutdown or close does not reach it.
            case Kind::UnixDatagram: return e.shut_rd;
        }
        return true;
    }

    // TCP may reset the connection (RST) when the peer closes with unread
    // data, when the peer shut its read side and we send, or when we shut
    // ours and the peer sends. Afterwards reads and writes may fail with
    // ECONNRESET (or EPIPE), unread data may be gone, and the socket is closed.
    bool tcp_reset_possible(std::size_t index) {
        const End& e = at(index);
        const End& q = peer_of(index);
        return e.kind == Kind::Tcp && (!q.open || q.shut_rd || e.shut_rd);
    }

    Token token_from(std::uint8_t byte) {
        const std::size_t t = byte % 8;
        return Token{t == 7 ? std::numeric_limits<std::size_t>::max() - 1 : t};
    }

    Interest interest_from(std::uint8_t byte) {
        const int bits = byte % 7 + 1;
        std::optional<Interest> interest;
        auto add = [&](Interest one) { interest = interest ? interest->add(one) : one; };
        if (bits & 1) add(Interest::READABLE);
        if (bits & 2) add(Interest::WRITABLE);
        if (bits & 4) add(Interest::PRIORITY);
        return *interest;
    }

    void expect(bool condition, const std::string& what) {
        if (!condition) fail(what);
    }

    // Compares a registration call's result with the model's prediction.
    void expect_result(const Outcome& got, std::optional<std::error_code> want, const std::string& what) {
        if (!want) {
            expect(got.ok, what + ": expected success, got " + describe(got));
        } else if (got.ok || !same_error(got.error, *want)) {
            fail(what + ": expected " + describe(*want) + ", got " + describe(got));
        }
    }

    void clear_obligations(int fd) {
        for (auto& table : tables_) {
            if (auto found = table.find(fd); found != table.end()) found->second.must_report = false;
        }
    }

    // The obligation of a fresh (re)registration: readable data must be reported.
    bool must_report(std::size_t index, Interest interest) {
        const End& e = at(index);
        // TCP data may still be on its way through loopback: no promise there.
        const bool synchronous = e.kind == Kind::PipeRead || e.kind == Kind::Unix || e.kind == Kind::UnixDatagram;
        return synchronous && interest.is_readable() && unread(index) > 0;
    }

    // With the poll(2) selector an IoSource operation that returned
    // WouldBlock re-arms its registration, and so does a TcpStream read
    // that returned fewer bytes than the @p short_of it asked for (the
    // short-read rule, IoSource::do_read; 0 = not such a read).
    void after_io(std::size_t index, const Outcome& out, std::size_t short_of = 0) {
        End& e = at(index);
        const bool short_read = out.ok && out.n > 0 && out.n < short_of;
        if (!kPollSelector || !e.io_source() || !(would_block(out) || short_read) || e.assoc < 0) return;
        auto found = tables_[e.assoc].find(e.fd);
        if (found == tables_[e.assoc].end()) fail("model: " + name(index) + " is associated but not registered");
        found->second.read_disarmed = found->second.write_disarmed = found->second.parked = false;
    }

    // ------------------------------------------------------------- operations
    void step() {
        const std::uint8_t op = in_.next() % 16;
        switch (op) {
            case 0: {
                const std::uint8_t byte = in_.next();
                create(byte % kSlots, Kind::PipeRead, byte / kSlots % 2);
                break;
            }
            case 1: {
                const std::uint8_t byte = in_.next();
                create(byte % kSlots, Kind::Unix, byte / kSlots % 3);
                break;
            }
            case 2: create(in_.next() % kSlots, Kind::Tcp); break;
            case 3: {
                const std::size_t e = in_.next() % (2 * kSlots);
                const std::size_t p = in_.next() % 2;
                const Token token = token_from(in_.next());
                register_(e, p, token, interest_from(in_.next()));
                break;
            }
            case 4: {
                const std::size_t e = in_.next() % (2 * kSlots);
                const std::size_t p = in_.next() % 2;
                const Token token = token_from(in_.next());
                reregister(e, p, token, interest_from(in_.next()));
                break;
            }
            case 5: {
                const std::size_t e = in_.next() % (2 * kSlots);
                deregister(e, in_.next() % 2);
                break;
            }
            case 6: {
                const std::size_t p = in_.next() % 2;
                poll(p, in_.next());
                break;
            }
            case 7: {
                const std::size_t e = in_.next() % (2 * kSlots);
                write(e, in_.next());
                break;
            }
            case 8: {
                const std::size_t e = in_.next() % (2 * kSlots);
                const std::uint8_t length = in_.next();
                read(e, length, in_.next() % 3);
                break;
            }
            case 9: drain(in_.next() % (2 * kSlots)); break;
            case 10: close_end(in_.next() % (2 * kSlots)); break;
            case 11: drop_pair(in_.next() % kSlots); break;
            case 12: {
                const std::size_t e = in_.next() % (2 * kSlots);
                shutdown(e, in_.next() % 3);
                break;
            }
            case 13: {
                const std::size_t p = in_.next() % 2;
                const std::uint8_t which = in_.next();
                bad_fd(p, which % 3, in_.next());
                break;
            }
            case 14: {
                const std::size_t from = in_.next() % kSlots;
                move_pair(from, in_.next() % kSlots);
                break;
            }
            default: poll(in_.next() % 2, 2); break;  // the common case: a big poll
        }
    }

    void init_end(End& e, Kind kind, int fd) {
        e.kind = kind;
        e.open = true;
        e.fd = fd;
        e.stream = next_stream_++;
    }

    void create(std::size_t slot, Kind kind, int variant = 0) {
        drop_pair(slot);
        Pair pair;
        if (kind == Kind::PipeRead && variant == 1) {
            auto made = posix::pipe();
            if (!made) {
                note("create posix::pipe in slot " + std::to_string(slot) + ": " + describe(made.error()) + " (skipped)");
                return;
            }
            const int read_fd = made->second.as_raw_fd();
            const int write_fd = made->first.as_raw_fd();
            pair.end[0].receiver.emplace(std::move(made->second));
            pair.end[1].sender.emplace(std::move(made->first));
            init_end(pair.end[0], Kind::PipeRead, read_fd);
            init_end(pair.end[1], Kind::PipeWrite, write_fd);
        } else if (kind == Kind::Unix && variant == 1) {
            auto made = posix::UnixStream::pair();
            if (!made) {
                note("create UnixStream::pair in slot " + std::to_string(slot) + ": " + describe(made.error()) +
                     " (skipped)");
                return;
            }
            const int a = made->first.as_raw_fd();
            const int b = made->second.as_raw_fd();
            pair.end[0].ustream.emplace(std::move(made->first));
            pair.end[1].ustream.emplace(std::move(made->second));
            init_end(pair.end[0], Kind::Unix, a);
            init_end(pair.end[1], Kind::Unix, b);
        } else if (kind == Kind::Unix && variant == 2) {
            kind = Kind::UnixDatagram;
            auto made = posix::UnixDatagram::pair();
            if (!made) {
                note("create UnixDatagram::pair in slot " + std::to_string(slot) + ": " + describe(made.error()) +
                     " (skipped)");
                return;
            }
            const int a = made->first.as_raw_fd();
            const int b = made->second.as_raw_fd();
            pair.end[0].dgram.emplace(std::move(made->first));
            pair.end[1].dgram.emplace(std::move(made->second));
            init_end(pair.end[0], Kind::UnixDatagram, a);
            init_end(pair.end[1], Kind::UnixDatagram, b);
        } else if (kind == Kind::PipeRead) {
            int fds[2];
            if (auto made = sys::portable::pipe(fds); !made) {  // pipe2, or pipe + fcntl
                note("create pipe in slot " + std::to_string(slot) + ": " + describe(made.error()) + " (skipped)");
                return;
            }
            pair.end[0].raw = sys::OwnedFd(fds[0]);
            pair.end[1].raw = sys::OwnedFd(fds[1]);
            init_end(pair.end[0], Kind::PipeRead, fds[0]);
            init_end(pair.end[1], Kind::PipeWrite, fds[1]);
        } else if (kind == Kind::Unix) {
            int fds[2];
            if (auto made = sys::portable::socket_pair(SOCK_STREAM, fds); !made) {
                note("create unix pair in slot " + std::to_string(slot) + ": " + describe(made.error()) +
                     " (skipped)");
                return;
            }
            pair.end[0].sock.emplace(sys::OwnedFd(fds[0]));
            pair.end[1].sock.emplace(sys::OwnedFd(fds[1]));
            init_end(pair.end[0], Kind::Unix, fds[0]);
            init_end(pair.end[1], Kind::Unix, fds[1]);
        } else {
            auto connected = tcp_pair();
            if (!connected) {
                note("create tcp pair in slot " + std::to_string(slot) + ": " + describe(connected.error()) +
                     " (skipped)");
                return;
            }
            const int client = connected->first.as_raw_fd();
            const int server = connected->second.as_raw_fd();
            pair.end[0].tcp.emplace(std::move(connected->first));
            pair.end[1].tcp.emplace(std::move(connected->second));
            init_end(pair.end[0], Kind::Tcp, client);
            init_end(pair.end[1], Kind::Tcp, server);
        }
        // A new fd may take the number of a closed one that the poll(2)
        // table still holds: the stale registration then watches it, with
        // whatever state it had.
        slots_[slot].emplace(std::move(pair));
        static constexpr std::array<const char*, 5> kPairNames{"pipe", "pipe", "unix pair", "tcp pair", "unix datagram pair"};
        note("create " + std::string(kPairNames[static_cast<std::size_t>(kind)]) + (variant ? " (stage 08 type)" : "") +
             " in slot " + std::to_string(slot) + ": ends " + std::to_string(2 * slot) + " (fd " +
             std::to_string(at(2 * slot).fd) + ") and " + std::to_string(2 * slot + 1) + " (fd " +
             std::to_string(at(2 * slot + 1).fd) + ")");
    }

    // A connected pair over loopback; the listener is closed again at once.
    static io::Result<std::pair<net::TcpStream, net::TcpStream>> tcp_pair() {
        auto listener = net::TcpListener::bind(net::SocketAddr::v4({127, 0, 0, 1}, 0));
        if (!listener) return std::unexpected(listener.error());
        auto addr = listener->local_addr();
        if (!addr) return std::unexpected(addr.error());
        auto client = net::TcpStream::connect(*addr);
        if (!client) return std::unexpected(client.error());
        for (int attempt = 0;; ++attempt) {
            auto accepted = listener->accept();
            if (accepted) return std::pair<net::TcpStream, net::TcpStream>(std::move(*client), std::move(accepted->first));
            if (!io::is_would_block(accepted.error()) || attempt == 1000) return std::unexpected(accepted.error());
        }
    }

    void register_(std::size_t index, std::size_t p, Token token, Interest interest) {
        End* e = end_or_null(index);
        if (!e) return;
        std::optional<std::error_code> want;
        if (e->io_source() && e->assoc == static_cast<int>(p)) {
            want = make_error_code(Errc::already_registered);
        } else if (e->io_source() && e->assoc >= 0) {
            want = make_error_code(Errc::registered_elsewhere);
        } else if (tables_[p].contains(e->fd) && test::kSelectorRefusesSecondRegister) {
            want = make_error_code(Errc::already_registered);
        }
        // kqueue: a second register of a raw fd adds its filters to those
        // there (EV_ADD never deletes), with the new token.
        const auto before = tables_[p].find(e->fd);
        if (before != tables_[p].end() && !want) interest = interest | before->second.interest;
        const Registry& registry = polls_[p]->registry();
        const Outcome got = e->with_source([&](auto& source) { return outcome(registry.register_(source, token, interest)); });
        const std::string what = "register " + name(index) + " with poll " + std::to_string(p) + ", token " +
                                 describe(token) + ", " + describe(interest);
        note(what + " -> " + describe(got));
        expect_result(got, want, what);
        if (!got.ok) return;
        const bool again = before != tables_[p].end();  // kqueue: a second register
        const bool report = must_report(index, interest) && (!again || test::kReregisterReportsWaitingData);
        tables_[p][e->fd] = Reg{token, interest, false, false, false, report};
        stale_[p].erase(e->fd);
        if (e->io_source()) e->assoc = static_cast<int>(p);
    }

    void reregister(std::size_t index, std::size_t p, Token token, Interest interest) {
        End* e = end_or_null(index);
        if (!e) return;
        std::optional<std::error_code> want;
        if (e->io_source() && e->assoc != static_cast<int>(p)) {
            want = make_error_code(e->assoc < 0 ? Errc::not_registered : Errc::registered_elsewhere);
        } else if (!tables_[p].contains(e->fd) && test::kSelectorRefusesReregisterOfUnknownFd) {
            want = make_error_code(Errc::not_registered);
        }
        const Registry& registry = polls_[p]->registry();
        const Outcome got =
            e->with_source([&](auto& source) { return outcome(registry.reregister(source, token, interest)); });
        const std::string what = "reregister " + name(index) + " with poll " + std::to_string(p) + ", token " +
                                 describe(token) + ", " + describe(interest);
        note(what + " -> " + describe(got));
        expect_result(got, want, what);
        if (!got.ok) return;
        const bool report = must_report(index, interest) &&
                            (test::kReregisterReportsWaitingData || !tables_[p].contains(e->fd));
        tables_[p][e->fd] = Reg{token, interest, false, false, false, report};
        stale_[p].erase(e->fd);
    }

    void deregister(std::size_t index, std::size_t p) {
        End* e = end_or_null(index);
        if (!e) return;
        std::optional<std::error_code> want;
        if (e->io_source() && e->assoc != static_cast<int>(p)) {
            want = make_error_code(e->assoc < 0 ? Errc::not_registered : Errc::registered_elsewhere);
        } else if (!tables_[p].contains(e->fd)) {
            want = make_error_code(Errc::not_registered);
        }
        const Registry& registry = polls_[p]->registry();
        const Outcome got = e->with_source([&](auto& source) { return outcome(registry.deregister(source)); });
        const std::string what = "deregister " + name(index) + " from poll " + std::to_string(p);
        note(what + " -> " + describe(got));
        const bool stale = stale_[p].erase(e->fd) > 0 && !tables_[p].contains(e->fd) && !e->io_source();
        if (!stale) expect_result(got, want, what);
        if (!got.ok) return;
        tables_[p].erase(e->fd);
        if (e->io_source()) e->assoc = -1;
    }

    // register / reregister / deregister of an fd number that is not open.
    void bad_fd(std::size_t p, int which, std::uint8_t choice) {
        int fd = -1;
        if (choice % 2 == 1 && !closed_.empty()) fd = closed_[choice / 2 % closed_.size()];
        if (fd >= 0 && ::fcntl(fd, F_GETFD) != -1) return;  // reused meanwhile: not a bad fd now
        const Registry& registry = polls_[p]->registry();
        const posix::SourceFd source{fd};
        const std::error_code ebadf(EBADF, std::system_category());
        const bool stale = tables_[p].contains(fd);  // only ever true with the poll(2) selector
        const bool stale_filters = stale_[p].erase(fd) > 0;  // libkqueue: any answer is fair
        std::optional<std::error_code> want;
        Outcome got;
        std::string what;
        const Token token{static_cast<std::size_t>(choice)};
        if (which == 0) {
            got = outcome(registry.register_(source, token, Interest::READABLE));
            what = "register closed fd " + std::to_string(fd);
            want = ebadf;  // epoll_ctl says EBADF; the poll(2) selector checks with fcntl first
        } else if (which == 1) {
            got = outcome(registry.reregister(source, token, Interest::READABLE));
            what = "reregister closed fd " + std::to_string(fd);
            if (!kPollSelector) want = ebadf;
            else if (!stale) want = make_error_code(Errc::not_registered);
        } else {
            got = outcome(registry.deregister(source));
            what = "deregister closed fd " + std::to_string(fd);
            if (!kPollSelector) want = ebadf;
            else if (!stale) want = make_error_code(Errc::not_registered);
        }
        what += " with poll " + std::to_string(p);
        note(what + " -> " + describe(got));
        const bool libkqueue_delete = test::kDeleteOfBadFdSaysNotRegistered && which == 2 && !got.ok &&
                                      same_error(got.error, make_error_code(Errc::not_registered));
        if (!stale_filters && !libkqueue_delete) expect_result(got, want, what);
        if (!got.ok) return;
        if (which == 1) tables_[p][fd] = Reg{token, Interest::READABLE, false, false, false, false};
        if (which == 2) tables_[p].erase(fd);
    }

    void poll(std::size_t p, std::uint8_t choice) {
        static constexpr std::array<std::size_t, 4> kCapacities{1, 2, kBigPoll, 0};
        const std::size_t capacity = kCapacities[choice % 4];
        const bool negative = (choice >> 2) % 8 == 7;
        Events events = Events::with_capacity(capacity);
        const auto timeout = negative ? std::chrono::nanoseconds(-1) : std::chrono::nanoseconds(0);
        const Outcome got = outcome(polls_[p]->poll(events, timeout));
        std::string what = "poll " + std::to_string(p) + " (capacity " + std::to_string(capacity) +
                           (negative ? ", negative timeout)" : ", zero timeout)");
        if (capacity == 0) {
            note(what + " -> " + describe(got));
            expect_result(got, make_error_code(Errc::zero_capacity_events), what);
            return;
        }
        if (negative) {
            note(what + " -> " + describe(got));
            expect_result(got, make_error_code(Errc::negative_timeout), what);
            return;
        }
        std::string listed;
        for (const Event event : events) {
            listed += " [token " + describe(event.token()) + (event.is_readable() ? " R" : "") +
                      (event.is_writable() ? " W" : "") + (event.is_error() ? " ERR" : "") +
                      (event.is_read_closed() ? " RCLOSED" : "") + (event.is_write_closed() ? " WCLOSED" : "") +
                      (event.is_priority() ? " PRI" : "") + "]";
        }
        note(what + " -> " + describe(got) + ", " + std::to_string(events.size()) + " events" + listed);
        expect_result(got, std::nullopt, what);
        expect(events.size() <= capacity, what + ": more events than the capacity");
        for (const Event event : events) check_event(p, event);
        if (capacity != kBigPoll) return;
        for (const auto& [fd, reg] : tables_[p]) {
            if (!reg.must_report) continue;
            // libkqueue: a kqueue that still holds filters of a closed fd
            // (kFiltersOutliveClose) was seen to miss such a report; a BSD
            // kernel never holds them. Safety checks still apply.
            if (test::kFiltersOutliveClose && !stale_[p].empty()) continue;
            const auto who = owner(fd);
            fail(what + ": no readable event for token " + describe(reg.token) + ", although " +
                 (who ? name(*who) : "fd " + std::to_string(fd)) + " was (re)registered READABLE with " +
                 (who ? std::to_string(unread(*who)) : "?") + " unread bytes and nothing read them since");
        }
    }

    // Why this registration may not have produced this event ("" if it may).
    std::string veto(std::size_t p, int fd, const Reg& reg, const Event& event) {
        const auto who = owner(fd);
        if (!who) return "fd " + std::to_string(fd) + " is closed";
        const std::size_t index = *who;
        const End& e = at(index);
        const End& q = peer_of(index);
        const std::string subject = name(index) + " in poll " + std::to_string(p);
        if (kPollSelector && reg.parked) return subject + " reported HUP/ERR before and was not re-armed";
        if (event.is_readable()) {
            if (!reg.interest.is_readable() && !reg.interest.is_priority())
                return subject + " is readable but registered " + describe(reg.interest);
            if (unread(index) == 0 && !eof_possible(index) && !e.reset)
                return subject + " is readable with no unread data and nothing closed";
            if (kPollSelector && reg.read_disarmed) return subject + " is readable again without being re-armed";
        }
        if (event.is_writable()) {
            if (!reg.interest.is_writable()) return subject + " is writable but registered " + describe(reg.interest);
            // kqueue: the write filter of a read end reports end-of-file
            // (writable, write-closed) once the write end is gone.
            const bool kqueue_eof = METALIO_SELECTOR_KQUEUE && event.is_write_closed() && !q.open;
            if (e.kind == Kind::PipeRead && !kqueue_eof)
                return subject + " is writable but is the read end of a pipe";
            if (kPollSelector && reg.write_disarmed) return subject + " is writable again without being re-armed";
        }
        if (event.is_priority() && !reg.interest.is_priority())
            return subject + " has priority data but registered " + describe(reg.interest);
        if (event.is_error() && q.open && !tcp_reset_possible(index))
            return subject + " reports an error, but its peer is open";
        if (event.is_read_closed() && !eof_possible(index))
            return subject + " reports read-closed, but nothing closed its read side";
        if (event.is_write_closed() && q.open && !eof_possible(index))
            return subject + " reports write-closed, but its peer is open";
        return "";
    }

    void check_event(std::size_t p, const Event& event) {
        std::vector<std::map<int, Reg>::iterator> candidates;
        for (auto it = tables_[p].begin(); it != tables_[p].end(); ++it) {
            if (it->second.token == event.token()) candidates.push_back(it);
        }
        const std::string what = "poll " + std::to_string(p) + " returned an event with token " +
                                 describe(event.token());
        if (candidates.empty()) fail(what + ", but nothing is registered with that token");
        std::string reasons;
        bool allowed = false;
        for (auto it : candidates) {
            const std::string why = veto(p, it->first, it->second, event);
            if (why.empty()) allowed = true;
            else reasons += "\n    " + why;
        }
        if (!allowed) fail(what + " that no registration explains:" + reasons);
        if (event.is_readable()) {
            for (auto it : candidates) it->second.must_report = false;
        }
#if METALIO_SELECTOR_POLL  // the raw record is a poll(2) one only in that build
        if (kPollSelector && candidates.size() == 1) {
            // What fired is disarmed (see sys::poll::Selector::select).
            Reg& reg = candidates.front()->second;
            const auto revents = event.raw().events;
            if (revents & POLLIN) reg.read_disarmed = true;
            if (revents & POLLOUT) reg.write_disarmed = true;
            if (revents & (POLLHUP | POLLERR)) reg.parked = true;
        }
#endif
    }

    void write(std::size_t index, std::uint8_t length_byte) {
        End* e = end_or_null(index);
        if (!e || e->kind == Kind::PipeRead) return;
        const End& q = peer_of(index);
        const std::size_t length = (length_byte & 0x80) ? (length_byte & 0x7f) * 1024u + 1 : length_byte % 64 + 1u;
        for (std::size_t i = 0; i < length; ++i) buffer_[i] = pattern(e->stream, e->tx + i);
        Outcome got;
        const std::uint64_t pending = unread(index ^ 1);  // what the reader has not read yet
        const auto bytes = std::as_bytes(std::span(buffer_.data(), length));
        const std::array<iovec, 2> halves{iovec{buffer_.data(), length / 2},
                                          iovec{buffer_.data() + length / 2, length - length / 2}};
        switch (e->kind) {
            case Kind::PipeWrite:
                if (!e->sender) got = outcome(METALIO_SYSCALL(write, e->fd, buffer_.data(), length));
                else if (length_byte & 1) got = outcome(e->sender->write_vectored(halves));
                else got = outcome(e->sender->write(bytes));
                break;
            case Kind::Unix:
                if (e->ustream && (length_byte & 1)) {
                    got = outcome(e->ustream->write_vectored(halves));
                } else if (e->ustream) {
                    got = outcome(e->ustream->write(bytes));
                } else {
                    got = outcome(e->sock->do_io(
                        [&](int fd) { return sys::portable::send(fd, buffer_.data(), length); }));
                }
                break;
            case Kind::UnixDatagram: got = outcome(e->dgram->send(bytes)); break;
            default:
                if (length_byte & 1) {
                    got = outcome(e->tcp->write_vectored(halves));
                } else {
                    got = outcome(e->tcp->write(bytes));
                }
                break;
        }
        const std::string what = "write " + std::to_string(length) + " bytes to " + name(index);
        note(what + " -> " + describe(got));
        after_io(index, got);
        if (got.ok) expect(got.n >= 1 && got.n <= length, what + ": returned a count outside 1.." + std::to_string(length));
        const bool reset_allowed = e->kind == Kind::Tcp ? tcp_reset_possible(index) : e->reset;
        if (!got.ok && (got.error == std::errc::connection_reset ||
                        (e->kind == Kind::Tcp && reset_allowed && got.error == std::errc::broken_pipe))) {
            expect(reset_allowed, what + ": ECONNRESET, but the peer did not close with unread data");
            e->reset = false;
        } else if (e->kind == Kind::PipeWrite) {
            if (!q.open) {
                expect(is_errc(got, std::errc::broken_pipe), what + ": the read end is closed, expected EPIPE, got " + describe(got));
            } else {
                expect(got.ok || would_block(got), what + ": unexpected " + describe(got));
                if (pending + length <= 4096)
                    expect(got.ok && got.n == length, what + ": a small write to a nearly empty pipe must complete");
            }
        } else if (e->kind == Kind::UnixDatagram) {
            // A datagram is sent whole or not at all. Sending to a closed
            // peer is ECONNREFUSED once (which also drops what that peer had
            // sent us), then ENOTCONN; a shut-down side is EPIPE.
            if (e->shut_wr) {
                expect(is_errc(got, std::errc::broken_pipe), what + ": this end is shut down for writing, expected EPIPE, got " + describe(got));
            } else if (q.open && q.shut_rd) {
                // Room in the send buffer is checked before the peer is.
                expect(is_errc(got, std::errc::broken_pipe) || (would_block(got) && pending > 0),
                       what + ": the peer is shut down for reading, expected EPIPE, got " + describe(got));
            } else if (!q.open) {
                expect(is_errc(got, std::errc::connection_refused) || is_errc(got, std::errc::not_connected),
                       what + ": the peer is closed, expected ECONNREFUSED or ENOTCONN, got " + describe(got));
                if (is_errc(got, std::errc::connection_refused)) {
                    e->rx = q.tx;
                    e->datagrams.clear();
                    clear_obligations(e->fd);
                }
            } else {
                expect((got.ok && got.n == length) || (would_block(got) && pending > 0),
                       what + ": a datagram is sent whole, or WouldBlock while the peer's queue is not empty; got " +
                           describe(got));
            }
        } else if (e->kind == Kind::Unix) {
            if (e->shut_wr || !q.open || q.shut_rd) {
                expect(is_errc(got, std::errc::broken_pipe), what + ": the connection is shut down, expected EPIPE, got " + describe(got));
            } else {
                expect(got.ok || would_block(got), what + ": unexpected " + describe(got));
                if (pending == 0 && length <= 1024)
                    expect(got.ok && got.n == length, what + ": a small write to an empty socket must complete");
            }
        } else {
            if (e->shut_wr) {
                expect(is_errc(got, std::errc::broken_pipe), what + ": this end is shut down for writing, expected EPIPE, got " + describe(got));
            } else {
                expect(got.ok || would_block(got), what + ": unexpected " + describe(got));
            }
        }
        if (got.ok) e->tx += got.n;
        if (got.ok && e->kind == Kind::UnixDatagram) peer_of(index).datagrams.push_back(got.n);
    }

    // mode: 0 read, 1 peek, 2 vectored read. Returns false once nothing more comes.
    bool read(std::size_t index, std::uint8_t length_byte, int mode) {
        End* e = end_or_null(index);
        if (!e || e->kind == Kind::PipeWrite) return false;
        const End& q = peer_of(index);
        const std::size_t length = (length_byte & 0x80) ? 65536 : length_byte % 64 + 1u;
        if (e->kind == Kind::PipeRead && mode == 1) mode = 0;  // pipes cannot peek
        if (e->ustream && mode == 1) mode = 0;                // neither can mio's UnixStream
        if (e->kind == Kind::UnixDatagram && mode == 2) mode = 0;  // nor read vectored from a UnixDatagram
        std::uint8_t* data = buffer_.data();
        const std::array<iovec, 2> parts{iovec{data, length / 2}, iovec{data + length / 2, length - length / 2}};
        Outcome got;
        switch (e->kind) {
            case Kind::PipeRead:
                if (e->receiver) {
                    got = mode == 2 ? outcome(e->receiver->read_vectored(parts))
                                    : outcome(e->receiver->read(std::as_writable_bytes(std::span(data, length))));
                } else {
                    got = mode == 2 ? outcome(METALIO_SYSCALL(readv, e->fd, parts.data(), 2))
                                    : outcome(METALIO_SYSCALL(read, e->fd, data, length));
                }
                break;
            case Kind::UnixDatagram: {
                const auto bytes = std::as_writable_bytes(std::span(data, length));
                got = mode == 1 ? outcome(e->dgram->peek(bytes)) : outcome(e->dgram->recv(bytes));
                break;
            }
            case Kind::Unix:
                if (e->ustream) {
                    got = mode == 2 ? outcome(e->ustream->read_vectored(parts))
                                    : outcome(e->ustream->read(std::as_writable_bytes(std::span(data, length))));
                    break;
                }
                got = outcome(e->sock->do_io([&](int fd) -> io::Result<ssize_t> {
                    if (mode == 2) return METALIO_SYSCALL(readv, fd, parts.data(), 2);
                    return METALIO_SYSCALL(recv, fd, data, length, mode == 1 ? MSG_PEEK : 0);
                }));
                break;
            default: {
                const auto bytes = std::as_writable_bytes(std::span(data, length));
                got = mode == 0   ? outcome(e->tcp->read(bytes))
                      : mode == 1 ? outcome(e->tcp->peek(bytes))
                                  : outcome(e->tcp->read_vectored(parts));
                break;
            }
        }
        const std::uint64_t available = unread(index);
        const std::string what = std::string(mode == 1 ? "peek " : mode == 2 ? "readv " : "read ") +
                                 std::to_string(length) + " bytes from " + name(index) + " (model: " +
                                 std::to_string(available) + " unread)";
        note(what + " -> " + describe(got));
        after_io(index, got, e->kind == Kind::Tcp && mode != 1 ? length : 0);
        if (e->kind == Kind::UnixDatagram) return read_datagram(index, length, mode, got, what);
        if (got.ok && got.n > 0) {
            const std::uint64_t most = std::min<std::uint64_t>(length, available);
            expect(got.n <= most, what + ": more bytes than were written and not yet read");
            if (e->kind == Kind::PipeRead)
                expect(got.n == most, what + ": a pipe read returns everything available up to the length");
            for (std::size_t i = 0; i < got.n; ++i) {
                if (data[i] != pattern(q.stream, e->rx + i))
                    fail(what + ": byte " + std::to_string(e->rx + i) + " of the stream differs from what was written");
            }
            if (mode != 1) {
                e->rx += got.n;
                if (unread(index) == 0) clear_obligations(e->fd);
            }
            return true;
        }
        if (got.ok) {  // end-of-file
            const bool allowed = e->kind == Kind::Tcp ? eof_possible(index) && (available == 0 || e->shut_rd ||
                                                                                 tcp_reset_possible(index))
                                                      : eof_possible(index) && available == 0;
            expect(allowed, what + ": end-of-file, but " +
                                (available ? "data is still unread" : "the peer has not shut down or closed"));
            return false;
        }
        if (got.error == std::errc::connection_reset || (e->kind == Kind::Tcp && got.error == std::errc::broken_pipe)) {
            const bool allowed = e->kind == Kind::Tcp ? tcp_reset_possible(index) : e->reset && available == 0;
            expect(allowed, what + ": ECONNRESET, but the peer did not close with unread data");
            e->reset = false;
            return false;
        }
        expect(would_block(got), what + ": unexpected " + describe(got));
        if (e->kind == Kind::PipeRead)
            expect(available == 0 && q.open, what + ": WouldBlock, but there is data or the write end is closed");
        if (e->kind == Kind::Unix)
            expect(available == 0 && !eof_possible(index) && !e->reset,
                   what + ": WouldBlock, but there is data or the connection is shut down");
        return false;
    }

    // The model of one receive on a datagram socket: exactly the first
    // queued datagram, cut to the buffer, and the whole datagram consumed.
    bool read_datagram(std::size_t index, std::size_t length, int mode, const Outcome& got, const std::string& what) {
        End& e = at(index);
        const End& q = peer_of(index);
        if (!e.datagrams.empty()) {
            const std::uint64_t size = e.datagrams.front();
            expect(got.ok, what + ": a datagram is queued, but the receive said " + describe(got));
            expect(got.n == std::min<std::uint64_t>(size, length),
                   what + ": expected the first queued datagram (" + std::to_string(size) + " bytes) cut to the buffer");
            for (std::size_t i = 0; i < got.n; ++i) {
                if (buffer_[i] != pattern(q.stream, e.rx + i))
                    fail(what + ": byte " + std::to_string(e.rx + i) + " differs from what was sent");
            }
            if (mode != 1) {
                e.rx += size;  // a truncated datagram's tail is gone too
                e.datagrams.pop_front();
                if (e.datagrams.empty()) clear_obligations(e.fd);
            }
            return true;
        }
        // No end-of-file for a datagram socket on Linux, not even after its
        // own shutdown(Read) (poll then says read-closed, but a
        // non-blocking receive still says WouldBlock; only SOCK_SEQPACKET
        // turns that into 0).
        expect(would_block(got), what + ": nothing queued, expected WouldBlock, got " + describe(got));
        return false;
    }

    void drain(std::size_t index) {
        for (int i = 0; i < 64; ++i) {
            if (!read(index, 0x80, 0)) break;
        }
    }

    void shutdown(std::size_t index, int how_code) {
        End* e = end_or_null(index);
        if (!e || e->kind == Kind::PipeRead || e->kind == Kind::PipeWrite) return;
        const End& q = peer_of(index);
        static constexpr std::array<net::Shutdown, 3> kHow{net::Shutdown::Read, net::Shutdown::Write,
                                                          net::Shutdown::Both};
        static constexpr std::array<int, 3> kRawHow{SHUT_RD, SHUT_WR, SHUT_RDWR};
        static constexpr std::array<const char*, 3> kHowName{"Read", "Write", "Both"};
        Outcome got = e->tcp       ? outcome(e->tcp->shutdown(kHow[how_code]))
                      : e->ustream ? outcome(e->ustream->shutdown(kHow[how_code]))
                      : e->dgram   ? outcome(e->dgram->shutdown(kHow[how_code]))
                                   : outcome(METALIO_SYSCALL(shutdown, e->fd, kRawHow[how_code]));
        const std::string what = "shutdown(" + std::string(kHowName[how_code]) + ") " + name(index);
        note(what + " -> " + describe(got));
        if (!got.ok) {
            // A TCP socket that is already fully closed says ENOTCONN.
            const bool closed_state = e->kind == Kind::Tcp && (tcp_reset_possible(index) || (q.shut_wr && e->shut_wr));
            expect(closed_state && got.error == std::errc::not_connected, what + ": unexpected " + describe(got));
        }
        if (how_code != 1) e->shut_rd = true;
        if (how_code != 0) e->shut_wr = true;
    }

    void close_end(std::size_t index) {
        End* e = end_or_null(index);
        if (!e) return;
        End& q = peer_of(index);
        if (e->kind == Kind::Unix && q.open && unread(index) > 0) q.reset = true;
        for (std::size_t p = 0; p < 2; ++p) {
            auto found = tables_[p].find(e->fd);
            if (found == tables_[p].end()) continue;
            // epoll forgets a closed fd; an IoSource deregisters itself from
            // the poll(2) selector it is registered with; a raw fd stays in
            // the poll(2) table under its number.
            if (!kPollSelector || e->assoc == static_cast<int>(p)) tables_[p].erase(found);
            else found->second.must_report = false;
            if (test::kFiltersOutliveClose) stale_[p].insert(e->fd);
        }
        note("close " + name(index));
        e->raw = sys::OwnedFd(-1);
        e->sock.reset();
        e->tcp.reset();
        e->sender.reset();
        e->receiver.reset();
        e->ustream.reset();
        e->dgram.reset();
        e->datagrams.clear();
        e->open = false;
        e->assoc = -1;
        if (closed_.size() < 8) closed_.push_back(e->fd);
        else closed_[e->fd % 8] = e->fd;
    }

    void drop_pair(std::size_t slot) {
        if (!slots_[slot]) return;
        close_end(2 * slot);
        close_end(2 * slot + 1);
        slots_[slot].reset();
    }

    void move_pair(std::size_t from, std::size_t to) {
        if (from == to || !slots_[from] || slots_[to]) return;
        slots_[to].emplace(std::move(*slots_[from]));
        slots_[from].reset();
        note("move slot " + std::to_string(from) + " to slot " + std::to_string(to) + " (ends " +
             std::to_string(2 * from) + "," + std::to_string(2 * from + 1) + " are now " + std::to_string(2 * to) +
             "," + std::to_string(2 * to + 1) + ")");
    }

    Input in_;
    std::array<std::optional<Poll>, 2> polls_;
    std::array<std::map<int, Reg>, 2> tables_;
    // libkqueue only: fd numbers closed while registered, whose filters
    // libkqueue still holds (test::kFiltersOutliveClose; chapter 02). A deregister of
    // such a number may succeed (it deletes them) or say not_registered.
    std::array<std::set<int>, 2> stale_;
    std::array<std::optional<Pair>, kSlots> slots_;
    std::vector<int> closed_;  // recently closed fd numbers, for bad_fd
    std::uint32_t next_stream_ = 1;
    std::string trace_;
    static inline std::array<std::uint8_t, kBufferSize> buffer_{};
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const bool once = [] {
        ::signal(SIGPIPE, SIG_IGN);  // a raw write to a pipe without reader must say EPIPE
        return true;
    }();
    (void)once;
    Harness harness(Input{data, size});
    harness.run();
    return 0;
}
