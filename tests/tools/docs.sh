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
# the chapter pages show them. Once the example programs have been built
# (make test builds them all; TRANSCRIPTS=check builds them here), they are
# brought up to date and checked. Before that, as in a first `make serve`,
# nothing is compiled: the pages show the calls the files list, and say so.
examples=$(sed -n 's/^example: *//p' docs/transcripts/[0-9][0-9].txt | tr '\n' ' ')
built=yes
for example in $examples; do
    compgen -G "build/epoll/code/*/$example" >/dev/null || built=no
done
if [[ $built == yes || ${TRANSCRIPTS:-} == check ]]; then
    echo "== the examples under strace (docs/transcripts)"
    BUILD_TARGETS="$examples" tests/tools/build.sh epoll
    python3 tests/tools/transcripts.py build/epoll
else
    echo "== strace transcripts not checked: the examples are not built yet (make test checks them; so does TRANSCRIPTS=check make docs)"
    python3 tests/tools/transcripts.py --listed
fi
echo "== doxygen"
doxygen docs/Doxyfile
echo "== sphinx-build -W -n --keep-going"
# Debian's Sphinx is under /usr/bin/python3; call sphinx-build directly so a
# different python3 first on PATH does not matter.
sphinx-build -W -n --keep-going -q -b html -d build/doctrees . build/site
echo "Site rendered: build/site/index.html"
