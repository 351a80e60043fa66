#!/usr/bin/env bash
# Renders the site into build/site: Doxygen (warnings are errors) writes the
# XML that Breathe reads, then Sphinx builds with -W -n --keep-going, so a
# stale literalinclude marker or an unresolved cross-reference fails.
set -euo pipefail
mkdir -p build
# The numbers of the last `make test` (or a note that there is none yet).
python3 tests/tools/report.py
# The figures of the last `make bench` (or a note that there is none yet).
python3 bench/harness/page.py
# What the kernel sees: each chapter's example runs under strace and must
# make the calls docs/transcripts/NN.txt lists (tests/tools/transcripts.py);
# the chapter pages show them. Only the example programs are built here.
echo "== the examples under strace (docs/transcripts)"
examples=$(sed -n 's/^example: *//p' docs/transcripts/[0-9][0-9].txt | tr '\n' ' ')
BUILD_TARGETS="$examples" tests/tools/build.sh epoll
python3 tests/tools/transcripts.py build/epoll
echo "== doxygen"
doxygen docs/Doxyfile
echo "== sphinx-build -W -n --keep-going"
# Debian's Sphinx is under /usr/bin/python3; call sphinx-build directly so a
# different python3 first on PATH does not matter.
sphinx-build -W -n --keep-going -q -b html -d build/doctrees . build/site
echo "Site rendered: build/site/index.html"
