// Fault sweep over the Unix-only sources of stage 08 (the Unix domain
// sockets, pipes): every system call of every operation fails once (see
// sweep.hpp), and the failure must be reported, leak no fd and leave the
// objects usable. UdpSocket, which Windows has too, is swept in
// udp_faults_test.cpp.
#include <fcntl.h>
#include <sys/uio.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "metalio/poll.hpp"
#include "metalio/posix/pipe.hpp"
#include "metalio/posix/unix_datagram.hpp"
#include "metalio/posix/unix_listener.hpp"
#include "metalio/sys/unix/portable/socket.hpp"
#include "metalio_test.hpp"
#include "temp_dir.hpp"
#include "platform.hpp"
#include "sweep.hpp"

using faults::bytes;
using faults::kIoError;
using faults::kNoFds;
using faults::kNoMemory;
using faults::no_fault_points;
using faults::sweep;
using metalio::Interest;
using metalio::Poll;
using metalio::Token;
using metalio::net::Shutdown;
using metalio::posix::Receiver;
using metalio::posix::Sender;
using metalio::posix::UnixDatagram;
using metalio::posix::UnixListener;
using metalio::posix::UnixStream;
using metalio::test::why;
using UnixAddr = metalio::posix::SocketAddr;

namespace {

// ------------------------------------------------------------------ Unix

/// A unique abstract address (no file to clean up).
UnixAddr abstract(std::string_view what) {
    static int counter = 0;
    auto addr = UnixAddr::from_abstract_name("metalio-faults-" + std::to_string(::getpid()) + "-" + std::string(what) +
                                             "-" + std::to_string(++counter));
    REQUIRE(addr.has_value());
    return *addr;
}

struct Streams {
    UnixStream a;
    UnixStream b;
};

Streams make_streams() {
    auto pair = UnixStream::pair();
    REQUIRE_MESSAGE(pair.has_value(), why(pair));
    return Streams{std::move(pair->first), std::move(pair->second)};
}

Streams make_streams_with_data() {
    Streams streams = make_streams();
    REQUIRE(streams.a.write(std::string_view("hello")) == 5u);
    return streams;
}

void stream_data_still_queued(const Streams& streams) {
    std::array<std::byte, 16> buffer{};
    const auto read = streams.b.read(buffer);
    CHECK_MESSAGE((read.has_value() && *read == 5u), "a failed read must not consume data: ", why(read));
}

void stream_still_writes(const Streams& streams) {
    REQUIRE(streams.a.write(std::string_view("after")) == 5u);
    std::array<std::byte, 16> buffer{};
    CHECK_MESSAGE(streams.b.read(buffer) == 5u, "the failed write must send nothing, the next one everything");
}

struct Datagrams {
    UnixDatagram a;
    UnixDatagram b;
};

Datagrams make_datagrams() {
    auto pair = UnixDatagram::pair();
    REQUIRE_MESSAGE(pair.has_value(), why(pair));
    return Datagrams{std::move(pair->first), std::move(pair->second)};
}

Datagrams make_datagrams_with_one() {
    Datagrams d = make_datagrams();
    REQUIRE(d.a.send(bytes("queued")) == 6u);
    return d;
}

void unix_datagram_still_queued(const Datagrams& d) {
    std::array<std::byte, 16> buffer{};
    const auto received = d.b.recv(buffer);
    CHECK_MESSAGE((received.has_value() && *received == 6u), "the datagram must still be queued: ", why(received));
}

/// A bound datagram socket at an abstract address, and an unbound sender.
struct BoundDatagram {
    UnixAddr where;
    UnixDatagram receiver;
    UnixDatagram sender;
};

BoundDatagram make_bound_datagram() {
    const UnixAddr where = abstract("dgram");
    auto receiver = UnixDatagram::bind_addr(where);
    auto sender = UnixDatagram::unbound();
    REQUIRE_MESSAGE(receiver.has_value(), why(receiver));
    REQUIRE(sender.has_value());
    return BoundDatagram{where, std::move(*receiver), std::move(*sender)};
}

struct Listening {
    UnixAddr where;
    UnixListener listener;
    UnixStream waiting;
};

Listening make_listening() {
    const UnixAddr where = abstract("listener");
    auto listener = UnixListener::bind_addr(where);
    REQUIRE_MESSAGE(listener.has_value(), why(listener));
    auto client = UnixStream::connect_addr(where);
    REQUIRE_MESSAGE(client.has_value(), why(client));
    return Listening{where, std::move(*listener), std::move(*client)};
}

using metalio::test::TempDir;

// ------------------------------------------------------------------ pipes

struct Pipe {
    Sender sender;
    Receiver receiver;
};

Pipe make_pipe() {
    auto ends = metalio::posix::pipe();
    REQUIRE_MESSAGE(ends.has_value(), why(ends));
    return Pipe{std::move(ends->first), std::move(ends->second)};
}

Pipe make_pipe_with_data() {
    Pipe pipe = make_pipe();
    REQUIRE(pipe.sender.write(std::string_view("hello")) == 5u);
    return pipe;
}

void pipe_data_still_queued(const Pipe& pipe) {
    std::array<std::byte, 16> buffer{};
    const auto read = pipe.receiver.read(buffer);
    CHECK_MESSAGE((read.has_value() && *read == 5u), "a failed read must not consume data: ", why(read));
}

void pipe_still_writes(const Pipe& pipe) {
    REQUIRE(pipe.sender.write(std::string_view("after")) == 5u);
    std::array<std::byte, 16> buffer{};
    CHECK_MESSAGE(pipe.receiver.read(buffer) == 5u, "the failed write must send nothing, the next one everything");
}

/// A plain blocking pipe, as a process-spawning API hands out: what
/// Sender::from_fd / Receiver::from_fd adopt (a dup of one end each time).
struct RawPipe {
    metalio::sys::OwnedFd read{-1};
    metalio::sys::OwnedFd write{-1};
};

RawPipe make_raw_pipe() {
    int fds[2];
    REQUIRE(metalio::test::pipe(fds, false) == 0);
    return RawPipe{metalio::sys::OwnedFd(fds[0]), metalio::sys::OwnedFd(fds[1])};
}

metalio::sys::OwnedFd dup_of(const metalio::sys::OwnedFd& fd) {
    // F_DUPFD_CLOEXEC: the dup is blocking (the flag lives on the file
    // description, which the original shares, and it is blocking).
    const int copy = ::fcntl(fd.get(), F_DUPFD_CLOEXEC, 0);
    REQUIRE(copy >= 0);
    return metalio::sys::OwnedFd(copy);
}

}  // namespace

TEST_CASE("UnixListener and UnixStream: every failing system call is reported and leaks nothing") {
    const metalio::test::FdLeakCheck no_leak;
    const TempDir dir;

    // socket, bind, listen. A failed listen must also take the socket file
    // away again: the same path must bind afterwards.
    sweep(
        "UnixListener::bind (pathname)", kNoFds,
        [&] {
            static int runs = 0;
            return dir.file("listener-" + std::to_string(++runs) + ".sock");
        },
        [](const std::string& path) { return UnixListener::bind(path); },
        [](const std::string& path) {
            const auto again = UnixListener::bind(path);
            CHECK_MESSAGE(again.has_value(), "after a failed bind the path must be free again: ", why(again));
            ::unlink(path.c_str());
        });
    sweep(
        "UnixListener::bind_addr (abstract)", kNoFds, [] { return abstract("bind"); },
        [](const UnixAddr& where) { return UnixListener::bind_addr(where); },
        [](const UnixAddr& where) { CHECK(UnixListener::bind_addr(where).has_value()); });
    sweep(
        "UnixListener::accept", kNoFds, make_listening, [](Listening& l) { return l.listener.accept(); },
        [](Listening& l) {
            // Without accept4 (macOS; -DMETALIO_PORTABLE_UNIX=ON) a failing
            // fcntl after accept comes when the connection is taken: it is
            // closed (as mio and std do), and the next one must be accepted.
            if (faults::tally().last_failed != metalio::sys::portable::accept_call()) {
                auto next = UnixStream::connect_addr(l.where);
                REQUIRE_MESSAGE(next.has_value(), why(next));
                l.waiting = std::move(*next);
            }
            CHECK_MESSAGE(l.listener.accept().has_value(), "the connection waiting before the failed accept was lost");
        });
    sweep(
        "UnixListener::local_addr", kIoError, make_listening, [](Listening& l) { return l.listener.local_addr(); },
        [](Listening& l) { CHECK(l.listener.local_addr() == l.where); });
    sweep(
        "UnixListener::take_error", kIoError, make_listening, [](Listening& l) { return l.listener.take_error(); },
        [](Listening& l) { CHECK(l.listener.take_error().has_value()); });

    sweep(
        "UnixStream::connect_addr", kNoFds, make_listening,
        [](Listening& l) { return UnixStream::connect_addr(l.where); },
        [](Listening& l) { CHECK(UnixStream::connect_addr(l.where).has_value()); });
    sweep(
        "UnixStream::pair", kNoFds, [] { return 0; }, [](int) { return UnixStream::pair(); },
        [](int) { CHECK(UnixStream::pair().has_value()); });
    sweep(
        "UnixStream::read", kIoError, make_streams_with_data,
        [](Streams& s) {
            std::array<std::byte, 16> buffer{};
            return s.b.read(buffer);
        },
        stream_data_still_queued);
    sweep(
        "UnixStream::read_vectored", kIoError, make_streams_with_data,
        [](Streams& s) {
            std::array<std::byte, 16> buffer{};
            const std::array<iovec, 1> buffers{iovec{buffer.data(), buffer.size()}};
            return s.b.read_vectored(buffers);
        },
        stream_data_still_queued);
    sweep(
        "UnixStream::write", kIoError, make_streams, [](Streams& s) { return s.a.write(bytes("lost!")); },
        stream_still_writes);
    sweep(
        "UnixStream::write_vectored", kIoError, make_streams,
        [](Streams& s) {
            const std::array<iovec, 1> buffers{iovec{const_cast<char*>("lost!"), 5}};
            return s.a.write_vectored(buffers);
        },
        stream_still_writes);
    sweep(
        "UnixStream::shutdown", kIoError, make_streams, [](Streams& s) { return s.a.shutdown(Shutdown::Write); },
        [](Streams& s) {
            stream_still_writes(s);
            CHECK(s.a.shutdown(Shutdown::Write).has_value());
        });
    sweep(
        "UnixStream::local_addr", kIoError, make_streams, [](Streams& s) { return s.a.local_addr(); },
        [](Streams& s) { CHECK(s.a.local_addr().has_value()); });
    sweep(
        "UnixStream::peer_addr", kIoError, make_streams, [](Streams& s) { return s.a.peer_addr(); },
        [](Streams& s) { CHECK(s.a.peer_addr().has_value()); });
    sweep(
        "UnixStream::peer_cred", kIoError, make_streams, [](Streams& s) { return s.a.peer_cred(); },
        [](Streams& s) { CHECK(s.a.peer_cred().has_value()); });
    sweep(
        "UnixStream::take_error", kIoError, make_streams, [](Streams& s) { return s.a.take_error(); },
        [](Streams& s) { CHECK(s.a.take_error().has_value()); });

    no_fault_points(
        "posix::SocketAddr::from_pathname", [] { return 0; },
        [](int) { return UnixAddr::from_pathname("/tmp/x.sock"); });
    // A path too long for sun_path is refused before any system call is made.
    no_fault_points(
        "UnixStream::connect (path too long, refused early)", [] { return 0; },
        [](int) -> metalio::io::Result<void> {
            const auto client = UnixStream::connect(std::string(200, 'x'));
            if (!client && client.error() == std::errc::filename_too_long) return {};
            return std::unexpected(std::make_error_code(std::errc::invalid_argument));
        });
}

TEST_CASE("UnixDatagram: every failing system call is reported and leaks nothing") {
    const metalio::test::FdLeakCheck no_leak;
    const TempDir dir;

    sweep(
        "UnixDatagram::bind (pathname)", kNoFds, [&] { return dir.file("dgram.sock"); },
        [](const std::string& path) {
            auto socket = UnixDatagram::bind(path);
            if (socket) ::unlink(path.c_str());  // the next run binds the same path
            return socket;
        },
        [](const std::string& path) {
            CHECK(UnixDatagram::bind(path).has_value());
            ::unlink(path.c_str());
        });
    sweep(
        "UnixDatagram::unbound", kNoFds, [] { return 0; }, [](int) { return UnixDatagram::unbound(); },
        [](int) { CHECK(UnixDatagram::unbound().has_value()); });
    sweep(
        "UnixDatagram::pair", kNoFds, [] { return 0; }, [](int) { return UnixDatagram::pair(); },
        [](int) { CHECK(UnixDatagram::pair().has_value()); });
    sweep(
        "UnixDatagram::connect_addr", kIoError, make_bound_datagram,
        [](BoundDatagram& d) { return d.sender.connect_addr(d.where); },
        [](BoundDatagram& d) {
            CHECK(d.sender.connect_addr(d.where).has_value());
            CHECK(d.sender.send(bytes("x")) == 1u);
        });
    sweep(
        "UnixDatagram::send_to_addr", kIoError, make_bound_datagram,
        [](BoundDatagram& d) { return d.sender.send_to_addr(bytes("lost"), d.where); },
        [](BoundDatagram& d) {
            CHECK(d.sender.send_to_addr(bytes("kept"), d.where) == 4u);
            std::array<std::byte, 16> buffer{};
            CHECK_MESSAGE(d.receiver.recv(buffer) == 4u, "the failed send must not have queued a datagram");
        });
    sweep(
        "UnixDatagram::recv_from", kIoError, make_datagrams_with_one,
        [](Datagrams& d) {
            std::array<std::byte, 16> buffer{};
            return d.b.recv_from(buffer);
        },
        unix_datagram_still_queued);
    sweep(
        "UnixDatagram::recv", kIoError, make_datagrams_with_one,
        [](Datagrams& d) {
            std::array<std::byte, 16> buffer{};
            return d.b.recv(buffer);
        },
        unix_datagram_still_queued);
    sweep(
        "UnixDatagram::peek", kIoError, make_datagrams_with_one,
        [](Datagrams& d) {
            std::array<std::byte, 16> buffer{};
            return d.b.peek(buffer);
        },
        unix_datagram_still_queued);
    sweep(
        "UnixDatagram::send", kIoError, make_datagrams, [](Datagrams& d) { return d.a.send(bytes("lost")); },
        [](Datagrams& d) {
            REQUIRE(d.a.send(bytes("queued")) == 6u);
            unix_datagram_still_queued(d);
        });
    sweep(
        "UnixDatagram::shutdown", kIoError, make_datagrams, [](Datagrams& d) { return d.a.shutdown(Shutdown::Both); },
        [](Datagrams& d) { CHECK(d.a.shutdown(Shutdown::Both).has_value()); });
    sweep(
        "UnixDatagram::local_addr", kIoError, make_bound_datagram, [](BoundDatagram& d) { return d.receiver.local_addr(); },
        [](BoundDatagram& d) { CHECK(d.receiver.local_addr() == d.where); });
    sweep(
        "UnixDatagram::peer_addr", kIoError, make_datagrams, [](Datagrams& d) { return d.a.peer_addr(); },
        [](Datagrams& d) { CHECK(d.a.peer_addr().has_value()); });
    sweep(
        "UnixDatagram::take_error", kIoError, make_datagrams, [](Datagrams& d) { return d.a.take_error(); },
        [](Datagrams& d) { CHECK(d.a.take_error().has_value()); });
}

TEST_CASE("pipe, Sender and Receiver: every failing system call is reported and leaks nothing") {
    const metalio::test::FdLeakCheck no_leak;

    sweep(
        "posix::pipe", kNoFds, [] { return 0; }, [](int) { return metalio::posix::pipe(); },
        [](int) { CHECK(metalio::posix::pipe().has_value()); });
    // fcntl F_GETFL, F_SETFL, F_SETFD: the adopted fd is closed on failure.
    sweep(
        "Sender::from_fd", kIoError, make_raw_pipe,
        [](RawPipe& raw) { return Sender::from_fd(dup_of(raw.write)); },
        [](RawPipe& raw) { CHECK(Sender::from_fd(dup_of(raw.write)).has_value()); });
    sweep(
        "Receiver::from_fd", kIoError, make_raw_pipe,
        [](RawPipe& raw) { return Receiver::from_fd(dup_of(raw.read)); },
        [](RawPipe& raw) { CHECK(Receiver::from_fd(dup_of(raw.read)).has_value()); });
    sweep(
        "Sender::write", kIoError, make_pipe, [](Pipe& p) { return p.sender.write(bytes("lost!")); },
        pipe_still_writes);
    sweep(
        "Sender::write_vectored", kIoError, make_pipe,
        [](Pipe& p) {
            const std::array<iovec, 1> buffers{iovec{const_cast<char*>("lost!"), 5}};
            return p.sender.write_vectored(buffers);
        },
        pipe_still_writes);
    sweep(
        "Receiver::read", kIoError, make_pipe_with_data,
        [](Pipe& p) {
            std::array<std::byte, 16> buffer{};
            return p.receiver.read(buffer);
        },
        pipe_data_still_queued);
    sweep(
        "Receiver::read_vectored", kIoError, make_pipe_with_data,
        [](Pipe& p) {
            std::array<std::byte, 16> buffer{};
            const std::array<iovec, 1> buffers{iovec{buffer.data(), buffer.size()}};
            return p.receiver.read_vectored(buffers);
        },
        pipe_data_still_queued);
    sweep(
        "Receiver::set_nonblocking(false)", kIoError, make_pipe,
        [](Pipe& p) { return p.receiver.set_nonblocking(false); },
        [](Pipe& p) {
            CHECK_MESSAGE((::fcntl(p.receiver.as_raw_fd(), F_GETFL) & O_NONBLOCK) != 0,
                          "a failed set_nonblocking(false) must leave the fd non-blocking");
        });
    sweep(
        "Registry::register_(Receiver)", kNoMemory,
        [] {
            auto poll = Poll::create();
            REQUIRE(poll.has_value());
            return std::make_pair(std::move(*poll), make_pipe_with_data());
        },
        [](std::pair<Poll, Pipe>& f) { return f.first.registry().register_(f.second.receiver, Token{1}, Interest::READABLE); },
        [](std::pair<Poll, Pipe>& f) {
            CHECK(f.first.registry().register_(f.second.receiver, Token{1}, Interest::READABLE).has_value());
        });
}
