// FR-9 blacklists: six lists of [fraud.blacklist], each switched on by its own
// check_* flag; a list test fails if the billing OR the shipping value is on it.
// Names are matched as "first last", addresses on address1; values and lists are
// normalized alike (FR-12: states by code or name, US zips on five digits).
#include "detail.hpp"
#include "olmd/jobs/fraud/normalize.hpp"

namespace olmd::jobs::fraud {

namespace {

/// One list's settings: where its values come from and how they are normalized.
struct ListSpec {
    const Rules::List* list;
    const char* what;
    void (*norm)(const Address&, std::string&);
};

ListSpec spec(TestId which, const Rules& r) {
    switch (which) {
        case TestId::blacklist_zip:
            return {&r.zips, "zip", [](const Address& a, std::string& out) { normalize_zip_into(a.zip, out); }};
        case TestId::blacklist_city:
            return {&r.cities, "city", [](const Address& a, std::string& out) { normalize_into(a.city, out); }};
        case TestId::blacklist_state:
            return {&r.states, "state", [](const Address& a, std::string& out) { normalize_state_into(a.state, out); }};
        case TestId::blacklist_name:
            return {&r.names, "name",
                    [](const Address& a, std::string& out) { normalize_name_into(a.first_name, a.last_name, out); }};
        case TestId::blacklist_address:
            return {&r.addresses, "address1",
                    [](const Address& a, std::string& out) { normalize_into(a.address1, out); }};
        default:
            return {&r.emails, "email", [](const Address& a, std::string& out) { normalize_into(a.email, out); }};
    }
}

}  // namespace

TestResult check_blacklist(TestId which, const FraudOrder& o, const Rules& r, bool detail) {
    const ListSpec s = spec(which, r);
    std::string bill, ship;
    s.norm(o.bill, bill);
    s.norm(o.ship, ship);
    // An empty value is never listed: the config drops empty items.
    const bool bill_hit = !bill.empty() && s.list->count(bill) > 0;
    const bool ship_hit = !ship.empty() && s.list->count(ship) > 0;
    return detail::result(bill_hit || ship_hit ? Outcome::fail : Outcome::pass, detail, [&] {
        auto side = [&](const char* who, const std::string& v, bool hit) {
            return std::string(who) + " " + s.what + " " + detail::q(v) + (hit ? " is listed" : " is not listed");
        };
        return side("bill", bill, bill_hit) + "; " + side("ship", ship, ship_hit);
    });
}

}  // namespace olmd::jobs::fraud
