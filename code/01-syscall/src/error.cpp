#include "metalio/error.hpp"

namespace metalio {
namespace {

class Category final : public std::error_category {
public:
    const char* name() const noexcept override { return "metalio"; }

    std::string message(int value) const override {
        switch (static_cast<Errc>(value)) {
            case Errc::zero_capacity_events:
                return "Events has capacity zero: create it with Events::with_capacity(n), n > 0";
            case Errc::negative_timeout:
                return "the timeout is negative: use zero to poll without blocking, or no timeout to wait";
            case Errc::already_registered:
                return "this file descriptor is already registered: use reregister to change it";
            case Errc::not_registered:
                return "this file descriptor is not registered: register it first";
            case Errc::registered_elsewhere:
                return "this source is already registered with another Poll";
            case Errc::waker_exists:
                return "this Poll already has a Waker: share that one instead of creating a second";
            case Errc::invalid_socket_address:
                return "not a socket address: expected \"ipv4:port\" or \"[ipv6]:port\"";
        }
        return "unknown metalio error";
    }

    // Lets callers compare against the portable condition, e.g.
    // `ec == std::errc::file_exists` for Errc::already_registered.
    std::error_condition default_error_condition(int value) const noexcept override {
        switch (static_cast<Errc>(value)) {
            case Errc::zero_capacity_events:
            case Errc::negative_timeout:
            case Errc::invalid_socket_address:
                return std::errc::invalid_argument;
            case Errc::already_registered:
            case Errc::waker_exists:
                return std::errc::file_exists;
            case Errc::not_registered:
                return std::errc::no_such_file_or_directory;
            case Errc::registered_elsewhere:
                return std::errc::device_or_resource_busy;
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

}  // namespace metalio
