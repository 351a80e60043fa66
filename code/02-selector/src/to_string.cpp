// The text forms of Token, Interest and Event: what a log line or a failed
// test shows instead of "{?}". The names are mio's, as its Debug output
// spells them.
#include <initializer_list>
#include <ostream>
#include <string>

#include "metalio/event.hpp"
#include "metalio/interest.hpp"
#include "metalio/token.hpp"

namespace metalio {
namespace {

// [interest-to-string]
// One named flag, and whether it is set.
struct Flag {
    bool set;
    const char* name;
};

// The names of the flags that are set, with " | " between them.
std::string names(std::initializer_list<Flag> flags) {
    std::string text;
    for (const Flag& flag : flags) {
        if (!flag.set) continue;
        if (!text.empty()) text += " | ";
        text += flag.name;
    }
    return text;
}

}  // namespace

std::string Interest::to_string() const {
    // Never empty: an Interest has at least one bit.
    return names({{is_readable(), "READABLE"}, {is_writable(), "WRITABLE"}, {is_priority(), "PRIORITY"}});
}
// [interest-to-string]

std::ostream& operator<<(std::ostream& out, Interest interest) { return out << interest.to_string(); }

std::string Token::to_string() const { return "Token(" + std::to_string(value) + ")"; }

std::ostream& operator<<(std::ostream& out, Token token) { return out << token.to_string(); }

std::string Event::to_string() const {
    const std::string flags = names({{is_readable(), "READABLE"},
                                     {is_writable(), "WRITABLE"},
                                     {is_error(), "ERROR"},
                                     {is_read_closed(), "READ_CLOSED"},
                                     {is_write_closed(), "WRITE_CLOSED"},
                                     {is_priority(), "PRIORITY"}});
    return "Event(" + token().to_string() + ", " + (flags.empty() ? std::string("none") : flags) + ")";
}

std::ostream& operator<<(std::ostream& out, const Event& event) { return out << event.to_string(); }

}  // namespace metalio
