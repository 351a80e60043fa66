#!/usr/bin/env python3
"""Writes build/test-report.rst: the numbers of the last `make test` run.

Reads what tests/tools/test.sh left in each build directory: CTest's JUnit
file (junit.xml) and the full output of every test (make-test.log, a copy
of CTest's LastTest.log), plus build/test-report/steps.txt
(one line per step: status, wall-clock seconds and name, tab-separated), and
build/test-report/translations.txt (tests/tools/i18n.py check). The site includes the result on the
page "How metalio is tested", so the numbers there are never typed by hand.
Without a recorded run it writes a short note saying so.
"""
import datetime
import os
import re
import sys
import xml.etree.ElementTree as ET

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.path.join(ROOT, "build")
OUT = os.path.join(BUILD, "test-report.rst")

BUILDS = [
    ("epoll", "epoll", "none"),
    ("poll", "poll(2)", "none"),  # test.sh poll, on a BSD or Mac (the workflow)
    ("asan-epoll", "epoll", "ASan + UBSan"),
    ("asan-portable-poll", "poll(2), portable Unix fallbacks forced", "ASan + UBSan"),
    ("tsan-poll", "poll(2)", "TSan"),
    ("kqueue", "kqueue (libkqueue)", "none"),  # on a BSD or Mac (the workflow)
    ("portable-kqueue", "kqueue (libkqueue), portable Unix fallbacks forced", "none"),  # LIBKQUEUE_PREFIX given
    ("windows", "IOCP (Windows, mingw-w64, under Wine)", "none"),
]

# Lines that tests print for the report (see tests/conformance/*).
FIGURES = [
    (re.compile(r"^fault points tried: (\d+)$", re.M), "fault points tried"),
    (re.compile(r"^(c10k: selector=.*)$", re.M), None),
    (re.compile(r"^(fuzz replay: .*)$", re.M), None),
]


def category(name):
    """'stage04: ...' -> 'stage04'; 'exercise06: ...' -> 'exercises'."""
    head = name.split(":", 1)[0].strip()
    if head.startswith("exercise"):
        return "exercises"
    return head


def read_build(directory):
    junit = os.path.join(BUILD, directory, "junit.xml")
    if not os.path.exists(junit):
        return None
    counts = {}
    passed = failed = 0
    for case in ET.parse(junit).getroot().iter("testcase"):
        cat = category(case.get("name", ""))
        bad = case.find("failure") is not None or case.find("error") is not None
        skipped = case.find("skipped") is not None
        entry = counts.setdefault(cat, [0, 0])
        if bad or skipped:
            entry[1] += 1
            failed += 1
        else:
            entry[0] += 1
            passed += 1
    figures = []
    # The full output of every test of that run (test.sh copies CTest's
    # LastTest.log, which a later partial ctest run would overwrite).
    log = os.path.join(BUILD, directory, "make-test.log")
    if os.path.exists(log):
        text = open(log, errors="replace").read()
        for pattern, label in FIGURES:
            for match in pattern.finditer(text):
                figures.append(f"{label}: {match.group(1)}" if label else match.group(1))
    return {"counts": counts, "passed": passed, "failed": failed, "figures": list(dict.fromkeys(figures)),
            "when": os.path.getmtime(junit)}


def configured_as(directory):
    """The build's label from its own CMakeCache.txt, not from its name."""
    cache = os.path.join(BUILD, directory, "CMakeCache.txt")
    values = {}
    if os.path.exists(cache):
        for line in open(cache, errors="replace"):
            match = re.match(r"^(METALIO_SELECTOR|METALIO_SANITIZE):\w+=(.*)$", line.strip())
            if match:
                values[match.group(1)] = match.group(2)
    selector = {"poll": "poll(2)"}.get(values.get("METALIO_SELECTOR", "?"), values.get("METALIO_SELECTOR", "?"))
    sanitize = {"address,undefined": "ASan + UBSan", "thread": "TSan"}.get(values.get("METALIO_SANITIZE", ""),
                                                                          values.get("METALIO_SANITIZE", ""))
    return selector if not sanitize else f"{selector} + {sanitize}"


def duration(seconds):
    """'754' -> '12 min 34 s'; '' (not recorded) -> an em dash."""
    if not seconds.isdigit():
        return "—"
    minutes, rest = divmod(int(seconds), 60)
    return f"{minutes} min {rest} s" if minutes else f"{rest} s"


def table(header, rows):
    lines = [".. list-table::", "   :header-rows: 1", ""]
    for row in [header] + rows:
        lines.append("   * - " + str(row[0]))
        lines.extend("     - " + str(cell) for cell in row[1:])
    return "\n".join(lines) + "\n"


def translations():
    """The Chinese edition's line, from what tests/tools/i18n.py check counted
    (build/test-report/translations.txt, written just before this runs)."""
    path = os.path.join(BUILD, "test-report", "translations.txt")
    if not os.path.exists(path):
        return ""
    counts = dict(line.strip().split(": ", 1) for line in open(path) if ": " in line)
    return (f"Chinese edition (``tests/tools/i18n.py check``): **{counts.get('translated', '?')}** entries "
            f"translated in {counts.get('catalogs', '?')} catalogs, {counts.get('untranslated', '?')} untranslated, "
            f"{counts.get('fuzzy', '?')} fuzzy, {counts.get('stale', '?')} out of date with the English text; "
            f"{counts.get('hints_translated', '?')} of {counts.get('hints', '?')} exercise hints translated "
            f"(``hints/N.zh_CN.md``).\n")


def main():
    results = {name: read_build(name) for name, _, _ in BUILDS}
    present = {k: v for k, v in results.items() if v}
    if not present:
        text = (".. note::\n\n   No test run is recorded in this checkout yet. Run ``make test``, then\n"
                "   ``make docs``: this section then shows the numbers of that run.\n")
        open(OUT, "w").write(text + "\n" + translations())
        return 0

    newest = max(v["when"] for v in present.values())
    when = datetime.datetime.fromtimestamp(newest, datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    out = [f"Numbers of the last ``make test`` run in this checkout ({when}).", ""]

    categories = sorted({c for v in present.values() for c in v["counts"]})
    header = ["suite"] + [configured_as(name) for name, _, _ in BUILDS if results[name]]
    rows = []
    for cat in categories:
        row = [cat]
        for name, _, _ in BUILDS:
            if not results[name]:
                continue
            ok, bad = results[name]["counts"].get(cat, [0, 0])
            row.append(f"{ok}" + (f" (**{bad} failed**)" if bad else "") if ok or bad else "—")
        rows.append(row)
    total = ["**all**"] + [f"**{results[n]['passed']}**" + (f" (**{results[n]['failed']} failed**)"
                                                          if results[n]["failed"] else "")
                           for n, _, _ in BUILDS if results[n]]
    out.append(table(header, rows + [total]))
    out.append("Each number is the count of passing CTest cases of that suite in that build.\n")

    figures = [f"{configured_as(name)}: {figure}" for name, _, _ in BUILDS if results[name]
               for figure in results[name]["figures"]]
    if figures:
        out.append("Figures the suites printed:\n")
        out.extend(f"- ``{f}``" for f in figures)
        out.append("")

    steps = os.path.join(BUILD, "test-report", "steps.txt")
    if os.path.exists(steps):
        out.append("Steps of ``make test``, with the wall-clock time each took:\n")
        rows, total, bad = [], 0, 0
        for line in open(steps):
            line = line.rstrip("\n")
            if not line:
                continue
            if "\t" in line:
                status, seconds, name = (line.split("\t", 2) + ["", ""])[:3]
            else:  # a run recorded before the times were kept: "status name"
                status, _, name = line.partition(" ")
                seconds = ""
            if seconds.isdigit():
                total += int(seconds)
            bad += status != "passed"
            rows.append([name, status if status == "passed" else f"**{status}**", duration(seconds)])
        rows.append(["**all steps**", f"{len(rows) - bad} passed, {bad} failed", f"**{duration(str(total))}**"])
        out.append(table(["step", "result", "time"], rows))
    out.append(translations())
    open(OUT, "w").write("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
