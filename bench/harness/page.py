#!/usr/bin/env python3
"""Writes build/bench-report.rst, the generated part of the Performance page.

docs.sh runs this before Sphinx. It copies the report of the last full
`make bench` run (build/bench/report.rst); without one it writes a note, so
the site always builds."""
import os
import shutil

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RUN = os.path.join(ROOT, "build", "bench", "report.rst")
OUT = os.path.join(ROOT, "build", "bench-report.rst")

os.makedirs(os.path.dirname(OUT), exist_ok=True)
if os.path.exists(RUN):
    shutil.copyfile(RUN, OUT)
else:
    with open(OUT, "w") as f:
        f.write(".. note::\n\n   No benchmark run yet in this checkout: run ``make bench``, then ``make docs``.\n")
