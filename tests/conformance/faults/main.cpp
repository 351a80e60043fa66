// The runner of the fault sweep: doctest's own main, plus a summary of how
// many fault points every operation has and their total, printed after all
// sweeps ran, and which system calls were failed. Its last line is
// parseable: "fault points tried: N" (tests/tools/report.py reads it).
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <cstdio>
#include <string_view>

#include "sweep.hpp"

namespace {

#if defined(_WIN32)
// Every call that goes through METALIO_WINCALL in stages 01-08, but
// WSAStartup, which a process makes once (its own test, run alone, fails
// it): a full run must have failed each of them at least once. Stage 08
// adds sendto and recvfrom (UdpSocket); its other calls (bind, connect,
// setsockopt, WSAIoctl, send, recv) are stage 04's names too.
constexpr std::string_view kEveryCall[] = {
    "WSASocketW", "ioctlsocket", "setsockopt", "getsockopt", "getsockname", "getpeername",
    "bind", "listen", "accept", "connect", "recv", "send", "WSARecv", "WSASend", "shutdown",
    "WSAIoctl", "CreateIoCompletionPort", "NtCreateFile", "SetFileCompletionNotificationModes",
    "NtDeviceIoControlFile", "NtCancelIoFileEx", "GetQueuedCompletionStatusEx", "PostQueuedCompletionStatus",
    "sendto", "recvfrom"};
#endif

/// The calls of kEveryCall that no sweep failed (Windows; none elsewhere).
int report_missing_calls(const faults::Tally& tally) {
    int missing = 0;
#if defined(_WIN32)
    for (const std::string_view call : kEveryCall) {
        if (tally.failed_calls.contains(call)) continue;
        std::fprintf(stderr, "no sweep failed %.*s: a Windows system call path is not swept\n",
                     static_cast<int>(call.size()), call.data());
        ++missing;
    }
#else
    (void)tally;
#endif
    return missing;
}

}  // namespace

int main(int argc, char** argv) {
    doctest::Context context(argc, argv);
    const int failed = context.run();
    if (context.shouldExit()) return failed;

    const auto& tally = faults::tally();
    std::printf("fault sweep (%s selector): system calls per operation, each one failed once\n",
                METALIO_SELECTOR_POLL     ? "poll(2)"
                : METALIO_SELECTOR_KQUEUE ? "kqueue"
                : METALIO_SELECTOR_IOCP   ? "IOCP"
                                          : "epoll");
    for (const auto& row : tally.rows) std::printf("  %-52s %zu\n", row.what.c_str(), row.points);
    std::printf("system calls failed (times):");
    for (const auto& [call, times] : tally.failed_calls) std::printf(" %s (%zu)", call.c_str(), times);
    std::printf("\n");
    for (const auto& [where, why] : tally.absorbed)
        std::printf("absorbed on purpose: %s: %s\n", where.c_str(), why.c_str());
    // A run of chosen test cases only (the WSAStartup one) covers some calls
    // only, and its total is not the sweep's (the report reads the line
    // "fault points tried: N").
    bool chosen_cases = false;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        chosen_cases |= arg.starts_with("--test-case=") || arg.starts_with("-tc=");
    }
    std::printf("fault points tried%s: %zu\n", chosen_cases ? " by the chosen cases" : "", tally.total);
    std::fflush(stdout);
    if (failed == 0 && tally.total == 0) {
        std::fprintf(stderr, "no fault point was tried: the sweep did not run\n");
        return 1;
    }
    if (failed == 0 && !chosen_cases && report_missing_calls(tally) > 0) return 1;
    return failed;
}
