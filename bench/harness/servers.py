"""The servers of the benchmark: how to start each one.

Every server takes PORT and MAX_REQUESTS last on its command line and exits
after answering MAX_REQUESTS (0: never), see bench/servers/hello.h.

Two rows per library: the lean server (READABLE only, TCP_NODELAY, answers
written at once: the least each library needs), and the realistic one
(READABLE | WRITABLE registered once, or the library's own buffered write;
output kept on a partial write; Nagle left on: what chapter 06 teaches).
Realistic rows are `counted_only`: instructions, system calls and
allocations, no clocked figures (CPU time, wrk), to keep make bench short."""
import os
from dataclasses import dataclass


@dataclass
class Server:
    key: str          # short name used in file names
    label: str        # name in the tables
    argv: list        # command line before PORT and MAX_REQUESTS
    baseline: bool = False
    counted_only: bool = False  # no CPU time and no wrk runs


def all_servers(build_epoll, build_poll, mio_binary, tokio_binary):
    """The servers in table order; the first one is the baseline of every ratio.
    A server whose binary was not built is still listed (main.py reports it)."""
    raw = os.path.join(build_epoll, "raw_epoll")
    metalio_epoll = os.path.join(build_epoll, "hello_metalio")
    metalio_poll = os.path.join(build_poll, "hello_metalio")
    servers = [
        Server("raw-short", "raw epoll in C, stopping after a short read", [raw, "short"], baseline=True),
        Server("raw-drain", "raw epoll in C, reading until EAGAIN", [raw, "drain"]),
        Server("metalio-epoll", "metalio, epoll (short-read rule)", [metalio_epoll, "short"]),
        Server("metalio-rt", "metalio runtime, epoll (stage-09 coroutines)",
               [os.path.join(build_epoll, "hello_metalio_rt")]),
        Server("tokio", "tokio, current_thread (Rust, Debian's crate)", [tokio_binary]),
        Server("metalio-epoll-drain", "metalio, epoll (reading until WouldBlock)", [metalio_epoll, "drain"]),
        Server("metalio-poll", "metalio, poll(2) (short-read rule)", [metalio_poll, "short"]),
        Server("metalio-rt-poll", "metalio runtime, poll(2) (stage-09 coroutines)",
               [os.path.join(build_poll, "hello_metalio_rt")]),
        Server("mio", "mio (Rust, Debian's crate)", [mio_binary, "lean"]),
        Server("libuv", "libuv", [os.path.join(build_epoll, "hello_libuv"), "lean"]),
        Server("libevent", "libevent", [os.path.join(build_epoll, "hello_libevent"), "lean"]),
        Server("asio", "Asio", [os.path.join(build_epoll, "hello_asio"), "lean"]),
        # Completion I/O (issue 22): io_uring, on metalio's stage-10 API and
        # in C through liburing. Built only where stage 10 is (Linux, epoll).
        Server("metalio-uring", "metalio, io_uring (stage-10 completion API)",
               [os.path.join(build_epoll, "hello_metalio_uring"), "own"]),
        # The two steps of chapter 10's provided buffers, each measured
        # against the row above: a recv that picks a buffer of a BufferRing,
        # then one multishot recv per connection from the same ring.
        Server("metalio-uring-provided", "metalio, io_uring, provided buffers",
               [os.path.join(build_epoll, "hello_metalio_uring"), "provided"]),
        Server("metalio-uring-multishot", "metalio, io_uring, provided buffers + multishot recv",
               [os.path.join(build_epoll, "hello_metalio_uring"), "multishot"]),
        Server("liburing", "raw io_uring in C (liburing)", [os.path.join(build_epoll, "hello_liburing")]),
        # The stage-09 runtime's server (the same source as metalio-rt) on
        # the ring runtime of stage 10: counted, not clocked.
        Server("metalio-rt-uring", "metalio runtime, io_uring (stage-09 coroutines on the ring)",
               [os.path.join(build_epoll, "hello_metalio_rt_uring")], counted_only=True),
    ]
    realistic = [
        ("raw", "raw epoll in C", raw),
        ("metalio-epoll", "metalio, epoll", metalio_epoll + "_realistic"),
        ("metalio-poll", "metalio, poll(2)", metalio_poll + "_realistic"),
        ("mio", "mio", mio_binary),
        ("libuv", "libuv (uv_write)", os.path.join(build_epoll, "hello_libuv")),
        ("libevent", "libevent (EV_ET read + write event)", os.path.join(build_epoll, "hello_libevent")),
        ("asio", "Asio (async_write)", os.path.join(build_epoll, "hello_asio")),
    ]
    servers += [Server(f"{key}-realistic", f"realistic: {label}", [binary, "realistic"], counted_only=True)
                for key, label, binary in realistic]
    return servers
