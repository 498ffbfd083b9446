// The [fraud] settings prepared once per run: test flags, and every list
// normalized the way its test compares (FR-12), so no order pays for it.
#include "olmd/core/country.hpp"
#include "olmd/jobs/fraud/normalize.hpp"
#include "olmd/jobs/fraud/rules.hpp"

namespace olmd::jobs::fraud {

namespace {

using Normalizer = void (*)(std::string_view, std::string&);

Rules::List normalized(const std::vector<std::string>& items, Normalizer norm) {
    Rules::List out;
    std::string buf;
    for (const auto& item : items) {
        norm(item, buf);
        if (!buf.empty()) out.insert(buf);
    }
    return out;
}

/// Names are compared as "first last" with blanks folded, i.e. plainly normalized.
void normalize_plain(std::string_view s, std::string& out) { normalize_into(s, out); }

}  // namespace

Rules Rules::from_config(const config::FraudConfig& c) {
    Rules r;
    auto set = [&r](TestId t, bool on) { r.enabled[static_cast<int>(t)] = on; };
    set(TestId::grand_total, c.grand_total.enabled);
    set(TestId::shipping_method, c.shipping_method.enabled);
    set(TestId::grand_total_and_shipping_method, c.grand_total_and_shipping_method.enabled);
    set(TestId::compare_states, c.compare_states.enabled);
    set(TestId::international_billing, c.international_billing.enabled);
    set(TestId::ip_address, c.ip_address.enabled);
    set(TestId::compare_zips, c.compare_zips.enabled);
    set(TestId::blacklist_zip, c.blacklist.check_zips);
    set(TestId::blacklist_city, c.blacklist.check_cities);
    set(TestId::blacklist_state, c.blacklist.check_states);
    set(TestId::blacklist_name, c.blacklist.check_names);
    set(TestId::blacklist_address, c.blacklist.check_addresses);
    set(TestId::blacklist_email, c.blacklist.check_emails);
    set(TestId::avs, c.avs.enabled);
    set(TestId::cvv, c.cvv.enabled);

    r.threshold = c.grand_total.threshold.value_or(0);
    for (const auto& m : c.shipping_method.methods)
        if (auto n = normalize(m); !n.empty()) r.methods.push_back(std::move(n));
    r.home_country = country_code(c.home_country);  // "USA" = "US" (the config reader folds it too)
    r.on_error = c.ip_address.on_error;

    const auto& b = c.blacklist;
    r.zips = normalized(b.zips, normalize_zip_into);
    r.cities = normalized(b.cities, normalize_plain);
    r.states = normalized(b.states, normalize_state_into);
    r.names = normalized(b.names, normalize_plain);
    r.addresses = normalized(b.addresses, normalize_plain);
    r.emails = normalized(b.emails, normalize_plain);
    return r;
}

}  // namespace olmd::jobs::fraud
