"""Instructions per request: callgrind counts the server's user-space instructions."""
import os
import re
import tempfile

from process import Run
from steady import per_request


def total_instructions(out_file):
    with open(out_file) as f:
        for line in f:
            m = re.match(r"^(?:summary|totals):\s+(\d+)", line)
            if m:
                return int(m.group(1))
    raise RuntimeError(f"no totals in {out_file}")


def instructions_per_request(server, client, connections, small, large, keep_dir):
    def measure(n):
        out = os.path.join(keep_dir, f"callgrind.{server.key}.{n}.out")
        run = Run(server, n, wrapper=["valgrind", "--tool=callgrind", "--quiet", f"--callgrind-out-file={out}"])
        run.drive(client, n, connections)
        status, _ = run.wait(timeout=300)
        if status != 0:
            raise RuntimeError(f"{server.key} under callgrind exited with {status}")
        return total_instructions(out)

    return per_request(measure, small, large)
