#!/usr/bin/env python3
"""i18n.py update|check: the Chinese edition's catalogs, in step with the English text.

Every page but the API pages has one catalog,
locales/zh_CN/LC_MESSAGES/<page>.po (conf.py: gettext_compact = False).
Both commands first extract the English messages afresh: Sphinx's gettext
builder writes one template per page into build/gettext (`-t i18n_extract`
leaves docs/api out), and the entries that come only from generated files
(build/*.rst: the test and benchmark tables, which change every run and
stay English) are dropped.

  update  msgmerge's every catalog with its template (a changed paragraph
          keeps its old translation, marked fuzzy; a paragraph that is gone
          is dropped), makes a catalog for a new page (msginit), removes the
          catalog of a page that is gone, and says what to translate next.
          `make translations` runs it.
  check   fails, with one line per catalog, when an entry is untranslated or
          fuzzy, or when a catalog is out of date with the English text (an
          English paragraph changed, was added or removed, and `update` has
          not been run), and prints the total of translated entries, which it
          also writes to build/test-report/translations.txt for the testing
          page (tests/tools/report.py). It then proves that it can fail: a
          copy of the catalogs, held in memory, with one entry blanked, one
          marked fuzzy and one English text changed must each fail it.
          tests/tools/docs.sh runs it.

--locales DIR works on another copy of the catalogs (default: locales).
"""
import argparse
import copy
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LANGUAGE = "zh_CN"
POT_DIR = os.path.join(ROOT, "build", "gettext")
REPORT = os.path.join(ROOT, "build", "test-report", "translations.txt")


# ---------------------------------------------------------------- .po files
class Entry:
    """One entry of a .po/.pot file: its raw text and what the checks need."""

    def __init__(self, raw):
        self.raw = raw
        self.locations = []
        self.flags = set()
        self.msgid = self.msgstr = None
        self.obsolete = raw.lstrip().startswith("#~")
        field, parts = None, {}
        for line in raw.splitlines():
            if line.startswith("#:"):
                self.locations += [loc.rsplit(":", 1)[0] for loc in line[2:].split()]
            elif line.startswith("#,"):
                self.flags |= {flag.strip() for flag in line[2:].split(",")}
            elif line.startswith("#"):
                continue
            else:
                match = re.match(r'^(msgid|msgstr)\s+(".*")$', line)
                if match:
                    field = match.group(1)
                    parts[field] = [match.group(2)]
                elif line.startswith('"') and field:
                    parts[field].append(line)
        self.msgid = _unquote(parts.get("msgid", []))
        self.msgstr = _unquote(parts.get("msgstr", []))

    @property
    def is_header(self):
        return self.msgid == ""


def _unquote(pieces):
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
    text = "".join(piece[1:-1] for piece in pieces)
    return re.sub(r"\\(.)", lambda m: escapes.get(m.group(1), m.group(0)), text)


def read_po(path):
    """The entries of a .po or .pot file (the header entry first)."""
    text = open(path, encoding="utf-8").read()
    return [Entry(block) for block in re.split(r"\n\s*\n", text.strip()) if block.strip()]


def write_entries(path, entries):
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n\n".join(entry.raw.strip("\n") for entry in entries) + "\n")


# ------------------------------------------------------------- the templates
def relative(path, base):
    return os.path.relpath(path, base).replace(os.sep, "/")


def generated_only(entry):
    """True when every place the message comes from is a generated file
    (build/...) or an API page (docs/api/...). Sphinx writes each location
    relative to build/gettext, whatever the template's folder."""
    if entry.is_header or not entry.locations:
        return False
    for location in entry.locations:
        source = relative(os.path.normpath(os.path.join(POT_DIR, location)), ROOT)
        if not (source.startswith("build/") or source.startswith("docs/api/")):
            return False
    return True


def extract():
    """Writes fresh templates into build/gettext; returns {page: [entries]}."""
    shutil.rmtree(POT_DIR, ignore_errors=True)
    # The chapters' strace blocks read build/transcripts/NN.json: where one
    # is missing (no docs build yet, or a chapter's transcript is new), make
    # them from the listed calls (nothing runs). A missing one would drop
    # that chapter's sentences from the templates.
    transcripts = os.path.join(ROOT, "build", "transcripts")
    listed = [n[:-4] for n in os.listdir(os.path.join(ROOT, "docs", "transcripts")) if n.endswith(".txt")]
    if not all(os.path.exists(os.path.join(transcripts, n + ".json")) for n in listed):
        subprocess.run([sys.executable, "tests/tools/transcripts.py", "--listed"], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
    # Warnings of this run are the English build's business (it runs with
    # -W); here only a failure counts. -E: every page is read afresh (about
    # 3 s), so a change in an extension (the strace blocks') is seen too.
    run = subprocess.run(["sphinx-build", "-q", "-E", "-t", "i18n_extract", "-b", "gettext",
                          "-d", os.path.join("build", "doctrees-gettext"), ".", POT_DIR],
                         cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if run.returncode != 0:
        sys.stderr.write(run.stdout)
        sys.exit("i18n.py: extracting the English messages (sphinx-build -b gettext) failed")
    templates = {}
    for directory, _, files in os.walk(POT_DIR):
        for name in files:
            if not name.endswith(".pot"):
                continue
            path = os.path.join(directory, name)
            entries = [e for e in read_po(path) if not generated_only(e)]
            write_entries(path, entries)  # what msgmerge and msginit read
            templates[relative(path, POT_DIR)[:-len(".pot")]] = entries
    return templates


def catalog_path(locales, page):
    return os.path.join(locales, LANGUAGE, "LC_MESSAGES", page + ".po")


def read_catalogs(locales):
    base = os.path.join(locales, LANGUAGE, "LC_MESSAGES")
    catalogs = {}
    for directory, _, files in os.walk(base):
        for name in files:
            if name.endswith(".po"):
                path = os.path.join(directory, name)
                catalogs[relative(path, base)[:-len(".po")]] = read_po(path)
    return catalogs


# ----------------------------------------------------------------- the check
def problems(templates, catalogs):
    """(lines, totals): one line per catalog that is not complete and in step."""
    lines = []
    totals = {"translated": 0, "untranslated": 0, "fuzzy": 0, "stale": 0, "catalogs": 0}
    for page in sorted(set(templates) | set(catalogs)):
        name = f"locales/{LANGUAGE}/LC_MESSAGES/{page}.po"
        if page not in catalogs:
            count = sum(not e.is_header for e in templates[page])
            lines.append(f"{name}: missing ({count} entries of {page}.rst have no catalog)")
            totals["stale"] += count
            continue
        if page not in templates:
            lines.append(f"{name}: {page}.rst is gone, its catalog is not")
            totals["stale"] += 1
            continue
        totals["catalogs"] += 1
        entries = [e for e in catalogs[page] if not e.is_header and not e.obsolete]
        untranslated = sum(not e.msgstr for e in entries)
        fuzzy = sum("fuzzy" in e.flags and bool(e.msgstr) for e in entries)
        totals["translated"] += len(entries) - untranslated - fuzzy
        totals["untranslated"] += untranslated
        totals["fuzzy"] += fuzzy
        english = {e.msgid for e in templates[page] if not e.is_header}
        have = {e.msgid for e in entries}
        new, gone = len(english - have), len(have - english)
        totals["stale"] += new + gone
        found = []
        if untranslated or fuzzy:
            found.append(f"{untranslated} untranslated, {fuzzy} fuzzy")
        if new or gone:
            found.append(f"out of date with {page}.rst: {new} English text(s) without an entry, "
                         f"{gone} entr{'y' if gone == 1 else 'ies'} whose English is gone")
        if found:
            lines.append(f"{name}: " + "; ".join(found))
    return lines, totals


def prove_honest(templates, catalogs):
    """The check must fail on a catalog with one entry blanked, one marked
    fuzzy, or one English text changed (all in memory, on copies). Returns
    the changes it missed."""
    def first_translated(catalogs):
        for page in sorted(set(catalogs) & set(templates)):
            for entry in catalogs[page]:
                if not entry.is_header and not entry.obsolete and entry.msgstr and "fuzzy" not in entry.flags:
                    return page, entry
        return None, None

    page, _ = first_translated(catalogs)
    if page is None:
        return []  # nothing translated yet: the check fails anyway
    name = f"locales/{LANGUAGE}/LC_MESSAGES/{page}.po:"
    _, before = problems(templates, catalogs)
    missed = []
    for change, total, words in [("blanked", "untranslated", "untranslated"), ("fuzzy", "fuzzy", "fuzzy"),
                                 ("English text changed", "stale", "out of date")]:
        mutated, mutated_templates = copy.deepcopy(catalogs), copy.deepcopy(templates)
        _, entry = first_translated(mutated)
        if total == "untranslated":
            entry.msgstr = ""
        elif total == "fuzzy":
            entry.flags.add("fuzzy")
        else:
            for template_entry in mutated_templates[page]:
                if template_entry.msgid == entry.msgid:
                    template_entry.msgid += " (a changed English sentence)"
        lines, after = problems(mutated_templates, mutated)
        if not (after[total] > before[total] and any(l.startswith(name) and words in l for l in lines)):
            missed.append(f"an entry {change} in {page}.po went unnoticed")
    return missed


def hints():
    """(translated, all): exercise hints with a Chinese translation beside
    them (hints/N.zh_CN.md). Counted, not required: make hint falls back to
    the English hint and says so."""
    english = [os.path.join(d, n) for d, _, files in os.walk(os.path.join(ROOT, "exercises"))
               for n in files if os.path.basename(d) == "hints" and re.match(r"^\d+\.md$", n)]
    translated = [p for p in english if os.path.exists(p[:-len(".md")] + f".{LANGUAGE}.md")]
    return len(translated), len(english)


def check(locales):
    templates = extract()
    catalogs = read_catalogs(locales)
    lines, totals = problems(templates, catalogs)
    totals["hints_translated"], totals["hints"] = hints()
    for line in lines:
        print(line)
    os.makedirs(os.path.dirname(REPORT), exist_ok=True)
    with open(REPORT, "w") as f:
        for key, value in totals.items():
            f.write(f"{key}: {value}\n")
    print(f"translations ({LANGUAGE}): {totals['translated']} entries translated in {totals['catalogs']} catalogs, "
          f"{totals['untranslated']} untranslated, {totals['fuzzy']} fuzzy, {totals['stale']} out of date; "
          f"exercise hints: {totals['hints_translated']} of {totals['hints']} translated")
    dishonest = prove_honest(templates, catalogs)
    for failure in dishonest:
        print(f"i18n.py check is broken: {failure}")
    if dishonest:
        return 1
    if lines:
        print("The Chinese edition is behind the English text: run make translations, then translate "
              "the entries it lists (docs/developing.rst, 'The Chinese edition').")
        return 1
    return 0


# ---------------------------------------------------------------- the update
def _meaning(path):
    """What a catalog says, without its header and line wrapping: msgmerge
    re-wraps every entry and stamps the template's date, and a file whose
    entries did not change is left as it is (no churn in git)."""
    return [(e.msgid, e.msgstr, sorted(e.flags)) for e in read_po(path) if not e.is_header and not e.obsolete]


def shown(path):
    return relative(path, ROOT) if os.path.abspath(path).startswith(ROOT + os.sep) else path


def update(locales):
    templates = extract()
    base = os.path.join(locales, LANGUAGE, "LC_MESSAGES")
    for page in sorted(templates):
        pot = os.path.join(POT_DIR, page + ".pot")
        po = catalog_path(locales, page)
        if not os.path.exists(po):
            os.makedirs(os.path.dirname(po), exist_ok=True)
            subprocess.run(["msginit", "--no-translator", f"--locale={LANGUAGE}", "-i", pot, "-o", po],
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            print(f"new catalog: {shown(po)}")
            continue
        with tempfile.TemporaryDirectory() as scratch:
            merged = os.path.join(scratch, "merged.po")
            subprocess.run(["msgmerge", "--quiet", "--previous", "-o", merged, po, pot], check=True)
            subprocess.run(["msgattrib", "--no-obsolete", "-o", merged, merged], check=True)
            if _meaning(po) != _meaning(merged):
                shutil.copy(merged, po)
                print(f"updated: {shown(po)}")
    for page in sorted(set(read_catalogs(locales)) - set(templates)):
        os.remove(catalog_path(locales, page))
        print(f"removed (its page is gone): {shown(catalog_path(locales, page))}")
    lines, totals = problems(templates, read_catalogs(locales))
    if not lines:
        print(f"Nothing to translate: {totals['translated']} entries, all translated.")
        return 0
    print("To translate next (fill each msgstr \"\", remove each '#, fuzzy' once its translation is right):")
    for line in lines:
        print("  " + line)
    print("Then make docs: the Chinese pages are built with -W, and tests/tools/i18n.py check must pass.")
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("command", choices=["update", "check"])
    parser.add_argument("--locales", default=os.path.join(ROOT, "locales"))
    args = parser.parse_args()
    locales = os.path.abspath(args.locales)
    return update(locales) if args.command == "update" else check(locales)


if __name__ == "__main__":
    sys.exit(main())
