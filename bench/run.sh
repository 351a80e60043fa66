#!/usr/bin/env bash
# run.sh full|smoke: builds the benchmark and runs it (make bench; make test's smoke step).
#
#   full   every measurement, results in build/bench/ (tables.txt, plots,
#          results.json, report.rst for the Performance page); ~20 minutes
#   smoke  the same code paths with tiny counts, results in build/bench-smoke/
#          (a check that the harness still works; the figures mean nothing).
#          It builds build/bench-epoll only: the poll(2) servers are the same
#          sources on another selector, and the Rust peers (minutes of
#          cargo) do not change with metalio; their rows say "not built".
#
# Installs what it needs, builds build/bench-epoll (library, metalio server,
# micro-benchmarks, baselines and peers) and build/bench-poll (library,
# metalio server, micro-benchmarks on poll(2)), both Release with fault
# injection off, and the mio peer with cargo --offline against Debian's
# packaged crates. Server and client are pinned to different CPUs.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-full}
[[ $mode == full || $mode == smoke ]] || { echo "usage: bench/run.sh full|smoke" >&2; exit 2; }
JOBS=${JOBS:-2}

tests/tools/deps.sh g++ cmake pkg-config linux-perf strace wrk valgrind libuv1-dev libevent-dev libasio-dev \
    libbenchmark-dev librust-mio-dev librust-tokio-dev cargo rustc python3-matplotlib liburing-dev

configure() {  # configure <dir> [cmake options...]
    local dir=$1
    shift
    cmake -S bench -B "$dir" -DCMAKE_BUILD_TYPE=Release "$@" >"$dir.configure.log" 2>&1 ||
        { cat "$dir.configure.log"; exit 1; }
}
mkdir -p build
configure build/bench-epoll -DMETALIO_SELECTOR=epoll -DBENCH_PEERS=ON
# The Rust peers: Debian's mio and tokio crates (librust-mio-dev,
# librust-tokio-dev), offline, with Debian's own rustc and cargo, which come
# first so that a rustup toolchain on PATH does not matter.
cargo=$(command -v /usr/bin/cargo || command -v cargo)
rustc=$(dirname "$cargo")/rustc
build_rust() {  # build_rust <crate> <binary>: a peer that does not build is left out
    echo "== building the $1 peer (cargo --offline, Debian's crates)"
    # (cargo reads bench/servers/$1/.cargo/config.toml only when run from there.)
    if ! (cd "bench/servers/$1" && RUSTC=$rustc "$cargo" build --quiet --release --offline --target-dir "../../../build/bench-$1"); then
        echo "The $1 peer did not build offline; it is left out of this run (the report says so)." >&2
        rm -f "$2"
    fi
}
poll_build=build/bench-poll
mio_binary=build/bench-mio/release/hello-mio
tokio_binary=build/bench-tokio/release/hello-tokio
if [[ $mode == full ]]; then
    echo "== building the servers and micro-benchmarks (build/bench-epoll, build/bench-poll)"
    configure build/bench-poll -DMETALIO_SELECTOR=poll -DBENCH_PEERS=OFF
    cmake --build build/bench-epoll -j"$JOBS"
    cmake --build build/bench-poll -j"$JOBS"
    build_rust mio "$mio_binary"
    build_rust tokio "$tokio_binary"
else
    echo "== building the servers and micro-benchmarks (build/bench-epoll; smoke leaves out bench-poll and the Rust peers)"
    cmake --build build/bench-epoll -j"$JOBS"
    # What smoke does not build points where nothing is: a binary left by
    # an earlier `make bench` must not be measured either.
    absent=build/bench-smoke-not-built
    poll_build=$absent
    mio_binary=$absent/hello-mio
    tokio_binary=$absent/hello-tokio
fi
# The compilers and flags of this run, for the page.
flags=$(sed -n 's/^set(BENCH_FLAGS "\(.*\)")$/\1/p' bench/CMakeLists.txt)
toolchain=$(printf '{"cc": "%s", "cxx": "%s", "flags": "%s", "rustc": "%s", "rust_flags": "%s"}' \
    "$(cc --version | head -1)" "$(c++ --version | head -1)" "$flags" "$("$rustc" --version)" \
    "cargo --release: opt-level 3, debug 1")

out=build/bench
[[ $mode == smoke ]] && out=build/bench-smoke
echo "== measuring ($mode), results in $out/"
# Debian's python3 has Debian's matplotlib (for the plots); another python3
# first on PATH may not.
python=$(command -v /usr/bin/python3 || command -v python3)
"$python" bench/harness/main.py --mode "$mode" --build-epoll build/bench-epoll --build-poll "$poll_build" \
    --mio "$mio_binary" --tokio "$tokio_binary" --toolchain "$toolchain" --out "$out"
