#pragma once
// The sourcing order builder both sourcing worlds take (the SQLite one,
// unit/sourcing_fixture.hpp, and the in-memory one, unit/sourcing_memory_fixture.hpp):
// one order's fields that sourcing reads, every one with a usable default, so a test
// names only what it is about.

#include <cstdint>
#include <optional>
#include <string>

namespace olmd::test {

/// One order's fields that sourcing reads; every one has a usable default.
struct SrcOrder {
    std::string number = "S-1";
    std::string status = "Ready to Source";
    std::string channel = "Website";
    std::optional<std::string> shipping_method = std::string("Ground");
    std::string ship_country = "US";
    std::string ship_zip = "12866";
    std::string ship_state = "NY";
    std::int64_t grand_total_cents = 10000;
    std::string created_at = "2026-11-20T10:00:00Z";
};

}  // namespace olmd::test
