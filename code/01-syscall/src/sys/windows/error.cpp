#include "metalio/sys/windows/error.hpp"

#include <winternl.h>

#include <string>

namespace metalio::sys::windows {
namespace {

// [error-table]
// The Windows numbers with a portable meaning. The winsock numbers are the
// BSD errno values plus 10000 (WSAEWOULDBLOCK = 10035 is EWOULDBLOCK of
// 4.3BSD); what they compare equal to follows Rust's std, which mio relies
// on for its io::ErrorKind answers.
std::errc portable(int code) noexcept {
    switch (code) {
        case WSAEWOULDBLOCK: return std::errc::operation_would_block;
        case WSAEINTR: return std::errc::interrupted;
        case WSAEINPROGRESS: return std::errc::operation_in_progress;
        case WSAEALREADY: return std::errc::connection_already_in_progress;
        case WSAENOTSOCK: return std::errc::not_a_socket;
        case WSAEBADF:
        case ERROR_INVALID_HANDLE: return std::errc::bad_file_descriptor;
        case WSAEINVAL:
        case ERROR_INVALID_PARAMETER: return std::errc::invalid_argument;
        case WSAEFAULT: return std::errc::bad_address;
        case WSAEACCES:
        case ERROR_ACCESS_DENIED: return std::errc::permission_denied;
        case WSAEMFILE:
        case ERROR_TOO_MANY_OPEN_FILES: return std::errc::too_many_files_open;
        case WSAENOBUFS: return std::errc::no_buffer_space;
        case ERROR_NOT_ENOUGH_MEMORY:
        case ERROR_OUTOFMEMORY: return std::errc::not_enough_memory;
        case WSAEADDRINUSE: return std::errc::address_in_use;
        case WSAEADDRNOTAVAIL: return std::errc::address_not_available;
        case WSAEAFNOSUPPORT: return std::errc::address_family_not_supported;
        case WSAEPROTONOSUPPORT: return std::errc::protocol_not_supported;
        case WSAEOPNOTSUPP: return std::errc::operation_not_supported;
        case WSAEMSGSIZE: return std::errc::message_size;
        case WSAECONNREFUSED: return std::errc::connection_refused;
        case WSAECONNRESET: return std::errc::connection_reset;
        case WSAECONNABORTED: return std::errc::connection_aborted;
        case WSAENOTCONN: return std::errc::not_connected;
        case WSAEISCONN: return std::errc::already_connected;
        case WSAESHUTDOWN:
        case ERROR_BROKEN_PIPE: return std::errc::broken_pipe;  // a write after shutdown(SD_SEND)
        case WSAETIMEDOUT:
        case WAIT_TIMEOUT: return std::errc::timed_out;
        case WSAENETUNREACH: return std::errc::network_unreachable;
        case WSAEHOSTUNREACH: return std::errc::host_unreachable;
        case ERROR_FILE_NOT_FOUND:
        case ERROR_PATH_NOT_FOUND: return std::errc::no_such_file_or_directory;
        case ERROR_ALREADY_EXISTS:
        case ERROR_FILE_EXISTS: return std::errc::file_exists;
        case ERROR_NOT_SUPPORTED: return std::errc::not_supported;
        case ERROR_OPERATION_ABORTED: return std::errc::operation_canceled;
        case ERROR_BUSY: return std::errc::device_or_resource_busy;
        default: return std::errc{};
    }
}
// [error-table]

// Texts for the meanings mingw-w64's C library has no words for (its
// strerror stops at the C89 numbers and says "Unknown error" for the rest).
const char* text(std::errc meaning) noexcept {
    switch (meaning) {
        case std::errc::operation_would_block: return "Operation would block";
        case std::errc::operation_in_progress: return "Operation now in progress";
        case std::errc::connection_already_in_progress: return "Operation already in progress";
        case std::errc::not_a_socket: return "Not a socket";
        case std::errc::address_in_use: return "Address already in use";
        case std::errc::address_not_available: return "Cannot assign requested address";
        case std::errc::connection_refused: return "Connection refused";
        case std::errc::connection_reset: return "Connection reset by peer";
        case std::errc::connection_aborted: return "Software caused connection abort";
        case std::errc::not_connected: return "Transport endpoint is not connected";
        case std::errc::already_connected: return "Transport endpoint is already connected";
        case std::errc::timed_out: return "Connection timed out";
        case std::errc::no_buffer_space: return "No buffer space available";
        case std::errc::network_unreachable: return "Network is unreachable";
        case std::errc::host_unreachable: return "No route to host";
        case std::errc::operation_canceled: return "Operation canceled";
        default: return nullptr;
    }
}

class Category final : public std::error_category {
public:
    const char* name() const noexcept override { return "windows"; }

    std::string message(int code) const override {
        // The portable meaning first: the same words as on Unix, also under
        // Wine, which has no text for most winsock numbers.
        if (const auto meaning = portable(code); meaning != std::errc{}) {
            if (const char* words = text(meaning)) return words;
            return std::generic_category().message(static_cast<int>(meaning));
        }
        char buffer[512];
        const DWORD length =
            ::FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, nullptr,
                             static_cast<DWORD>(code), 0, buffer, sizeof buffer, nullptr);
        std::string message(buffer, length);
        while (!message.empty() && (message.back() == '\n' || message.back() == '\r' || message.back() == '.'))
            message.pop_back();
        if (!message.empty()) return message;
        return "Windows error " + std::to_string(code);
    }

    std::error_condition default_error_condition(int code) const noexcept override {
        if (const auto meaning = portable(code); meaning != std::errc{}) return meaning;
        return {code, *this};
    }
};

}  // namespace

const std::error_category& error_category() noexcept {
    static const Category category;
    return category;
}

std::error_code error_from_ntstatus(long status) noexcept {
    return error_code(::RtlNtStatusToDosError(static_cast<NTSTATUS>(status)));
}

}  // namespace metalio::sys::windows
