// What every metalio test includes: doctest, printers that make failure
// messages readable ("Resource temporarily unavailable [system:11]" rather
// than "{?}"), and the fd-leak check.
#pragma once

#include <ostream>
#include <string>
#include <system_error>

#include <doctest/doctest.h>

#include "fd_leak.hpp"
#include "unix_fds.hpp"
#include "metalio/io.hpp"
#include "metalio/sys/fault.hpp"

namespace doctest {

template <>
struct StringMaker<std::error_code> {
    static String convert(const std::error_code& error) {
        const std::string text =
            error.message() + " [" + error.category().name() + ":" + std::to_string(error.value()) + "]";
        return text.c_str();
    }
};

template <>
struct StringMaker<std::errc> {
    static String convert(std::errc value) { return StringMaker<std::error_code>::convert(std::make_error_code(value)); }
};

template <>
struct StringMaker<metalio::Errc> {
    static String convert(metalio::Errc value) { return StringMaker<std::error_code>::convert(make_error_code(value)); }
};

template <class T>
struct StringMaker<std::expected<T, std::error_code>> {
    static String convert(const std::expected<T, std::error_code>& result) {
        if (!result) return String("error: ") + StringMaker<std::error_code>::convert(result.error());
        if constexpr (std::is_void_v<T>) {
            return "ok";
        } else {
            return String("ok: ") + toString(*result);
        }
    }
};

}  // namespace doctest

namespace metalio::test {

/// The error of @p result as text, or "no error". doctest evaluates an
/// assertion's message even when the assertion passes (with -s), so a
/// message must never call .error() on a result that holds a value.
template <class Result>
std::string why(const Result& result) {
    return result.has_value() ? std::string("no error") : result.error().message();
}

}  // namespace metalio::test
