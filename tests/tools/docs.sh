#!/usr/bin/env bash
# Renders the site into build/site: Doxygen (warnings are errors) writes the
# XML that Breathe reads, then Sphinx builds with -W -n --keep-going, so a
# stale literalinclude marker or an unresolved cross-reference fails; then
# the Chinese edition into build/site/zh_CN, the same way, after
# tests/tools/i18n.py has checked its catalogs (locales/zh_CN).
set -euo pipefail
mkdir -p build
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
# The Chinese edition's catalogs: complete and in step with the English
# text (tests/tools/i18n.py; a few seconds). Its count goes on the testing
# page, so it runs before the report; a failure fails this script after
# both editions are rendered (I18N_CHECK=warn, which make serve passes,
# only prints it).
echo "== translations (tests/tools/i18n.py check)"
i18n=passed
python3 tests/tools/i18n.py check || i18n=failed
# The numbers of the last `make test` (or a note that there is none yet).
python3 tests/tools/report.py
# The figures of the last `make bench` (or a note that there is none yet).
python3 bench/harness/page.py
echo "== doxygen"
doxygen docs/Doxyfile
echo "== sphinx-build -W -n --keep-going"
# Debian's Sphinx is under /usr/bin/python3; call sphinx-build directly so a
# different python3 first on PATH does not matter.
sphinx-build -W -n --keep-going -q -b html -d build/doctrees . build/site
# The Chinese edition: the same sources and Doxygen XML, the catalogs of
# locales/zh_CN, its own doctrees (the environment records the language).
echo "== sphinx-build -W -n --keep-going, Chinese (zh_CN)"
start=$SECONDS
sphinx-build -W -n --keep-going -q -b html -D language=zh_CN -D "html_title=metalio — 用 C++23 重建的 mio" \
    -d build/doctrees-zh_CN . build/site/zh_CN
echo "Site rendered: build/site/index.html, Chinese: build/site/zh_CN/index.html ($((SECONDS - start)) s)"
if [[ $i18n == failed ]]; then
    if [[ ${I18N_CHECK:-} == warn ]]; then
        echo "(the Chinese edition is not complete: see the i18n.py lines above)"
    else
        echo "The Chinese catalogs are not complete or not in step with the English text (above): run make translations." >&2
        exit 1
    fi
fi
