// SRC-2..SRC-6: the checks that end an order's sourcing before any unit is
// sourced, in the spec's order.
#include "olmd/jobs/sourcing/prechecks.hpp"

#include <algorithm>
#include <cctype>

#include "olmd/core/country.hpp"
#include "olmd/jobs/fraud/normalize.hpp"

namespace olmd::jobs::sourcing {

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

bool digits(std::string_view s) {
    return std::all_of(s.begin(), s.end(),
                       [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

std::string money(std::int64_t cents) {
    const char* sign = cents < 0 ? "-" : "";
    if (cents < 0) cents = -cents;
    std::string c = std::to_string(cents % 100);
    return sign + std::to_string(cents / 100) + "." + (c.size() < 2 ? "0" + c : c);
}

CheckResult result(StatusId to, std::string reason, const char* rule, std::string why, bool bad = false) {
    return CheckResult{to, std::move(reason), rule, std::move(why), bad};
}

/// Adds an explain line (built only when explaining).
template <class F>
void note(Trace* t, F&& line) {
    if (t) t->push_back(line());
}

}  // namespace

bool valid_us_zip(std::string_view zip) {
    zip = trim(zip);
    if (zip.size() == 5) return digits(zip);
    return zip.size() == 10 && zip[5] == '-' && digits(zip.substr(0, 5)) && digits(zip.substr(6));
}

CheckResult bad_data_result(const Settings& s, const BadData& bad) {
    return result(s.exception, bad.reason, "bad data", bad.detail, true);
}

Result<std::optional<CheckResult>> run_prechecks(const SourcingOrder& o, const Settings& s,
                                                 const ReferenceData& ref, const PaymentsFn& payments,
                                                 Trace* trace) {
    using R = std::optional<CheckResult>;
    if (BadData bad = order_bad_data(o, ref)) return R{bad_data_result(s, bad)};
    // SRC-2
    if (s.no_shipping_method) {
        if (!o.shipping_method_id)
            return R{result(*s.no_shipping_method, "no_shipping_method", "SRC-2",
                            "the order has no shipping method")};
        note(trace, [&] { return std::string("SRC-2: passes (the order has a shipping method)"); });
    } else {
        note(trace,
             [&] { return std::string("SRC-2: skipped ([orders] no_shipping_method_status is empty)"); });
    }

    // SRC-3: the ship country as an ISO code ("USA", "United States" = US); no ship country
    // is not bad data, the check just does not apply (rules.md "country codes").
    const std::string country = country_code(o.ship_country);
    if (country == "US") {
        if (!valid_us_zip(o.ship_zip))
            return R{result(s.zip_format_exception, "invalid_us_zip", "SRC-3",
                            "ship zip \"" + o.ship_zip + "\" is not NNNNN or NNNNN-NNNN")};
        note(trace, [&] {
            return std::string("SRC-3: passes (US ship zip \"" + std::string(trim(o.ship_zip)) +
                               "\" is well formed)");
        });
    } else {
        note(trace, [&] {
            return std::string(country.empty() ? "SRC-3: does not apply (no ship country)"
                                               : "SRC-3: not a US order (ship country " + country + ")");
        });
    }

    // SRC-4
    if (std::find(s.fully_paid_channels.begin(), s.fully_paid_channels.end(), o.channel_id) !=
        s.fully_paid_channels.end()) {
        auto p = payments(o.id);
        if (!p) return p.error();
        if (p->bad) return R{bad_data_result(s, bad_data_of(p->bad))};
        if (o.shipping_method_id)
            if (auto it = ref.shipping_method_bad.find(*o.shipping_method_id); it != ref.shipping_method_bad.end())
                return R{bad_data_result(s, bad_data_of(it->second))};
        const std::int64_t due = std::max<std::int64_t>(0, o.grand_total_cents - p->paid_cents);
        bool cod = false;
        if (o.shipping_method_id) {
            auto it = ref.shipping_method_is_cod.find(*o.shipping_method_id);
            cod = it != ref.shipping_method_is_cod.end() && it->second;
        }
        if (due > 0 && !(s.source_cod && cod))
            return R{result(s.awaiting_payment, "awaiting_payment", "SRC-4",
                            "the channel requires full payment and the balance due is " + money(due) +
                                (cod ? " (COD shipping, but [sourcing] source_cod = false)" : ""))};
        note(trace, [&] {
            return std::string(due == 0 ? "SRC-4: passes (fully paid)"
                                        : "SRC-4: passes (balance due " + money(due) +
                                              ", COD shipping method and source_cod = true)");
        });
    } else {
        note(trace,
             [&] { return std::string("SRC-4: the channel is not in [sourcing] fully_paid_channels"); });
    }

    // SRC-5
    if (s.max_line_items > 0) {
        const auto top =
            std::count_if(o.lines.begin(), o.lines.end(), [](const OrderLine& l) { return !l.parent_id; });
        if (top > s.max_line_items)
            return R{result(s.requires_manual_sourcing, "manual_review", "SRC-5",
                            std::to_string(top) + " top-level lines > manual_review.max_line_items " +
                                std::to_string(s.max_line_items))};
    }
    if (!s.manual_review_states.empty()) {
        const std::string st = fraud::normalize_state(o.ship_state);
        if (!st.empty() && std::find(s.manual_review_states.begin(), s.manual_review_states.end(), st) !=
                               s.manual_review_states.end())
            return R{result(s.requires_manual_sourcing, "manual_review", "SRC-5",
                            "ship state \"" + o.ship_state + "\" is in manual_review.ship_states")};
    }
    note(trace, [&] { return std::string("SRC-5: passes (line count and ship state)"); });

    // SRC-6
    if (!o.lines.empty()) {
        auto all = [&](SkuKind k) {
            return std::all_of(o.lines.begin(), o.lines.end(),
                               [&](const OrderLine& l) { return ref.sku(l.sku_id)->kind == k; });
        };
        if (s.gift_certificates_only && all(SkuKind::gift_certificate))
            return R{result(*s.gift_certificates_only, "gift_certificates_only", "SRC-6",
                            "every line is a gift certificate")};
        if (s.club_membership_only && all(SkuKind::club_membership))
            return R{result(*s.club_membership_only, "club_membership_only", "SRC-6",
                            "every line is a club membership")};
    }
    note(trace, [&] {
        return std::string(
            "SRC-6: the order has lines that are not all gift certificates / club memberships (or those "
            "results are unset)");
    });
    return R{};
}

}  // namespace olmd::jobs::sourcing
