#!/usr/bin/env bash
# Installs the Debian packages given as arguments that are not installed yet:
# with apt-get as root, or with passwordless sudo; otherwise prints the exact
# command and fails.
set -euo pipefail

if ! command -v dpkg-query >/dev/null; then
    echo "metalio's make targets install their tools with apt-get (Debian/Ubuntu)." >&2
    echo "On this system, install by hand: $*" >&2
    exit 1
fi

missing=()
for package in "$@"; do
    status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
    [[ "$status" == "install ok installed" ]] || missing+=("$package")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "Installing missing Debian packages: ${missing[*]}"
if [[ $(id -u) -eq 0 ]]; then
    sudo=()
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    sudo=(sudo -n)
else
    echo "Cannot install them without root. Run:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -q
"${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
