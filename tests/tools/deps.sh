#!/usr/bin/env bash
# Installs the Debian packages given as arguments that are not installed yet:
# with apt-get as root, or with passwordless sudo; otherwise prints the exact
# command and fails.
set -euo pipefail

# A Mac: Homebrew gives the same tools under other names. Nothing is
# installed for you there; the exact command is printed instead. (Windows
# cross-compilation, Wine and valgrind are Linux-only steps of make test.)
if [[ $(uname -s) == Darwin ]]; then
    formulae=()
    bash_major=$(bash -c 'echo ${BASH_VERSINFO[0]}')
    ((bash_major >= 4)) || formulae+=(bash)
    command -v cmake >/dev/null || formulae+=(cmake)
    command -v doxygen >/dev/null || formulae+=(doxygen)
    command -v dot >/dev/null || formulae+=(graphviz)
    command -v sphinx-build >/dev/null || formulae+=(sphinx-doc)
    brew_prefix=$(brew --prefix 2>/dev/null || echo /opt/homebrew)
    [[ -f $brew_prefix/include/doctest/doctest.h ]] || formulae+=(doctest)
    if ((${#formulae[@]} > 0)); then
        echo "Missing on this Mac. Run (Homebrew, https://brew.sh):" >&2
        echo "  brew install ${formulae[*]}" >&2
        echo "and, for the site, Sphinx's extensions: pip3 install breathe furo sphinx-copybutton sphinx-inline-tabs" >&2
        exit 1
    fi
    exit 0
fi

if ! command -v dpkg-query >/dev/null; then
    echo "metalio's make targets install their tools with apt-get (Debian/Ubuntu)." >&2
    echo "On this system, install by hand: $*" >&2
    exit 1
fi

# Every make target runs this first, so it must cost next to nothing when
# everything is there: a stamp remembers the last list found complete, and
# holds while dpkg's database is older than it; otherwise one dpkg-query
# for all of them.
stamp=build/.packages-installed
if [[ -f $stamp && $stamp -nt /var/lib/dpkg/status && $(<"$stamp") == "$*" ]]; then
    exit 0
fi
declare -A installed=()
while read -r want ok state package; do
    [[ "$want $ok $state" == "install ok installed" ]] && installed[${package%%:*}]=1
done < <(dpkg-query -W -f='${Status} ${Package}\n' "$@" 2>/dev/null)
missing=()
for package in "$@"; do
    [[ -n ${installed[$package]:-} ]] || missing+=("$package")
done
if [[ ${#missing[@]} -eq 0 ]]; then
    mkdir -p build && echo "$*" >"$stamp"
    exit 0
fi

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
# Another apt-get or dpkg (a second make, the system's updates) may hold
# apt's locks: wait up to ten minutes for it instead of failing at once.
wait_for_lock=(-o DPkg::Lock::Timeout=600)
"${sudo[@]}" apt-get "${wait_for_lock[@]}" update -q
"${sudo[@]}" apt-get "${wait_for_lock[@]}" install -y -q --no-install-recommends "${missing[@]}"
