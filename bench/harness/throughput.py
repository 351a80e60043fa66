"""Requests per second under wrk (one thread, pinned to the other core)."""
import re
import statistics
import subprocess

from process import CLIENT_CPU, Run


def parse_rate(text):
    m = re.search(r"Requests/sec:\s+([\d.]+)", text)
    if not m:
        raise RuntimeError("wrk printed no Requests/sec:\n" + text)
    return float(m.group(1))


def requests_per_second(server, seconds, connections):
    """One wrk run against a fresh server."""
    run = Run(server, 0)
    try:
        done = subprocess.run(["taskset", "-c", CLIENT_CPU, "wrk", "-t1", f"-c{connections}", f"-d{seconds}s",
                               f"http://127.0.0.1:{run.port}/"],
                              capture_output=True, text=True, timeout=seconds + 60, check=True)
        return parse_rate(done.stdout)
    finally:
        run.stop()


def spread(rates):
    """min, median and max of several runs: the noise is part of the figure."""
    return {"min": min(rates), "median": statistics.median(rates), "max": max(rates)}
