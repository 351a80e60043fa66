# Sourced by build.sh and exercise-lib.sh.
#
# quiet_build LOG COMMAND...: runs COMMAND (a cmake --build) with all its
# output appended to LOG, and meanwhile shows what it is doing, so that a
# first build of several minutes is visibly alive without flooding the
# terminal: on a terminal one line is rewritten every second ("[12/40]
# compiling code/06-events/example/echo_server.cpp  0:42"); otherwise (a
# pipe, a CI log) one such line is printed every 10 seconds.
# Returns COMMAND's status. The command runs in the foreground, so Ctrl-C
# stops it as usual.
quiet_build() {
    local log=$1
    shift
    local interval=10 tty=0
    if [[ -t 1 ]]; then
        interval=1
        tty=1
    fi
    _quiet_build_monitor "$log" "$interval" "$tty" &
    local monitor=$!
    local status=0
    "$@" >>"$log" 2>&1 || status=$?
    kill "$monitor" 2>/dev/null
    wait "$monitor" 2>/dev/null
    # Clear the rewritten line, so what follows starts on a clean one.
    ((tty)) && printf '\r\033[K'
    return "$status"
}

# The last progress line of the log (Ninja's "[12/40] ..." or Make's
# "[ 45%] ..."), shortened: CMake's "Building CXX object
# DIR/CMakeFiles/TARGET.dir/FILE.o" becomes "compiling DIR/FILE".
_quiet_build_last() {
    grep -E '^\[( *[0-9]+%|[0-9]+/[0-9]+)\] (Building|Linking)' "$1" 2>/dev/null | tail -n 1 |
        sed -E -e 's#Building [A-Z]+ object (.*)CMakeFiles/[^/]*\.dir/(.*)\.o(bj)?$#compiling \1\2#' \
               -e 's#Linking [A-Z]+ (executable|static library) (.*)$#linking \2#'
}

_quiet_build_monitor() {
    local log=$1 interval=$2 tty=$3 line start=$SECONDS width
    width=$(tput cols 2>/dev/null || echo 80)
    # Sleep in a child that does not hold our output open (a caller reading
    # it through a pipe would wait for it) and that dies with us.
    local sleeper=
    trap 'kill $sleeper 2>/dev/null; exit 0' TERM
    nap() { sleep "$1" </dev/null >/dev/null 2>&1 & sleeper=$!; wait "$sleeper"; }
    # The first line only after a second: a build with nothing to do says nothing.
    nap 1
    while :; do
        line=$(_quiet_build_last "$log")
        line="${line:-configuring or checking what changed}  $(((SECONDS - start) / 60)):$(printf '%02d' $(((SECONDS - start) % 60)))"
        if ((tty)); then
            printf '\r\033[K   %s' "${line:0:$((width - 4))}"
        else
            echo "   $line"
        fi
        nap "$interval"
    done
}
