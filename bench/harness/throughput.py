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


def throughput(server, seconds, connections, runs):
    """min, median and max requests/s over `runs` wrk runs on one server."""
    rates = []
    run = Run(server, 0)
    try:
        for _ in range(runs):
            done = subprocess.run(["taskset", "-c", CLIENT_CPU, "wrk", "-t1", f"-c{connections}", f"-d{seconds}s",
                                   f"http://127.0.0.1:{run.port}/"],
                                  capture_output=True, text=True, timeout=seconds + 60, check=True)
            rates.append(parse_rate(done.stdout))
    finally:
        run.stop()
    return {"min": min(rates), "median": statistics.median(rates), "max": max(rates)}
