#!/usr/bin/env python3
"""Writes the hand-made seeds of corpus/ (seed-*): one small program per
operation of harness.cpp, so the replay covers every operation even before
libFuzzer has added anything. Run it from anywhere; it overwrites seed-*.

Encoding (harness.cpp, Harness::step): each operation is one byte (mod 16)
followed by its arguments. Ends are numbered 0..7: slot s holds ends 2s and
2s+1 (pipe: 2s reads, 2s+1 writes; unix/tcp: 2s is the client).
Interest byte b: bits of b % 7 + 1 (1 READABLE, 2 WRITABLE, 4 PRIORITY).
The slot byte of PIPE and UNIX also picks a variant (slot + 4 * variant):
PIPE 0 raw pipe2, 1 posix::pipe(); UNIX 0 raw socketpair, 1
posix::UnixStream::pair(), 2 posix::UnixDatagram::pair().
"""
import pathlib

PIPE, UNIX, TCP, REG, REREG, DEREG, POLL, WRITE, READ, DRAIN, CLOSE, DROP, SHUT, BADFD, MOVE, BIGPOLL = range(16)
R, W, RW, P = 0, 1, 2, 3  # interest bytes
BIG, ONE, TWO, ZERO_CAP, NEGATIVE = 2, 0, 1, 3, 2 | (7 << 2)
POSIX_PIPE, UNIX_STREAM, UNIX_DGRAM = 4, 4, 8  # added to the slot byte

def reg(end, poll, token, interest): return [REG, end, poll, token, interest]
def rereg(end, poll, token, interest): return [REREG, end, poll, token, interest]
def dereg(end, poll): return [DEREG, end, poll]
def poll(p, choice=BIG): return [POLL, p, choice]
def write(end, length): return [WRITE, end, length]
def read(end, length, mode=0): return [READ, end, length, mode]

seeds = {
    "pipe-readable": [PIPE, 0] + reg(0, 0, 1, R) + write(1, 10) + poll(0) + read(0, 5) + read(0, 63) + poll(0),
    "pipe-writable": [PIPE, 0] + reg(1, 0, 2, W) + poll(0) + write(1, 0xff) + write(1, 0xff) + poll(0) + [DRAIN, 0] + poll(0),
    "pipe-close-writer": [PIPE, 1] + reg(2, 1, 3, R) + write(3, 3) + [CLOSE, 3] + poll(1) + [DRAIN, 2] + read(2, 1),
    "pipe-close-reader": [PIPE, 1] + reg(3, 0, 4, RW) + [CLOSE, 2] + poll(0) + write(3, 7),
    "pipe-rereg": [PIPE, 0] + reg(0, 0, 1, R) + write(1, 4) + poll(0) + poll(0) + rereg(0, 0, 5, R) + poll(0) + dereg(0, 0) + poll(0),
    "pipe-two-polls": [PIPE, 0] + reg(0, 0, 1, R) + reg(0, 1, 2, R) + reg(0, 0, 3, R) + write(1, 9) + poll(0) + poll(1),
    "unix-echo": [UNIX, 0] + reg(0, 0, 0, RW) + reg(1, 0, 1, RW) + poll(0) + write(0, 20) + poll(0) + read(1, 63) + write(1, 20) + poll(0) + read(0, 10, 2) + read(0, 63, 1),
    "unix-elsewhere": [UNIX, 0] + reg(0, 0, 1, R) + reg(0, 1, 1, R) + rereg(0, 1, 1, R) + dereg(0, 1) + reg(0, 0, 1, R) + dereg(0, 0) + dereg(0, 0) + rereg(0, 0, 1, R) + reg(0, 1, 1, R),
    "unix-shutdown": [UNIX, 2] + reg(4, 1, 6, RW) + [SHUT, 5, 1] + poll(1) + read(4, 8) + write(5, 3) + [SHUT, 4, 0] + poll(1) + [SHUT, 4, 2] + poll(1),
    "unix-reset": [UNIX, 3] + write(6, 30) + [CLOSE, 7] + reg(6, 0, 7, R) + poll(0) + read(6, 5) + write(6, 5) + read(6, 5),
    "unix-fill": [UNIX, 1] + reg(2, 0, 2, W) + write(2, 0xff) * 6 + poll(0) + [DRAIN, 3] + write(2, 0xff) + poll(0),
    "unix-move": [UNIX, 0] + reg(0, 0, 1, RW) + [MOVE, 0, 3] + poll(0) + write(6, 4) + read(7, 4) + dereg(6, 0) + [DROP, 3] + poll(0),
    "tcp-echo": [TCP, 0] + reg(0, 0, 1, RW) + reg(1, 1, 2, RW) + poll(0) + poll(1) + write(0, 40) + poll(1) + read(1, 63) + write(1, 41) + read(0, 20, 1) + read(0, 63, 2),
    "tcp-shutdown": [TCP, 1] + reg(2, 0, 1, R) + [SHUT, 3, 1] + poll(0) + read(2, 4) + [SHUT, 2, 2] + poll(0) + write(2, 2) + [SHUT, 2, 0],
    "tcp-close": [TCP, 2] + reg(4, 0, 3, RW) + write(5, 12) + [CLOSE, 5] + poll(0) + [DRAIN, 4] + write(4, 6) + read(4, 3) + poll(0),
    "tcp-elsewhere": [TCP, 0] + reg(1, 0, 1, R) + reg(1, 1, 1, R) + reg(1, 0, 1, R) + dereg(1, 1) + dereg(1, 0) + rereg(1, 0, 1, R),
    "bad-fds": [BADFD, 0, 0, 0, BADFD, 1, 1, 0, BADFD, 0, 2, 0] + [PIPE, 0, CLOSE, 0] + [BADFD, 0, 0, 1, BADFD, 0, 1, 1, BADFD, 0, 2, 1],
    "stale-number": [PIPE, 0] + reg(0, 0, 1, R) + [DROP, 0] + [BADFD, 0, 1, 1] + [UNIX, 1] + reg(2, 0, 2, R) + reg(3, 0, 3, R) + write(2, 3) + poll(0) + [BADFD, 0, 2, 1] + poll(0),
    "poll-errors": [PIPE, 0] + reg(0, 0, 1, R) + poll(0, ZERO_CAP) + poll(1, NEGATIVE) + write(1, 2) + poll(0, ONE) + poll(0, TWO),
    "tokens": [PIPE, 0, PIPE, 1] + reg(0, 0, 7, R) + reg(2, 0, 7, RW) + reg(3, 0, 7, W) + write(1, 1) + write(3, 1) + poll(0) + rereg(0, 0, 6, P) + poll(0),
    # Three ready fds, one big poll: all three must come back (the poll(2)
    # selector's scan skips one; see kPollScanSkipsEntries in harness.cpp).
    "poll-scan": [PIPE, 0, PIPE, 1, PIPE, 2] + write(1, 0) + write(3, 0) + write(5, 0) + reg(0, 0, 1, R) + reg(2, 0, 2, R) + reg(4, 0, 3, R) + poll(0),
    "many": [PIPE, 0, UNIX, 1, TCP, 2, PIPE, 3] + reg(0, 0, 0, R) + reg(2, 0, 1, RW) + reg(4, 0, 2, RW) + reg(7, 0, 3, W) + write(1, 5) + write(3, 5) + write(5, 5) + [BIGPOLL, 0, BIGPOLL, 0] + [DROP, 1, DROP, 2] + [BIGPOLL, 0],
    # Stage 08 types.
    "posix-pipe": [PIPE, 0 + POSIX_PIPE] + reg(0, 0, 1, R) + write(1, 10) + poll(0) + read(0, 5) + read(0, 63, 2) + [CLOSE, 1] + poll(0) + [DRAIN, 0],
    "posix-pipe-full": [PIPE, 1 + POSIX_PIPE] + reg(3, 0, 2, W) + write(3, 0xff) * 4 + poll(0) + [DRAIN, 2] + poll(0) + reg(3, 1, 2, W) + [CLOSE, 2] + write(3, 5),
    "unix-stream-pair": [UNIX, 0 + UNIX_STREAM] + reg(0, 0, 0, RW) + reg(1, 0, 1, RW) + write(0, 21) + poll(0) + read(1, 10, 2) + read(1, 63, 1) + [SHUT, 0, 1] + poll(0) + read(1, 63) + write(1, 3) + [CLOSE, 1] + poll(0) + read(0, 3),
    "unix-datagram": [UNIX, 0 + UNIX_DGRAM] + reg(0, 0, 1, RW) + reg(1, 0, 2, RW) + write(0, 10) + write(0, 20) + write(0, 0x85) + poll(0) + read(1, 5) + read(1, 63, 1) + read(1, 63) + read(1, 0x80) + read(1, 3) + poll(0),
    "unix-datagram-close": [UNIX, 1 + UNIX_DGRAM] + write(3, 7) + [CLOSE, 3] + read(2, 63, 1) + write(2, 4) + read(2, 63) + write(2, 4) + [SHUT, 2, 2] + reg(2, 0, 3, RW) + poll(0) + read(2, 5),
    "unix-datagram-shutdown": [UNIX, 2 + UNIX_DGRAM] + [SHUT, 5, 0] + write(4, 3) + [SHUT, 4, 1] + write(4, 1) + reg(5, 1, 4, R) + poll(1) + read(5, 5),
    "unix-datagram-fill": [UNIX, 0 + UNIX_DGRAM] + reg(0, 0, 1, W) + write(0, 0xff) * 4 + poll(0) + [DRAIN, 1] + poll(0) + dereg(0, 0) + reg(0, 1, 1, W),
}

corpus = pathlib.Path(__file__).resolve().parent / "corpus"
corpus.mkdir(exist_ok=True)
for name, program in seeds.items():
    (corpus / f"seed-{name}").write_bytes(bytes(b & 0xff for b in program))
print(f"wrote {len(seeds)} seeds to {corpus}")
