#!/usr/bin/env python3
"""Writes build/bench-report.rst, the generated part of the Performance page.

docs.sh runs this before Sphinx. It copies the report of the last full
`make bench` run in this checkout (build/bench/report.rst). Without one it
uses the run recorded in the repository (docs/bench-last-run/, copied there
from a full run by hand, with its plots), and says so, so that a reader of
the published site still sees figures."""
import os
import shutil

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RUN = os.path.join(ROOT, "build", "bench", "report.rst")
RECORDED = os.path.join(ROOT, "docs", "bench-last-run", "report.rst")
OUT = os.path.join(ROOT, "build", "bench-report.rst")

os.makedirs(os.path.dirname(OUT), exist_ok=True)
if os.path.exists(RUN):
    shutil.copyfile(RUN, OUT)
elif os.path.exists(RECORDED):
    with open(RECORDED) as recorded, open(OUT, "w") as f:
        f.write(".. note::\n\n   No benchmark run in this checkout yet: these are the figures recorded in the\n"
                "   repository (``docs/bench-last-run/``). ``make bench``, then ``make docs``, measures\n"
                "   this machine instead.\n\n")
        f.write(recorded.read())
else:
    with open(OUT, "w") as f:
        f.write(".. note::\n\n   No benchmark run yet in this checkout: run ``make bench``, then ``make docs``.\n")
