#!/usr/bin/env python3
"""Runs every measurement of `make bench` and writes the results.

    main.py --mode full|smoke --build-epoll DIR --build-poll DIR --mio BIN --tokio BIN --out DIR

full:  the figures of the Performance page (build/bench/, about 20 minutes);
smoke: the same code paths with tiny counts, so `make test` notices when the
       harness breaks (its figures mean nothing and go elsewhere).
Every figure is also stored as a ratio to the baseline server measured in
the same run (the machines are shared: absolute numbers drift, ratios less).
"""
import argparse
import datetime
import json
import os
import platform
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import allocations  # noqa: E402
import callgrind  # noqa: E402
import cputime  # noqa: E402
import micro  # noqa: E402
import servers as server_list  # noqa: E402
import syscalls  # noqa: E402
import throughput  # noqa: E402

SETTINGS = {
    #        callgrind counts  other counts   cpu repeats  wrk s, conns, runs  micro min_time, repetitions
    "full": dict(cg=(2000, 10000), n=(5000, 25000), cpu=3, wrk=(3, 50, 3), micro=(0.2, 5)),
    "smoke": dict(cg=(32, 96), n=(64, 192), cpu=1, wrk=(1, 10, 1), micro=(0.01, 1)),
}
SMOKE_FULL_SERVERS = {"raw-short", "metalio-epoll", "metalio-rt", "metalio-poll", "metalio-epoll-realistic",
                      "metalio-uring", "metalio-uring-provided", "metalio-uring-multishot", "liburing"}
# Connections of the measuring client: each round sends one request on every
# connection, so a server finds several ready in one wait (as under real
# load) and the wait's cost is shared, as in the figures.
CONNECTIONS = 16


def log(message):
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mode", choices=SETTINGS, default="full")
    parser.add_argument("--build-epoll", required=True)
    parser.add_argument("--build-poll", required=True)
    parser.add_argument("--mio", required=True)
    parser.add_argument("--tokio", required=True)
    parser.add_argument("--toolchain", default="",
                        help="the compilers and flags of this run, as a JSON object (bench/run.sh)")
    parser.add_argument("--out", required=True)
    parser.add_argument("--servers", default="",
                        help="measure only these servers (comma-separated keys, e.g. metalio-uring,liburing)")
    parser.add_argument("--micro-only", action="store_true",
                        help="run only the micro-benchmarks again, into the results.json of --out")
    args = parser.parse_args()
    settings = SETTINGS[args.mode]
    if args.micro_only:
        return rerun_micro(args, settings)
    os.makedirs(args.out, exist_ok=True)
    raw_dir = os.path.join(args.out, "raw")
    os.makedirs(raw_dir, exist_ok=True)

    client = os.path.join(args.build_epoll, "hello_client")
    shim = os.path.join(args.build_epoll, "libcount_malloc.so")
    servers = server_list.all_servers(args.build_epoll, args.build_poll, args.mio, args.tokio)
    if args.servers:
        wanted = set(args.servers.split(","))
        unknown = wanted - {s.key for s in servers}
        if unknown:
            parser.error(f"unknown server(s): {', '.join(sorted(unknown))}; the keys are "
                         + ", ".join(s.key for s in servers))
        servers = [s for s in servers if s.key in wanted]
    missing = [s for s in servers if not os.path.exists(s.argv[0])]
    servers = [s for s in servers if s not in missing]
    tool = "perf" if syscalls.perf_works() else "strace"
    log(f"mode {args.mode}; syscalls counted with {tool}; servers: {', '.join(s.key for s in servers)}")

    results = {"mode": args.mode, "syscall_tool": tool, "settings": settings, "servers": {},
               "started": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
               "machine": {"cpus": os.cpu_count(), "kernel": platform.release()},
               "missing": {s.key: s.label for s in missing},
               "toolchain": json.loads(args.toolchain) if args.toolchain else {}}
    for server in missing:
        log(f"{server.key}: not built ({server.argv[0]} is missing), left out")
    for server in servers:
        entry = {"label": server.label, "baseline": server.baseline}
        results["servers"][server.key] = entry
        heavy = args.mode == "full" or server.key in SMOKE_FULL_SERVERS
        try:
            if heavy:
                log(f"{server.key}: callgrind")
                counts = callgrind.instructions_per_request(server, client, CONNECTIONS, *settings["cg"], raw_dir)
                entry["instructions"] = counts["total"]
                entry["loop_instructions"] = counts["loop"]
            log(f"{server.key}: syscalls")
            entry["syscalls"] = syscalls.syscalls_per_request(server, client, CONNECTIONS, *settings["n"], raw_dir, tool)
            log(f"{server.key}: allocations")
            entry["allocations"] = allocations.allocations_per_request(server, client, CONNECTIONS, *settings["n"], raw_dir, shim)
            if server.counted_only:
                continue
            log(f"{server.key}: CPU time")
            entry["cpu_us"] = 1e6 * cputime.cpu_seconds_per_request(server, client, CONNECTIONS, *settings["n"], settings["cpu"])
        except Exception as error:  # one broken peer must not hide the others
            entry["error"] = str(error)
            log(f"{server.key}: FAILED: {error}")

    # wrk in rounds over all servers, so that a slow minute of the shared
    # machine lowers one run of every server, not all runs of one.
    seconds, connections, runs = settings["wrk"]
    rates = {}
    for round_number in range(runs):
        for server in servers:
            entry = results["servers"][server.key]
            if "error" in entry or server.counted_only or not (args.mode == "full" or server.key in SMOKE_FULL_SERVERS):
                continue
            log(f"{server.key}: wrk, run {round_number + 1} of {runs}")
            try:
                rates.setdefault(server.key, []).append(throughput.requests_per_second(server, seconds, connections))
            except Exception as error:
                entry["error"] = str(error)
                log(f"{server.key}: FAILED: {error}")
    for key, values in rates.items():
        if "error" not in results["servers"][key]:
            results["servers"][key]["wrk"] = throughput.spread(values)

    run_all_micro(args, settings, results)
    return finish(args, results)


def run_all_micro(args, settings, results):
    results["micro"] = {}
    for selector, build in (("epoll", args.build_epoll), ("poll", args.build_poll)):
        binary = os.path.join(build, "micro")
        if not os.path.exists(binary):
            continue
        log(f"micro-benchmarks, {selector} build")
        try:
            results["micro"][selector] = micro.run_micro(binary, *settings["micro"])
        except Exception as error:
            results["micro"][selector] = {"error": str(error)}
            log(f"micro-benchmarks, {selector}: FAILED: {error}")


def rerun_micro(args, settings):
    """The micro-benchmarks again, keeping the servers' figures of the run."""
    with open(os.path.join(args.out, "results.json")) as f:
        results = json.load(f)
    run_all_micro(args, settings, results)
    return finish(args, results)


def finish(args, results):
    with open(os.path.join(args.out, "results.json"), "w") as f:
        json.dump(results, f, indent=1)
    import report  # matplotlib is slow to import: only now
    report.write_all(results, args.out)
    failed = [key for key, entry in results["servers"].items() if "error" in entry]
    failed += [sel for sel, m in results["micro"].items() if "error" in m]
    if failed:
        log(f"failed: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
