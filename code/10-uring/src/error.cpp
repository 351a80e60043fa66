#include "metalio/uring/error.hpp"

#include <cerrno>
#include <fstream>
#include <string>

namespace metalio::uring {

namespace {

class Category final : public std::error_category {
public:
    const char* name() const noexcept override { return "io_uring"; }

    std::string message(int value) const override {
        switch (static_cast<Errc>(value)) {
        case Errc::not_supported:
            return "io_uring is not available: this kernel has no io_uring_setup (older than 5.1 or built "
                   "without CONFIG_IO_URING), or a seccomp filter answers ENOSYS";
        case Errc::disabled:
            return "io_uring is disabled: sysctl kernel.io_uring_disabled is 2";
        case Errc::not_in_group:
            return "io_uring is restricted: sysctl kernel.io_uring_disabled is 1 and this process is not in "
                   "the group kernel.io_uring_group";
        case Errc::blocked:
            return "io_uring_setup was refused (EPERM) although kernel.io_uring_disabled allows it: a seccomp "
                   "filter (a container's default profile) or a security module blocks it";
        case Errc::kernel_too_old:
            return "io_uring is too old: the kernel lacks IORING_FEAT_FAST_POLL (before 5.7)";
        case Errc::no_buffer_ring:
            return "io_uring is too old for provided buffers: IORING_REGISTER_PBUF_RING needs Linux 5.19 "
                   "(multishot recv needs 6.0); receive into the operation's own Buffer instead";
        }
        return "unknown io_uring error";
    }

    std::error_condition default_error_condition(int value) const noexcept override {
        switch (static_cast<Errc>(value)) {
        case Errc::not_supported:
        case Errc::kernel_too_old:
        case Errc::no_buffer_ring:
            return std::errc::function_not_supported;
        case Errc::disabled:
        case Errc::not_in_group:
        case Errc::blocked:
            return std::errc::operation_not_permitted;
        }
        return {value, *this};
    }
};

}  // namespace

const std::error_category& error_category() noexcept {
    static const Category category;
    return category;
}

std::error_code make_error_code(Errc e) noexcept { return {static_cast<int>(e), error_category()}; }

// [explain]
std::error_code explain_setup_error(std::error_code error) noexcept {
    if (error.category() != std::system_category()) return error;
    if (error.value() == ENOSYS) return Errc::not_supported;
    if (error.value() != EPERM) return error;
    // Linux 6.6 added the switch; an older kernel has no file, and then an
    // EPERM can only come from a filter.
    int disabled = 0;
    try {
        std::ifstream("/proc/sys/kernel/io_uring_disabled") >> disabled;
    } catch (...) {
        disabled = 0;
    }
    if (disabled == 2) return Errc::disabled;
    if (disabled == 1) return Errc::not_in_group;
    return Errc::blocked;
}
// [explain]

}  // namespace metalio::uring
