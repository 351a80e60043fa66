"""The servers of the benchmark: how to start each one.

Every server takes PORT and MAX_REQUESTS last on its command line and exits
after answering MAX_REQUESTS (0: never), see bench/servers/hello.h.
"""
import os
from dataclasses import dataclass


@dataclass
class Server:
    key: str          # short name used in file names
    label: str        # name in the tables
    argv: list        # command line before PORT and MAX_REQUESTS
    baseline: bool = False


def all_servers(build_epoll, build_poll, mio_binary):
    """The servers in table order; the first one is the baseline of every ratio.
    A server whose binary was not built is still listed (main.py reports it)."""
    servers = [
        Server("raw-short", "raw epoll in C, stopping after a short read",
               [os.path.join(build_epoll, "raw_epoll"), "short"], baseline=True),
        Server("raw-drain", "raw epoll in C, reading until EAGAIN",
               [os.path.join(build_epoll, "raw_epoll"), "drain"]),
        Server("metalio-epoll", "metalio, epoll (short-read rule)",
               [os.path.join(build_epoll, "hello_metalio"), "short"]),
        Server("metalio-rt", "metalio runtime, epoll (stage-09 coroutines)",
               [os.path.join(build_epoll, "hello_metalio_rt")]),
        Server("metalio-epoll-drain", "metalio, epoll (reading until WouldBlock)",
               [os.path.join(build_epoll, "hello_metalio"), "drain"]),
        Server("metalio-poll", "metalio, poll(2) (short-read rule)",
               [os.path.join(build_poll, "hello_metalio"), "short"]),
        Server("metalio-rt-poll", "metalio runtime, poll(2) (stage-09 coroutines)",
               [os.path.join(build_poll, "hello_metalio_rt")]),
        Server("mio", "mio (Rust, Debian's crate)", [mio_binary]),
        Server("libuv", "libuv", [os.path.join(build_epoll, "hello_libuv")]),
        Server("libevent", "libevent", [os.path.join(build_epoll, "hello_libevent")]),
        Server("asio", "Asio", [os.path.join(build_epoll, "hello_asio")]),
    ]
    return servers
