// The payment engine's vocabulary: the workflow steps a journaled request belongs to,
// the status ids a payment job uses, and the one-line description of a payment.
#include <array>
#include <sstream>

#include "olmd/jobs/payment_engine/engine.hpp"

namespace olmd::jobs::payment_engine {

namespace {

struct PurposeInfo {
    Purpose p;
    std::string_view name;
    JobKind job;
    domain::Operation op;
};

constexpr std::array<PurposeInfo, 11> kPurposes = {{
    {Purpose::capture, "capture", JobKind::capture, domain::Operation::capture},
    {Purpose::capture_void, "capture_void", JobKind::capture, domain::Operation::void_auth},
    {Purpose::cap6_authorize, "cap6_authorize", JobKind::capture, domain::Operation::authorize},
    {Purpose::cap6_capture, "cap6_capture", JobKind::capture, domain::Operation::capture},
    {Purpose::cap6_void, "cap6_void", JobKind::capture, domain::Operation::void_auth},
    {Purpose::ra_void_first, "ra_void_first", JobKind::reauth, domain::Operation::void_auth},
    {Purpose::ra_authorize_after_void, "ra_authorize_after_void", JobKind::reauth, domain::Operation::authorize},
    {Purpose::ra_authorize_first, "ra_authorize_first", JobKind::reauth, domain::Operation::authorize},
    {Purpose::ra_void_after_authorize, "ra_void_after_authorize", JobKind::reauth, domain::Operation::void_auth},
    {Purpose::ra_void_new, "ra_void_new", JobKind::reauth, domain::Operation::void_auth},
    {Purpose::club_authorize, "club_authorize", JobKind::reauth, domain::Operation::authorize},
}};

const PurposeInfo& info(Purpose p) {
    for (const auto& i : kPurposes)
        if (i.p == p) return i;
    return kPurposes[0];
}

}  // namespace

std::string_view purpose_name(Purpose p) { return info(p).name; }

std::optional<Purpose> purpose_from_name(std::string_view s) {
    for (const auto& i : kPurposes)
        if (!i.name.empty() && i.name == s) return i.p;
    return std::nullopt;
}

JobKind purpose_job(Purpose p) { return info(p).job; }

domain::Operation purpose_operation(Purpose p) { return info(p).op; }

std::vector<std::string> purpose_names_of(JobKind job) {
    std::vector<std::string> v;
    for (const auto& i : kPurposes)
        if (!i.name.empty() && i.job == job) v.emplace_back(i.name);
    return v;
}

Result<Settings> Settings::resolve(const config::Config& cfg, const domain::Catalog& catalog, JobKind job) {
    Settings s;
    s.hold = catalog.statuses.id(cfg.orders.hold_status).value_or(0);
    for (RowId id : catalog.statuses.ids()) s.known_statuses.insert(id);
    auto need = [&](const std::string& name, const std::string& key, StatusId& out) -> Status {
        auto id = catalog.statuses.id(name);
        if (!id) return Error{key + " = \"" + name + "\" is not a status of the database (olmd check-config)"};
        out = *id;
        return ok_status();
    };
    auto list = [&](const std::vector<std::string>& names, const std::string& key,
                    std::vector<StatusId>& out) -> Status {
        for (const auto& n : names) {
            StatusId id = 0;
            if (auto st = need(n, key, id); !st) return st;
            out.push_back(id);
        }
        return ok_status();
    };
    Status st;
    if (st = need(cfg.orders.club_cc_exception_status, "[orders] club_cc_exception_status", s.club_exception); !st)
        return st.error();
    if (job == JobKind::capture) {
        if (st = list(cfg.capture.statuses, "[capture] statuses", s.capture_statuses); !st) return st.error();
        if (st = need(cfg.capture.exception_status, "[capture] exception_status", s.capture_exception); !st)
            return st.error();
        // CAP-3: fully shipped matters for order_fully_shipped and for delayed-delivery orders.
        if (cfg.capture.available_when == config::AvailableWhen::order_fully_shipped ||
            !cfg.capture.delayed_delivery_on_creation)
            if (st = need(cfg.orders.fully_shipped_status, "[orders] fully_shipped_status", s.fully_shipped); !st)
                return st.error();
    } else {
        if (st = list(cfg.reauth.statuses, "[reauth] statuses", s.reauth_statuses); !st) return st.error();
        if (st = need(cfg.reauth.exception_status, "[reauth] exception_status", s.reauth_exception); !st)
            return st.error();
        if (st = need(cfg.orders.club_reauth_success_status, "[orders] club_reauth_success_status", s.club_success);
            !st)
            return st.error();
    }
    return s;
}

std::string describe_payment(const domain::PaymentRow& p) {
    std::ostringstream o;
    o << "payment " << p.id << " (" << p.method << ", " << p.status << ", amount " << format_cents(p.amount_cents);
    if (p.captured_cents != 0) o << ", captured " << format_cents(p.captured_cents);
    if (!p.gateway_ref.empty()) o << ", gateway_ref " << p.gateway_ref;
    if (!p.customer_ref.empty()) o << ", customer " << p.customer_ref;
    o << ")";
    return o.str();
}

}  // namespace olmd::jobs::payment_engine
