#!/usr/bin/env python3
"""copy-check.py: no exercise answer may be copied from the library or the text.

An exercise teaches only if its answer is not on the page. This check reads
every reference solution and known-wrong answer (exercises/NN-*/solution.cpp,
exercises/NN-*/wrong/*.cpp) and fails if one shares more than MAX_SHARED
consecutive normalized lines with a file under code/ or with the text of the
site (chapters/**/*.rst, docs/**/*.rst).

Normalized: comments dropped, whitespace folded, and lines that carry no
thought of their own dropped (blank lines, lone braces and parentheses,
#include and #pragma lines, namespace openings and closings, access labels),
so that reformatting or renaming nothing does not hide a copy, and shared
boilerplate does not count as one.

Usage: copy-check.py [--root DIR] [--max-shared N] [FILE...]   (default: every answer)
Exit status 0 when nothing is shared, 1 otherwise (each shared run is printed
with both places). Runs in well under a second.
"""
import argparse
import pathlib
import re
import sys

MAX_SHARED = 2  # consecutive normalized lines an answer may share: three are a copy

TRIVIAL = re.compile(
    r"""^(
        [{}()\[\];,]*            # lone braces, parentheses, separators
      | [{}]?\s*else\s*[{]?     # } else {
      | \#\s*(include|pragma)\b.*
      | (inline\s+)?namespace\b[^;]*\{?(\s*\}.*)?
      | (public|private|protected):
      | \.\.\s+code-block::.*
    )$""",
    re.VERBOSE,
)


def strip_comments(text: str) -> str:
    """Drops /* */ and // comments (not inside string literals: a string that
    holds "//" is rare in these files and only makes a line shorter)."""
    text = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)
    return re.sub(r"//.*", "", text)


def normalized(path: pathlib.Path, code: bool):
    """(line number, normalized line) for each line that counts."""
    text = path.read_text(encoding="utf-8", errors="replace")
    if code:
        text = strip_comments(text)
    out = []
    for number, line in enumerate(text.splitlines(), 1):
        line = " ".join(line.split())
        if not code:
            # In the text, a C++ comment inside a code block is still a comment.
            line = " ".join(re.sub(r"//.*", "", line).split())
        if not line or TRIVIAL.match(line):
            continue
        out.append((number, line))
    return out


def shown(path: pathlib.Path, root: pathlib.Path) -> str:
    """The path relative to the repository, or as given if outside it."""
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)


def runs(lines, size):
    for i in range(len(lines) - size + 1):
        yield i, tuple(line for _, line in lines[i : i + size])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", type=pathlib.Path, default=None)
    parser.add_argument("--max-shared", type=int, default=MAX_SHARED,
                        help=f"consecutive normalized lines an answer may share (default {MAX_SHARED})")
    parser.add_argument("files", nargs="*", type=pathlib.Path)
    args = parser.parse_args()
    root = args.root or pathlib.Path(__file__).resolve().parents[2]
    size = args.max_shared + 1

    sources = {}
    for path in sorted((root / "code").rglob("*")):
        if path.suffix in {".cpp", ".hpp", ".h", ".c"}:
            sources[path] = True
    for folder in ("chapters", "docs"):
        for path in sorted((root / folder).rglob("*.rst")):
            sources[path] = False
    index = {}
    for path, code in sources.items():
        lines = normalized(path, code)
        for i, run in runs(lines, size):
            index.setdefault(run, (path, lines[i][0]))

    answers = args.files or sorted(
        list(root.glob("exercises/[0-9][0-9]-*/solution.cpp")) + list(root.glob("exercises/[0-9][0-9]-*/wrong/*.cpp"))
    )
    copied = 0
    for answer in answers:
        lines = normalized(answer, True)
        reported_until = -1
        for i, run in runs(lines, size):
            if run not in index or i <= reported_until:
                continue
            # Extend the shared run as far as it goes, report it once.
            end = i + size
            while end < len(lines) and tuple(l for _, l in lines[end - size + 1 : end + 1]) in index:
                end += 1
            reported_until = end - size
            where, at = index[run]
            copied += 1
            print(
                f"{shown(answer, root)}:{lines[i][0]}: {end - i} normalized lines are the same as "
                f"{shown(where, root)}:{at} (an exercise's answer must not be printed in code/ or the chapters):"
            )
            for _, line in lines[i:end]:
                print(f"    {line}")
    print(f"copy check: {len(answers)} answers against {len(sources)} files of code/ and text, "
          f"{copied} shared run(s) of more than {args.max_shared} lines")
    return 1 if copied else 0


if __name__ == "__main__":
    sys.exit(main())
