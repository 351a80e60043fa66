/// @file
/// Event: one readiness notification.
#pragma once

#include <iosfwd>
#include <string>

#include "metalio/sys/selector.hpp"
#include "metalio/to_string_formatter.hpp"
#include "metalio/token.hpp"

namespace metalio {

// [event]
/// One readiness notification: which registration (token) and what happened.
///
/// A thin view of the selector's own record (`epoll_event` on Linux); each
/// question is answered from its flags the way mio answers it (see the table
/// in chapter 02). Readiness is a hint: after is_readable() a read may still
/// return WouldBlock. Introduced in chapter 02 (selector).
class Event {
public:
    /// Wraps the selector's record (Events does this while iterating).
    explicit Event(const sys::Event& raw) noexcept : raw_(raw) {}

    /// The token given when the source was registered.
    [[nodiscard]] Token token() const noexcept { return sys::selector::token(raw_); }
    /// Data, a connection or end-of-file may be read (EPOLLIN or EPOLLPRI).
    [[nodiscard]] bool is_readable() const noexcept { return sys::selector::is_readable(raw_); }
    /// Data may be written (EPOLLOUT).
    [[nodiscard]] bool is_writable() const noexcept { return sys::selector::is_writable(raw_); }
    /// The source has an error (EPOLLERR); for sockets, take_error() says which.
    [[nodiscard]] bool is_error() const noexcept { return sys::selector::is_error(raw_); }
    /// The read half is closed: reads will return end-of-file.
    [[nodiscard]] bool is_read_closed() const noexcept { return sys::selector::is_read_closed(raw_); }
    /// The write half is closed: writes will fail.
    [[nodiscard]] bool is_write_closed() const noexcept { return sys::selector::is_write_closed(raw_); }
    /// Priority (out-of-band) data may be read (EPOLLPRI).
    [[nodiscard]] bool is_priority() const noexcept { return sys::selector::is_priority(raw_); }

    /// The selector's record, for what metalio does not interpret.
    [[nodiscard]] const sys::Event& raw() const noexcept { return raw_; }

    /// The token and every flag that is set, e.g.
    /// `Event(Token(3), READABLE | READ_CLOSED)`; `none` when no flag is set.
    [[nodiscard]] std::string to_string() const;
    /// Writes to_string() to @p out.
    friend std::ostream& operator<<(std::ostream& out, const Event& event);

private:
    // Events allocates its array of Events uninitialised, for the kernel to fill.
    friend class Events;
    Event() noexcept = default;

    sys::Event raw_;
};
// [event]

}  // namespace metalio

/// @cond
#if __cpp_lib_format
// std::format("{}", x) prints x.to_string().
template <>
struct std::formatter<metalio::Event> : metalio::ToStringFormatter<metalio::Event> {};
#endif
/// @endcond
