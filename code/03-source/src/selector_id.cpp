#include "metalio/selector_id.hpp"

namespace metalio {

// [associate]
io::Result<void> SelectorId::associate(const Registry& registry) noexcept {
    const std::size_t mine = registry.selector().id();
    std::size_t current = 0;
    if (id_.compare_exchange_strong(current, mine)) return {};
    return std::unexpected(make_error_code(current == mine ? Errc::already_registered : Errc::registered_elsewhere));
}
// [associate]

io::Result<void> SelectorId::check_association(const Registry& registry) const noexcept {
    const std::size_t current = id_.load();
    if (current == registry.selector().id()) return {};
    return std::unexpected(make_error_code(current == 0 ? Errc::not_registered : Errc::registered_elsewhere));
}

io::Result<void> SelectorId::remove_association(const Registry& registry) noexcept {
    if (auto checked = check_association(registry); !checked) return checked;
    id_.store(0);
    return {};
}

}  // namespace metalio
