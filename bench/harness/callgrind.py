"""Instructions per request: callgrind counts the server's user-space instructions.

Two figures come from each run: the total, and the event loop's share of it.
The event loop's share is the total less the inclusive cost of the request
logic every server shares (hello_feed and hello_answer, with what they call):
bench/servers/hello.c for the C and C++ servers, its Rust port for mio and
tokio, each kept out of line so callgrind can name it. What is left is what
the library and the server's own loop cost."""
import os
import re
import subprocess

from process import Run
from steady import per_request

# A function of the shared request logic, as callgrind_annotate names it:
# "file:hello_feed [binary]" for C, "file:hello_mio::hello::hello_feed" for Rust.
REQUEST_LOGIC = re.compile(r"(?:^|[:\s])(?:\w+::)*(hello_(?:feed|answer))(?:\s|$|\[|\()")


def costs(out_file):
    """(total instructions, inclusive instructions of the request logic)."""
    done = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--auto=no", "--threshold=100", out_file],
                          capture_output=True, text=True, check=True)
    total, logic = None, {}
    for line in done.stdout.splitlines():
        m = re.match(r"^\s*([\d,]+)\s+(?:\([^)]*\)\s+)?(.*)$", line)
        if not m:
            continue
        value = int(m.group(1).replace(",", ""))
        if "PROGRAM TOTALS" in m.group(2):
            total = value
        else:
            # callgrind_annotate may list a function twice (once per file
            # name it knows): count each function once.
            found = REQUEST_LOGIC.search(m.group(2).split(" [")[0])
            if found:
                logic[found.group(1)] = max(value, logic.get(found.group(1), 0))
    if total is None:
        raise RuntimeError(f"no totals in {out_file}")
    return total, sum(logic.values())


def instructions_per_request(server, client, connections, small, large, keep_dir):
    """{"total": instructions per request, "loop": the same without the request logic}."""
    def measure(n):
        out = os.path.join(keep_dir, f"callgrind.{server.key}.{n}.out")
        run = Run(server, n, wrapper=["valgrind", "--tool=callgrind", "--quiet", f"--callgrind-out-file={out}"])
        run.drive(client, n, connections)
        status, _ = run.wait(timeout=300)
        if status != 0:
            raise RuntimeError(f"{server.key} under callgrind exited with {status}")
        total, logic = costs(out)
        if logic == 0:
            raise RuntimeError(f"{server.key}: callgrind saw no hello_feed/hello_answer (inlined?)")
        return {"total": total, "logic": logic}

    figures = per_request(measure, small, large)
    return {"total": figures["total"], "loop": figures["total"] - figures["logic"]}
