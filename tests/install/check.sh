#!/usr/bin/env bash
# Installs metalio into build/install/prefix, builds tests/install (a
# consumer using find_package(metalio)), runs its echo server and checks the
# greeting through a real TCP connection.
set -euo pipefail
root=build/install
rm -rf "$root"
# The default configuration, as a user would build it: no option but the prefix.
cmake -S . -B "$root/library" -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX="$PWD/$root/prefix" >/dev/null
# Only what the install step installs, the stage libraries: the examples are
# compiled by every other build (a third of this build's time).
cmake --build "$root/library" -j"${JOBS:-2}" \
    $(cmake --build "$root/library" --target help | grep -oE 'metalio_stage[0-9]+' | sort -u | sed 's/^/--target /') >/dev/null
cmake --install "$root/library" >/dev/null
echo "installed: $(find "$root/prefix" -type f | wc -l) files in $root/prefix"
# The installed library carries no fault-injection hook: its exported
# targets compile every consumer with METALIO_FAULT_INJECTION=0.
if ! grep -q 'METALIO_FAULT_INJECTION=0' "$root"/prefix/lib/cmake/metalio/metalioTargets.cmake; then
    echo "the installed library was built with fault injection (METALIO_FAULT_INJECTION=0 not in metalioTargets.cmake)"
    exit 1
fi
# ... and no system call wrapper in its archives calls the hook.
if nm -C --undefined-only "$root"/prefix/lib/libmetalio_stage*.a 2>/dev/null | grep -q 'sys::fault::check'; then
    echo "an installed archive still calls metalio::sys::fault::check"
    exit 1
fi
echo "installed library built without fault injection"
cmake -S tests/install -B "$root/consumer" -DCMAKE_PREFIX_PATH="$PWD/$root/prefix" >/dev/null
cmake --build "$root/consumer" -j"${JOBS:-2}" >/dev/null
echo "consumer built against find_package(metalio): $root/consumer/echo_server"

output=$(mktemp)
"$root/consumer/echo_server" 127.0.0.1:0 >"$output" &
server=$!
trap 'kill $server 2>/dev/null; rm -f "$output"' EXIT
for _ in $(seq 50); do grep -q ' \$ nc ' "$output" && break; sleep 0.1; done
port=$(sed -n 's/^ \$ nc \(-N \)\{0,1\}[^ ]* \([0-9]*\)$/\2/p' "$output")
[[ -n $port ]] || { echo "the consumer's server did not start:"; cat "$output"; exit 1; }
exec 3<>"/dev/tcp/127.0.0.1/$port"
read -r -t 10 greeting <&3
exec 3<&-
if [[ $greeting != "Hello world!" ]]; then
    echo "expected the greeting 'Hello world!', got '$greeting'"
    exit 1
fi
echo "the installed library's echo server greeted a client: $greeting"
