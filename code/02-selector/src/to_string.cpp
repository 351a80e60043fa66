// The text forms of Token, Interest and Event: what a log line or a failed
// test shows instead of "{?}". The names are mio's, as its Debug output
// spells them.
#include <ostream>
#include <string>

#include "metalio/event.hpp"
#include "metalio/interest.hpp"
#include "metalio/token.hpp"

namespace metalio {
namespace {

// Appends @p name to @p text, with " | " between names.
void add_name(std::string& text, const char* name) {
    if (!text.empty()) text += " | ";
    text += name;
}

}  // namespace

std::string Token::to_string() const { return "Token(" + std::to_string(value) + ")"; }

std::ostream& operator<<(std::ostream& out, Token token) { return out << token.to_string(); }

// [interest-to-string]
std::string Interest::to_string() const {
    std::string text;
    if (is_readable()) add_name(text, "READABLE");
    if (is_writable()) add_name(text, "WRITABLE");
    if (is_priority()) add_name(text, "PRIORITY");
    return text;  // never empty: an Interest has at least one bit
}
// [interest-to-string]

std::ostream& operator<<(std::ostream& out, Interest interest) { return out << interest.to_string(); }

std::string Event::to_string() const {
    std::string flags;
    if (is_readable()) add_name(flags, "READABLE");
    if (is_writable()) add_name(flags, "WRITABLE");
    if (is_error()) add_name(flags, "ERROR");
    if (is_read_closed()) add_name(flags, "READ_CLOSED");
    if (is_write_closed()) add_name(flags, "WRITE_CLOSED");
    if (is_priority()) add_name(flags, "PRIORITY");
    return "Event(" + token().to_string() + ", " + (flags.empty() ? std::string("none") : flags) + ")";
}

std::ostream& operator<<(std::ostream& out, const Event& event) { return out << event.to_string(); }

}  // namespace metalio
