#!/usr/bin/env bash
# serve.sh PORT [--check-only]: serves build/site on http://127.0.0.1:PORT/
# (make serve). A busy or impossible port gets one line that says what to
# type instead; make serve asks once with --check-only before it builds.
set -euo pipefail
port=${1:-}
if [[ ! $port =~ ^[0-9]+$ ]] || ((port < 1 || port > 65535)); then
    echo "PORT must be a number from 1 to 65535, not '$port': type make serve PORT=8123." >&2
    exit 2
fi
# Ask for the port the way http.server will, so that the answer is the same.
free() {
    python3 - "$1" 2>/dev/null <<'PY'
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1])))
print(s.getsockname()[1])
PY
}
if ! free "$port" >/dev/null; then
    suggestion=
    for candidate in 8123 8124 8080 8888 0; do
        suggestion=$(free "$candidate") && break
    done
    echo "port $port is busy (another server, or an earlier make serve, uses it); try make serve PORT=$suggestion" >&2
    exit 2
fi
[[ ${2:-} == --check-only ]] && exit 0
echo "Serving the site on http://127.0.0.1:$port/ (in Chinese: http://127.0.0.1:$port/zh_CN/; Ctrl-C stops)"
exec python3 -m http.server "$port" --bind 127.0.0.1 --directory build/site
