#!/usr/bin/env python3
"""What the kernel sees: each chapter's example under strace, checked.

    transcripts.py BUILD_DIR [NN ...]            run, normalize, check
    transcripts.py BUILD_DIR --update NN [...]   rewrite docs/transcripts/NN.txt
                                                 from the real trace
    transcripts.py --listed [NN ...]             nothing is run: the pages show
                                                 the calls the files list

For every docs/transcripts/NN.txt (or the chapters named), the example it
names runs under `strace -ff -e trace=<its calls>`, driven the way its
header says (a TCP or UDP client where the example is a server). The trace
is normalized (the dynamic loader's calls, anonymous memory maps, the
program's own stdout and stderr, addresses, ports and thread ids are taken
out or made stable) and compared with the calls the file lists, thread by
thread. An example that ends early and prints, on stderr, a line matching
its header's `unavailable:` pattern (chapter 10's io_uring, refused on
this machine) is not checked: its page shows the calls the file lists and
that reason. A difference
fails with the first call that differs; build/transcripts/NN.trace keeps
the real trace. When it matches, build/transcripts/NN.json holds what the
chapter page shows (the `syscall-transcript` directive, docs/_ext).
With --listed (a site rendered before anything is compiled), the JSON is
made from the files alone and the page says that this build did not run
the examples.

The format of docs/transcripts/NN.txt: `key: value` header lines, then one
entry per call: the normalized call at the start of a line, followed by
indented lines: `code: <file> [<marker>] | <fragment>` names the line of
code that made the call (the fragment must occur in that file, inside the
literalinclude marker when one is given), and the other indented lines
are the sentence shown with it. Lines starting with `#` are comments.
"""
from __future__ import annotations

import json
import os
import re
import select
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SPEC_DIR = ROOT / "docs" / "transcripts"
OUT_DIR = ROOT / "build" / "transcripts"
# No step of a scenario may take longer; a hung example fails the build.
STEP_SECONDS = 20.0
HEADER_KEYS = {"example", "args", "trace", "run", "stdin", "send", "collapse", "unavailable"}


class TranscriptError(Exception):
    pass


class Unavailable(TranscriptError):
    """The example could not run on this machine for a reason its header
    names (`unavailable:`), such as io_uring refused: not a failure."""


@dataclass
class Call:
    line: str                 # the normalized call, "[thread 2] " first when not the main thread
    code_file: str = ""
    code_marker: str = ""
    code_fragment: str = ""
    sentence: str = ""


@dataclass
class Spec:
    chapter: str
    path: Path
    header: dict = field(default_factory=dict)
    calls: list = field(default_factory=list)
    comments: list = field(default_factory=list)


def parse_spec(path: Path) -> Spec:
    spec = Spec(chapter=path.stem, path=path)
    current = None
    for number, raw in enumerate(path.read_text().splitlines(), 1):
        if not raw.strip():
            continue
        if raw.startswith("#"):
            if not spec.calls:
                spec.comments.append(raw)
            continue
        if raw[0] in " \t":
            if current is None:
                raise TranscriptError(f"{path}:{number}: an indented line before the first call")
            text = raw.strip()
            if text == "code: TODO":
                continue
            if text.startswith("code:"):
                m = re.fullmatch(r"code:\s*(\S+)\s*(?:\[([\w-]+)\])?\s*\|\s*(.+)", text)
                if not m:
                    raise TranscriptError(f"{path}:{number}: write `code: <file> [<marker>] | <fragment>`")
                current.code_file, current.code_marker, current.code_fragment = m.group(1), m.group(2) or "", m.group(3)
            else:
                current.sentence = (current.sentence + " " + text).strip()
            continue
        m = re.fullmatch(r"([a-z]+):\s*(.*)", raw)
        if m and m.group(1) in HEADER_KEYS and not spec.calls:
            spec.header[m.group(1)] = m.group(2).strip()
            continue
        current = Call(line=raw.rstrip())
        spec.calls.append(current)
    for key in ("example", "trace", "run"):
        if key not in spec.header:
            raise TranscriptError(f"{path}: the header has no `{key}:` line")
    return spec


# ---------------------------------------------------------------- running

def program_path(build: Path, name: str) -> Path:
    for line in (build / "examples").glob("*.txt"):
        for candidate in line.read_text().split():
            if Path(candidate).name == name:
                return Path(candidate)
    raise TranscriptError(f"{build} has no example program {name}: build it first "
                          f"(BUILD_TARGETS={name} tests/tools/build.sh {build.name})")


def _traced_pid(strace: subprocess.Popen, program: Path) -> int:
    """The pid of the program strace started: the child of strace that runs
    it (strace also forks short-lived children of its own to probe ptrace)."""
    deadline = time.monotonic() + STEP_SECONDS
    while time.monotonic() < deadline:
        try:
            children = Path(f"/proc/{strace.pid}/task/{strace.pid}/children").read_text().split()
        except OSError:
            children = []
        for child in children:
            try:
                if Path(f"/proc/{child}/exe").resolve() == program.resolve():
                    return int(child)
            except OSError:
                pass
        if strace.poll() is not None:
            raise TranscriptError("strace ended before the program started; is ptrace allowed here?")
        time.sleep(0.002)
    raise TranscriptError("the program did not start under strace")


# x86-64 and arm64 numbers of the calls an event loop sleeps in:
# epoll_wait, epoll_pwait, epoll_pwait2, io_uring_enter.
_WAIT_SYSCALLS = {"x86_64": {232, 281, 441, 426}, "aarch64": {22, 441, 426}}


def _blocked_in_wait(pid: int) -> bool:
    """True when the program's main thread sleeps in epoll_wait/epoll_pwait
    or, waiting for completions, in io_uring_enter."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        call = Path(f"/proc/{pid}/syscall").read_text().split()
    except OSError:
        return False
    if state != "S" or not call or not call[0].isdigit():
        return False
    return int(call[0]) in _WAIT_SYSCALLS.get(os.uname().machine, set())


class Run:
    """One example under strace, with its stdout read line by line."""

    def __init__(self, spec: Spec, program: Path, workdir: Path):
        calls = spec.header["trace"].replace(" ", "")
        self.prefix = workdir / "trace"
        stdin = subprocess.DEVNULL
        if "stdin" in spec.header:
            # A pipe that already holds the text and its end: stdin can be
            # polled (a regular file cannot) and the run never waits on it.
            stdin, writer = os.pipe()
            os.write(writer, spec.header["stdin"].encode().decode("unicode_escape").encode())
            os.close(writer)
        # openat and close are traced too, to recognize the loader's files
        # (normalize_thread drops them again unless the chapter asked).
        # --seccomp-bpf stops the program only at the calls traced.
        command = ["strace", "-ff", "-qq", "--seccomp-bpf", "-s", "64", "-o", str(self.prefix),
                   "-e", f"trace=execve,openat,close,{calls}", "-e", "signal=none",
                   str(program), *spec.header.get("args", "").split()]
        # close_fds (the default): the program starts with fds 0, 1, 2 only,
        # so its descriptors are numbered the same in every build.
        # stderr is kept: an example that cannot run here says why there.
        self.stderr = workdir / "stderr"
        with self.stderr.open("wb") as errors:
            self.process = subprocess.Popen(command, stdin=stdin, stdout=subprocess.PIPE,
                                            stderr=errors, cwd=workdir)
        if stdin != subprocess.DEVNULL:
            os.close(stdin)
        self.program = program
        self._pid = 0
        self.output = ""
        self.killed = False

    @property
    def pid(self) -> int:
        if not self._pid:
            self._pid = _traced_pid(self.process, self.program)
        return self._pid

    def line_matching(self, pattern: str) -> re.Match:
        """Waits for a line of the program's stdout that matches."""
        deadline = time.monotonic() + STEP_SECONDS
        regex = re.compile(pattern)
        while True:
            for line in self.output.splitlines():
                m = regex.search(line)
                if m:
                    return m
            left = deadline - time.monotonic()
            if left <= 0:
                raise TranscriptError(f"the example never printed a line matching {pattern!r}; "
                                      f"it printed: {self.output!r}")
            ready, _, _ = select.select([self.process.stdout], [], [], left)
            if ready:
                data = os.read(self.process.stdout.fileno(), 4096)
                if not data:
                    raise TranscriptError(f"the example ended before printing {pattern!r}; "
                                          f"it printed: {self.output!r}")
                self.output += data.decode(errors="replace")

    def until_blocked(self):
        """Waits until the program sleeps in its event loop's wait again."""
        deadline = time.monotonic() + STEP_SECONDS
        while not _blocked_in_wait(self.pid):
            if time.monotonic() > deadline:
                raise TranscriptError("the example did not go back to waiting for events")
            if self.process.poll() is not None:
                raise TranscriptError("the example ended while it was expected to wait")
            time.sleep(0.005)

    def finish(self, kill: bool = False) -> None:
        if kill:
            os.kill(self.pid, signal.SIGTERM)
        self.killed = kill
        try:
            self.process.wait(timeout=STEP_SECONDS)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise TranscriptError("the example did not end")
        self.process.stdout.close()


def _connect(address: re.Match) -> socket.socket:
    return socket.create_connection((address.group(1), int(address.group(2))), timeout=STEP_SECONDS)


def _receive(client: socket.socket) -> bytes:
    data = client.recv(4096)
    if not data:
        raise TranscriptError("the server closed the connection instead of answering")
    return data


# "127.0.0.1:40000" or "nc -N 127.0.0.1 40000"
ADDRESS = r"(\d+\.\d+\.\d+\.\d+)[: ](\d+)"


def scenario(spec: Spec, run: Run) -> None:
    """Drives the example; every step waits until the example has done its part."""
    kind = spec.header["run"]
    message = spec.header.get("send", "hello\n").encode().decode("unicode_escape").encode()
    if kind == "exit":
        run.finish()
    elif kind in ("tcp-once", "tcp-serve"):
        # Connect only once the server sleeps in its wait, read the greeting,
        # send one line, then end the connection (the server sees EOF).
        address = run.line_matching(ADDRESS)
        run.until_blocked()
        with _connect(address) as client:
            _receive(client)
            run.until_blocked()
            client.sendall(message)
            run.line_matching(r"[Rr]eceived")
            run.until_blocked()
            client.shutdown(socket.SHUT_WR)
            if kind == "tcp-once":
                run.finish()
                return
            run.line_matching(r"[Cc]losed")
            run.until_blocked()
            run.finish(kill=True)
    elif kind == "tcp-echo":
        # A server that answers with what it received (no greeting): send
        # one line and read it back, then shut the sending side down and
        # read the end of file the server's close makes.
        address = run.line_matching(ADDRESS)
        run.until_blocked()
        with _connect(address) as client:
            run.until_blocked()
            client.sendall(message)
            echoed = b""
            while len(echoed) < len(message):
                echoed += _receive(client)
            if echoed != message:
                raise TranscriptError(f"the server echoed {echoed!r}, not {message!r}")
            run.until_blocked()
            client.shutdown(socket.SHUT_WR)
            if client.recv(4096):
                raise TranscriptError("the server sent more than the echo")
            run.until_blocked()
            run.finish(kill=True)
    elif kind == "udp-once":
        address = run.line_matching(ADDRESS)
        run.until_blocked()
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as client:
            client.settimeout(STEP_SECONDS)
            client.sendto(message, (address.group(1), int(address.group(2))))
            client.recvfrom(65536)
            run.finish()
    else:
        raise TranscriptError(f"{spec.path}: unknown `run: {kind}` (exit, tcp-once, tcp-serve, tcp-echo, udp-once)")


# ---------------------------------------------------------- normalizing

# Files the dynamic loader and libc open before main (and the calls on the
# descriptors they return) are not the example's.
_NOISE_PATH = re.compile(r'^openat\(AT_FDCWD, "/(etc|lib|lib64|usr|proc|sys)/')
_FD_CALL = re.compile(r"^(\w+)\((\d+)[,)]")
_RESULT_FD = re.compile(r"\) = (\d+)")
# mmap(addr, length, prot, flags, fd, offset): the descriptor is the fifth
# argument, and the offset (IORING_OFF_SQES is 0x10000000) is no address.
_MMAP = re.compile(r"^(mmap\((?:[^,]*, ){4})(-?\d+)(, )(\w+)(\).*)$")


def normalize_thread(lines: list[str], ports: dict, wanted: set, collapse: bool, tokens: dict) -> list[str]:
    out = []
    noise = set()
    for line in lines:
        line = line.rstrip("\n")
        if not line or line.startswith("execve("):
            continue
        if _NOISE_PATH.match(line):
            m = _RESULT_FD.search(line)
            if m:
                noise.add(m.group(1))
            continue
        mapping = _MMAP.match(line)
        if mapping and (mapping.group(2) == "-1" or mapping.group(2) in noise):
            continue  # the loader's and the allocator's memory, not a descriptor's
        m = _FD_CALL.match(line)
        if m:
            fd = m.group(2)
            if fd in noise:
                if m.group(1) == "close":
                    noise.discard(fd)
                continue
            if fd in ("1", "2"):  # what the example prints, not what it is about
                continue
        name = re.match(r"\w+", line)
        if name and name.group(0) not in wanted:
            continue
        # strace pads the result to a column; addresses and ports change.
        line = re.sub(r"\)\s+= ", ") = ", line)
        line = re.sub(r"\s+<unfinished \.\.\.>", " <unfinished ...>", line)
        offset = ""
        mapping = _MMAP.match(line)
        if mapping:
            offset = mapping.group(4)
            line = mapping.expand(r"\1\2\3OFFSET\5")
        # After a `|` a number is the bits of a flag set strace has no names
        # for (io_uring_setup's newer features), not an address.
        line = re.sub(r"(?<!\|)0x[0-9a-f]{5,}", "0xADDR", line)
        if offset:
            line = line.replace(", OFFSET)", f", {offset})", 1)

        def port(m: re.Match) -> str:
            number = m.group(1)
            if number == "0":
                return m.group(0)
            ports.setdefault(number, f"PORT{len(ports) + 1}")
            return f"htons({ports[number]})"

        line = re.sub(r"htons\((\d+)\)", port, line)

        def token(m: re.Match) -> str:
            # A token that is an address (the runtime's tasks) changes every run.
            value = int(m.group(1))
            if value < 1 << 32 or value == (1 << 64) - 1:
                return m.group(0)
            tokens.setdefault(value, f"ADDR{len(tokens) + 1}")
            return f"data={{u32=..., u64={tokens[value]}}}"

        line = re.sub(r"data=\{u32=\d+, u64=(\d+)\}", token, line)
        # Where the number of repeats depends on timing (two wakes that
        # come close together are one event), one line stands for them all
        # (unmarked: a mark would say whether this run repeated it).
        if collapse and out and out[-1] == line:
            continue
        out.append(line)
    return out


def read_trace(prefix: Path, wanted: set, collapse: bool, killed: bool) -> list[str]:
    """All threads' normalized calls, the main thread's first (the one that
    called execve), then the others in the order they were created, each
    prefixed with its label."""
    files = sorted(prefix.parent.glob(prefix.name + ".*"), key=lambda p: int(p.suffix[1:]))
    pids = [int(p.suffix[1:]) for p in files]
    main = [pid for pid, path in zip(pids, files) if path.read_text().startswith("execve(")]
    if not main:
        raise TranscriptError("strace wrote no trace of the example")
    ordered = main[:1] + [pid for pid in pids if pid != main[0]]
    ports: dict = {}
    tokens: dict = {}
    result = []
    for number, pid in enumerate(ordered, 1):
        label = "" if number == 1 else f"[thread {number}] "
        lines = (prefix.parent / f"{prefix.name}.{pid}").read_text().splitlines()
        calls = normalize_thread(lines, ports, wanted, collapse, tokens)
        # A server the run ended with SIGTERM was waiting: that last wait
        # never returned, and how strace reports it varies.
        if killed and number == 1 and calls and re.search(r"= (\?|-1 E\w+ \(Interrupted)", calls[-1]):
            calls.pop()
        result += [label + line for line in calls]
    return result


def thread_of(line: str) -> str:
    m = re.match(r"\[thread \d+\] ", line)
    return m.group(0) if m else ""


def unavailable(spec: Spec, run: Run) -> str:
    """The line the example printed on stderr that says it cannot run on
    this machine (the header's `unavailable:` pattern), or ""."""
    pattern = spec.header.get("unavailable")
    if not pattern or not run.stderr.exists():
        return ""
    for line in run.stderr.read_text(errors="replace").splitlines():
        if re.search(pattern, line):
            return line.strip()
    return ""


def record(spec: Spec, build: Path) -> list[str]:
    program = program_path(build, spec.header["example"])
    with tempfile.TemporaryDirectory(prefix="metalio-strace-") as workdir:
        run = Run(spec, program, Path(workdir))
        try:
            scenario(spec, run)
        except BaseException as error:
            if run.process.poll() is None:
                run.process.kill()  # strace; it kills the program it started
            run.process.wait()
            # An example that ended early because this machine refuses what
            # it needs (io_uring switched off) is not a changed transcript.
            reason = unavailable(spec, run) if isinstance(error, TranscriptError) else ""
            if reason:
                raise Unavailable(reason) from error
            raise
        wanted = set(spec.header["trace"].replace(" ", "").split(","))
        return read_trace(run.prefix, wanted, spec.header.get("collapse") == "yes", run.killed)


# ------------------------------------------------------------ checking

def source_line(call: Call, spec: Spec) -> tuple[int, str]:
    """The line of code a call names; fails when it is no longer there."""
    path = ROOT / call.code_file
    where = f"{spec.path.relative_to(ROOT)}, call `{call.line}`"
    if not call.code_file:
        raise TranscriptError(f"{where}: no `code:` line names the code that made it")
    if not path.is_file():
        raise TranscriptError(f"{where}: {call.code_file} does not exist")
    lines = path.read_text().splitlines()
    first, last = 0, len(lines)
    if call.code_marker:
        marks = [i for i, text in enumerate(lines) if text.strip() == f"// [{call.code_marker}]"]
        if len(marks) != 2:
            raise TranscriptError(f"{where}: {call.code_file} has no marker pair // [{call.code_marker}]")
        first, last = marks
    # A line that is exactly the fragment wins over one that only contains it.
    for i in range(first, last):
        if lines[i].strip() == call.code_fragment:
            return i + 1, lines[i].strip()
    for i in range(first, last):
        if call.code_fragment in lines[i]:
            return i + 1, lines[i].strip()
    inside = f" between its [{call.code_marker}] markers" if call.code_marker else ""
    raise TranscriptError(f"{where}: `{call.code_fragment}` is no longer in {call.code_file}{inside}")


def compare(spec: Spec, actual: list[str]) -> None:
    """Fails with the first call that differs, thread by thread."""
    rel = spec.path.relative_to(ROOT)
    threads = sorted({thread_of(line) for line in actual} | {thread_of(c.line) for c in spec.calls})
    for thread in threads:
        want = [c.line for c in spec.calls if thread_of(c.line) == thread]
        got = [line for line in actual if thread_of(line) == thread]
        for index in range(max(len(want), len(got))):
            w = want[index] if index < len(want) else "(nothing more)"
            g = got[index] if index < len(got) else "(nothing more)"
            if w != g:
                name = thread.strip() or "the main thread"
                raise TranscriptError(
                    f"{rel}: what the kernel sees changed: call {index + 1} of {name} differs\n"
                    f"  expected: {w}\n"
                    f"  got:      {g}\n"
                    f"The whole trace: build/transcripts/{spec.chapter}.trace. If the change is meant, run\n"
                    f"  tests/tools/transcripts.py build/epoll --update {spec.chapter}\n"
                    f"and write the sentence (and `code:` line) of each call marked TODO in {rel}.")
    for call in spec.calls:
        if not call.sentence or "TODO" in call.sentence:
            raise TranscriptError(f"{rel}: call `{call.line}` has no sentence yet (TODO)")


def page_data(spec: Spec, checked: bool, refused: str = "") -> dict:
    calls = []
    for call in spec.calls:
        number, code = source_line(call, spec)
        thread = thread_of(call.line)
        calls.append({"call": call.line[len(thread):], "thread": thread.strip("[] "),
                      "file": call.code_file, "line": number, "code": code, "sentence": call.sentence})
    args = spec.header.get("args", "")
    return {"example": spec.header["example"], "trace": spec.header["trace"].replace(" ", ""),
            "args": args, "checked": checked, "refused": refused, "calls": calls}


def write_if_changed(path: Path, text: str) -> None:
    """Unchanged files keep their time, so Sphinx does not re-read the page."""
    if path.exists() and path.read_text() == text:
        return
    path.write_text(text)


def update(spec: Spec, actual: list[str]) -> None:
    """Rewrites the file with the real calls, keeping what was written for
    each call that is still there (matched in order)."""
    import difflib

    old = spec.calls
    matcher = difflib.SequenceMatcher(a=[c.line for c in old], b=actual, autojunk=False)
    kept = {}
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        for k in range(b2 - b1):
            if tag == "equal":
                kept[b1 + k] = old[a1 + k]
            elif tag == "replace" and a2 - a1 == b2 - b1:
                # The same call with other arguments: the old note is a
                # draft, marked TODO until someone has read it again.
                was = old[a1 + k]
                kept[b1 + k] = Call(line=actual[b1 + k], code_file=was.code_file, code_marker=was.code_marker,
                                    code_fragment=was.code_fragment,
                                    sentence=f"TODO (the call changed; check): {was.sentence}")
    text = spec.comments + [f"{key}: {spec.header[key]}" for key in spec.header if key in HEADER_KEYS] + [""]
    for index, line in enumerate(actual):
        call = kept.get(index, Call(line=line))
        text.append(line)
        if call.code_file:
            marker = f" [{call.code_marker}]" if call.code_marker else ""
            text.append(f"    code: {call.code_file}{marker} | {call.code_fragment}")
        else:
            text.append("    code: TODO")
        text.append(f"    {call.sentence or 'TODO: one sentence on what this call does here.'}")
    spec.path.write_text("\n".join(text) + "\n")


def main(argv: list[str]) -> int:
    listed = "--listed" in argv[1:]
    if len(argv) < 2 or (argv[1].startswith("-") and not listed):
        print(__doc__.strip().split("\n\n")[1], file=sys.stderr)
        return 2
    build = Path(argv[1])
    rest = argv[2:] if not listed else argv[1:]
    updating = "--update" in rest
    chapters = [a for a in rest if not a.startswith("--")]
    paths = sorted(SPEC_DIR.glob("[0-9][0-9].txt"))
    if chapters:
        paths = [SPEC_DIR / f"{c}.txt" for c in chapters]
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    failed = 0
    for path in paths:
        started = time.monotonic()
        try:
            spec = parse_spec(path)
            if listed:
                # Not run: the page shows the calls the file lists (each
                # line of code it names is still checked).
                compare(spec, [call.line for call in spec.calls])
                data = page_data(spec, checked=False)
                write_if_changed(OUT_DIR / f"{spec.chapter}.json", json.dumps(data, indent=1) + "\n")
                continue
            try:
                actual = record(spec, build)
            except Unavailable as reason:
                if updating:
                    raise TranscriptError(f"chapter {spec.chapter}'s example cannot run here, nothing to "
                                          f"update from: {reason}") from None
                # As with --listed: the page shows the calls the file lists
                # and says why this build did not record them.
                compare(spec, [call.line for call in spec.calls])
                data = page_data(spec, checked=False, refused=str(reason))
                write_if_changed(OUT_DIR / f"{spec.chapter}.json", json.dumps(data, indent=1) + "\n")
                print(f"   chapter {spec.chapter}: not run on this machine ({reason}); "
                      f"the page shows the calls {path.relative_to(ROOT)} lists")
                continue
            write_if_changed(OUT_DIR / f"{spec.chapter}.trace", "\n".join(actual) + "\n")
            if updating:
                update(spec, actual)
                spec = parse_spec(path)
            compare(spec, actual)
            data = page_data(spec, checked=True)
            write_if_changed(OUT_DIR / f"{spec.chapter}.json", json.dumps(data, indent=1) + "\n")
            print(f"   chapter {spec.chapter}: {len(actual)} calls as expected "
                  f"({time.monotonic() - started:.1f} s)")
        except TranscriptError as error:
            (OUT_DIR / f"{path.stem}.json").unlink(missing_ok=True)
            print(f"error: {error}", file=sys.stderr)
            failed += 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
