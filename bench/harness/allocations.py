"""Heap allocations per request, counted by bench/probes/count_malloc.c."""
import os

from process import Run
from steady import per_request


def allocations_per_request(server, client, connections, small, large, keep_dir, shim):
    def measure(n):
        out = os.path.join(keep_dir, f"allocations.{server.key}.{n}.txt")
        if os.path.exists(out):
            os.remove(out)
        run = Run(server, n, env={"LD_PRELOAD": shim, "COUNT_MALLOC_OUT": out})
        run.drive(client, n, connections)
        status, _ = run.wait()
        if status != 0:
            raise RuntimeError(f"{server.key} with the allocation counter exited with {status}")
        with open(out) as f:
            # taskset runs first under the same LD_PRELOAD and execs the
            # server, so only the last line (the server's) counts.
            return int(f.read().split()[-1])

    return per_request(measure, small, large)
