// Readers of the four job sections: [capture], [reauth], [fraud], [sourcing].

#include <cctype>

#include "olmd/core/country.hpp"
#include "section_readers.hpp"
#include "suggest.hpp"

namespace olmd::config::detail {

namespace {

/// slots and cron (SCH-1), validated with the schedule_spec parsers (every bad
/// slot is reported); cron = "" means no cron; both at once is an error.
void read_schedule(TableReader& r, Schedule& out) {
    std::vector<std::string> slot_texts;
    if (r.list("slots", slot_texts)) {
        bool all_ok = true;
        for (const auto& s : slot_texts) {
            auto one = parse_slots({s});
            if (!one.ok()) {
                r.error("slots", one.error().message);
                all_ok = false;
            }
        }
        if (all_ok) out.slots = *parse_slots(slot_texts);
    }
    std::string cron_text;
    const bool has_cron = r.text("cron", cron_text) && cron_text.find_first_not_of(" \t") != std::string::npos;
    if (has_cron) {  // "" = no cron, like the key being absent
        auto parsed = parse_cron(cron_text);
        if (parsed.ok()) out.cron = std::move(*parsed);
        else r.error("cron", parsed.error().message);
    }
    if (has_cron && !slot_texts.empty())
        r.error("cron", "\"slots\" and \"cron\" are both set; a job has one schedule, remove one of them (SCH-1)");
}

/// enabled, slots/cron, statuses.
void read_common(TableReader& r, JobCommon& c) {
    r.boolean("enabled", c.enabled);
    read_schedule(r, c.schedule);
    r.list("statuses", c.statuses);
}

void read_toggle(TableReader r, FraudConfig::Toggle& t) {
    r.boolean("enabled", t.enabled);
    r.finish();
}

void read_ip_address(TableReader r, FraudConfig::IpAddress& c) {
    r.boolean("enabled", c.enabled);
    r.choice("service", c.service,
             {{"maxmind", IpService::maxmind}, {"kickfire", IpService::kickfire}, {"mmdb", IpService::mmdb}});
    r.choice("on_error", c.on_error, {{"defer", OnError::defer}, {"pass", OnError::pass}, {"fail", OnError::fail}});
    r.integer("timeout_ms", c.timeout_ms, 1, 60000);
    r.text("account_id", c.account_id);
    r.text("license_key_file", c.license_key_file);
    r.text("key_file", c.key_file);
    r.text("database", c.database);
    // `url` is the base URL of whichever web service is configured.
    std::string url;
    const bool has_url = r.text("url", url);
    const std::string why = has_url && c.service != IpService::mmdb ? secret_url_problem(url) : "";
    if (!why.empty()) {
        r.error("url", why);
    } else if (has_url) {
        switch (c.service) {
            case IpService::maxmind: c.maxmind_url = url; break;
            case IpService::kickfire: c.kickfire_url = url; break;
            case IpService::mmdb:
                r.warning("url", "has no effect with service = \"mmdb\" (it is the base URL of maxmind or kickfire)");
                break;
        }
    }
    r.finish();
}

void read_blacklist(TableReader r, FraudConfig::Blacklist& c) {
    r.list("zips", c.zips);
    r.list("cities", c.cities);
    r.list("states", c.states);
    r.list("names", c.names);
    r.list("addresses", c.addresses);
    r.list("emails", c.emails);
    r.boolean("check_zips", c.check_zips);
    r.boolean("check_cities", c.check_cities);
    r.boolean("check_states", c.check_states);
    r.boolean("check_names", c.check_names);
    r.boolean("check_addresses", c.check_addresses);
    r.boolean("check_emails", c.check_emails);
    if (r.take("enabled"))
        r.error("enabled", "[fraud.blacklist] has no \"enabled\" key: each list is switched on by its own flag "
                           "(check_zips, check_cities, check_states, check_names, check_addresses, check_emails)");
    r.finish();
}

void read_processor_check(TableReader r, FraudConfig::ProcessorCheck& c) {
    r.boolean("enabled", c.enabled);
    r.name("failed_status", c.failed_status, true);
    r.finish();
}

/// FR-6/FR-7: the home country as an ISO 3166-1 alpha-2 code ("USA", "United States" = "US",
/// rules.md "country codes"). Two letters that are no assigned code are kept, with a warning;
/// anything else is not a country at all: an error.
void read_home_country(TableReader& r, std::string& out) {
    std::string v;
    if (!r.name("home_country", v, false)) return;
    const std::string code = country_code(v);
    const bool letters = code.size() == 2 && std::isalpha(static_cast<unsigned char>(code[0])) &&
                         std::isalpha(static_cast<unsigned char>(code[1]));
    if (is_iso_country(code)) {
        out = code;
    } else if (letters) {
        out = code;
        r.warning("home_country", quote_value(v) + " is not an assigned ISO 3166-1 country code: orders' bill "
                                  "countries are compared with it as written");
    } else {
        r.error("home_country", "expected a country: a two-letter or three-letter ISO 3166-1 code or its English "
                                "name, such as \"US\", \"USA\" or \"United States\", got " + quote_value(v));
    }
}

}  // namespace

void read_capture(TableReader r, CaptureConfig& c) {
    read_common(r, c);
    r.choice("available_when", c.available_when,
             {{"order_created", AvailableWhen::order_created},
              {"order_fully_shipped", AvailableWhen::order_fully_shipped}});
    r.boolean("delayed_delivery_on_creation", c.delayed_delivery_on_creation);
    r.boolean("reauthorize_on_failure", c.reauthorize_on_failure);
    r.name("exception_status", c.exception_status, false);
    r.finish();
}

void read_reauth(TableReader r, ReauthConfig& c) {
    read_common(r, c);
    r.integer("after_days", c.after_days, 0, 365);
    r.choice("order", c.order,
             {{"void_then_authorize", ReauthOrder::void_then_authorize},
              {"authorize_then_void", ReauthOrder::authorize_then_void}});
    r.name("exception_status", c.exception_status, false);
    r.finish();
}

void read_fraud(TableReader r, FraudConfig& c) {
    read_common(r, c);
    r.list("channels", c.channels);
    read_home_country(r, c.home_country);
    r.name("passed_status", c.passed_status, false);
    r.name("failed_status", c.failed_status, false);
    {
        TableReader g = r.section("grand_total");
        g.boolean("enabled", c.grand_total.enabled);
        g.amount("threshold", c.grand_total.threshold);
        g.finish();
    }
    {
        TableReader s = r.section("shipping_method");
        s.boolean("enabled", c.shipping_method.enabled);
        s.list("methods", c.shipping_method.methods);
        s.finish();
    }
    read_toggle(r.section("grand_total_and_shipping_method"), c.grand_total_and_shipping_method);
    read_toggle(r.section("compare_states"), c.compare_states);
    read_toggle(r.section("international_billing"), c.international_billing);
    read_toggle(r.section("compare_zips"), c.compare_zips);
    read_ip_address(r.section("ip_address"), c.ip_address);
    read_blacklist(r.section("blacklist"), c.blacklist);
    read_processor_check(r.section("avs"), c.avs);
    read_processor_check(r.section("cvv"), c.cvv);
    r.finish();
}

void read_sourcing(TableReader r, SourcingConfig& c) {
    read_common(r, c);
    r.list("fully_paid_channels", c.fully_paid_channels);
    r.boolean("source_cod", c.source_cod);
    r.choice("partial_shipping", c.partial_shipping,
             {{"partial", PartialShipping::partial}, {"none", PartialShipping::none}});
    r.boolean("exclude_drop_ship", c.exclude_drop_ship);
    {
        TableReader m = r.section("manual_review");
        m.integer("max_line_items", c.manual_review.max_line_items, 0, 100000);
        m.list("ship_states", c.manual_review.ship_states);
        m.finish();
    }
    {
        TableReader s = r.section("stock");
        s.boolean("auto_backorder", c.stock.auto_backorder);
        s.boolean("auto_fulfill_backorders", c.stock.auto_fulfill_backorders);
        s.finish();
    }
    for (auto [key, vs] : {std::pair{"jit", &c.jit}, std::pair{"dropship", &c.dropship}}) {
        TableReader v = r.section(key);
        v.boolean("stock_first", vs->stock_first);
        v.boolean("source_default_vendor", vs->source_default_vendor);
        v.finish();
    }
    {
        TableReader a = r.section("ready_to_ship_auth");
        a.boolean("enabled", c.ready_to_ship_auth.enabled);
        a.name("exception_status", c.ready_to_ship_auth.exception_status, false);
        a.finish();
    }
    {
        TableReader s = r.section("result");
        auto& x = c.result;
        s.name("requires_manual_sourcing", x.requires_manual_sourcing, false);
        s.name("exception", x.exception, false);
        s.name("in_shipping", x.in_shipping, false);
        s.name("in_shipping_split", x.in_shipping_split, false);
        s.name("awaiting_inventory", x.awaiting_inventory, false);
        s.name("awaiting_dropship", x.awaiting_dropship, false);
        s.name("awaiting_payment", x.awaiting_payment, false);
        s.name("zip_format_exception", x.zip_format_exception, false);
        s.name("gift_certificates_only", x.gift_certificates_only, true);
        s.name("club_membership_only", x.club_membership_only, true);
        s.finish();
    }
    r.finish();
}

}  // namespace olmd::config::detail
