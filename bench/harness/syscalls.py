"""System calls per request, by name: perf stat on the kernel's syscall
tracepoints (needs tracefs, i.e. root or perf_event_paranoid <= -1), or,
where those cannot be opened, strace -c -f.

perf counts raw_syscalls:sys_enter (every system call) plus one
syscalls:sys_enter_NAME tracepoint for each call an event loop makes per
request; whatever else there is shows as "other". (Opening all ~350 named
tracepoints takes perf over ten seconds per run.)"""
import os
import re
import subprocess

from process import Run
from steady import per_request


NAMED = ["read", "readv", "recvfrom", "recvmsg", "write", "writev", "sendto", "sendmsg", "epoll_wait",
         "epoll_pwait", "epoll_pwait2", "epoll_ctl", "poll", "ppoll", "select", "pselect6", "accept4", "close",
         "futex", "ioctl", "fcntl", "setsockopt", "getsockopt", "rt_sigprocmask", "mmap", "munmap", "brk",
         "clock_gettime", "io_uring_enter"]


def perf_events():
    return ",".join(["raw_syscalls:sys_enter"] + [f"syscalls:sys_enter_{name}" for name in NAMED])


def perf_works():
    try:
        done = subprocess.run(["perf", "stat", "-x,", "-e", "syscalls:sys_enter_getpid", "--", "true"],
                              capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0 and "sys_enter_getpid" in done.stderr and "not supported" not in done.stderr


def read_perf(path):
    counts = {}
    total = 0
    with open(path) as f:
        for line in f:
            parts = line.strip().split(",")
            if len(parts) < 3 or not parts[0].isdigit():
                continue
            if parts[2] == "raw_syscalls:sys_enter":
                total = int(parts[0])
            elif parts[2].startswith("syscalls:sys_enter_") and int(parts[0]):
                counts[parts[2][len("syscalls:sys_enter_"):]] = int(parts[0])
    counts["other"] = total - sum(counts.values())
    return counts


def read_strace(path):
    counts = {}
    with open(path) as f:
        for line in f:
            m = re.match(r"^\s*[\d.]+\s+[\d.]+\s+\d+\s+(\d+)\s+(?:\d+\s+)?(\w+)$", line)
            if m and m.group(2) != "total":
                counts[m.group(2)] = int(m.group(1))
    return counts


def syscalls_per_request(server, client, connections, small, large, keep_dir, tool):
    def measure(n):
        out = os.path.join(keep_dir, f"{tool}.{server.key}.{n}.txt")
        if tool == "perf":
            wrapper = ["perf", "stat", "-x,", "-o", out, "-e", perf_events(), "--"]
        else:
            wrapper = ["strace", "-c", "-f", "-o", out]
        run = Run(server, n, wrapper=wrapper)
        run.drive(client, n, connections)
        status, _ = run.wait(timeout=300)
        if status != 0:
            raise RuntimeError(f"{server.key} under {tool} exited with {status}")
        return read_perf(out) if tool == "perf" else read_strace(out)

    by_name = per_request(measure, small, large)
    return {name: value for name, value in by_name.items() if abs(value) >= 0.005}
