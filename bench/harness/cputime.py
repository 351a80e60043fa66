"""Server CPU time per request (user + system, from wait4's rusage)."""
import statistics

from process import Run
from steady import per_request


def cpu_seconds_per_request(server, client, connections, small, large, repeats):
    def measure(n):
        run = Run(server, n)
        run.drive(client, n, connections)
        status, usage = run.wait()
        if status != 0:
            raise RuntimeError(f"{server.key} exited with {status}")
        return usage.ru_utime + usage.ru_stime

    return statistics.median(per_request(measure, small, large) for _ in range(repeats))
