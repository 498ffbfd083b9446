// config.md's status flow: which statuses each enabled job reads and which it can write,
// and the warnings that follow (orders looping, colliding results, failed orders sourced,
// orders that stop, capture that never happens or happens before fraud review).

#include <string>
#include <vector>

#include "checks.hpp"
#include "suggest.hpp"

namespace olmd::config::detail {

namespace {

/// A status a job can write, and the key that names it.
struct Result {
    std::string key;
    std::string status;
};

bool contains(const std::vector<std::string>& list, const std::string& s) {
    for (const auto& x : list)
        if (iequals(x, s)) return true;
    return false;
}

/// What each job can write (rules CAP-4..6, RA-3..5, FR-10..11, SRC-2..16).
std::vector<Result> results_of(const Config& c, JobKind k) {
    std::vector<Result> out;
    auto add = [&](const std::string& key, const std::string& status) {
        if (!status.empty()) out.push_back({key, status});
    };
    switch (k) {
        case JobKind::capture: add("capture.exception_status", c.capture.exception_status); break;
        case JobKind::reauth:
            add("reauth.exception_status", c.reauth.exception_status);
            add("orders.club_reauth_success_status", c.orders.club_reauth_success_status);
            break;
        case JobKind::fraud:
            add("fraud.passed_status", c.fraud.passed_status);
            add("fraud.failed_status", c.fraud.failed_status);
            if (c.fraud.avs.enabled) add("fraud.avs.failed_status", c.fraud.avs.failed_status);
            if (c.fraud.cvv.enabled) add("fraud.cvv.failed_status", c.fraud.cvv.failed_status);
            add("orders.non_compliant_status", c.orders.non_compliant_status);
            break;
        case JobKind::sourcing: {
            for (const auto& [key, value] : c.sourcing.result.named()) add(std::string("sourcing.result.") + key, *value);
            add("orders.no_shipping_method_status", c.orders.no_shipping_method_status);
            if (c.sourcing.ready_to_ship_auth.enabled)
                add("sourcing.ready_to_ship_auth.exception_status", c.sourcing.ready_to_ship_auth.exception_status);
            break;
        }
    }
    return out;
}

/// True when job k's filter selects orders in status s (capture: empty = any).
bool reads(const Config& c, JobKind k, const std::string& s) {
    const JobCommon& j = c.job(k);
    if (!j.enabled) return false;
    if (k == JobKind::capture && j.statuses.empty()) return !iequals(s, c.orders.hold_status);
    return contains(j.statuses, s);
}

void warn_hold_and_loops(LoadContext& ctx) {
    const Config& c = ctx.cfg;
    for (JobKind k : kAllJobs) {
        const JobCommon& j = c.job(k);
        if (!j.enabled) continue;
        const std::string name(job_name(k)), key = name + ".statuses";
        const SourcePos p = ctx.first_pos({key, name + ".enabled"});
        if (contains(j.statuses, c.orders.hold_status))
            ctx.warning(key, p,
                        "lists the hold status " + quote_value(c.orders.hold_status) +
                            " ([orders] hold_status): orders on hold are never selected, so it has no effect");
        for (const auto& r : results_of(c, k)) {
            if (!contains(j.statuses, r.status)) continue;
            ctx.warning(key, p,
                        "lists " + quote_value(r.status) + ", which [" + name + "] itself writes (" + r.key +
                            "): it would pick those orders again every run");
        }
    }
}

void warn_fraud_results(LoadContext& ctx) {
    const Config& c = ctx.cfg;
    const FraudConfig& f = c.fraud;
    if (!f.enabled) return;
    const SourcePos pp = ctx.first_pos({"fraud.passed_status", "fraud.failed_status", "fraud.enabled"});
    std::vector<Result> failed = {{"fraud.failed_status", f.failed_status}};
    if (f.avs.enabled) failed.push_back({"fraud.avs.failed_status", f.avs.failed_status});
    if (f.cvv.enabled) failed.push_back({"fraud.cvv.failed_status", f.cvv.failed_status});
    for (const auto& r : failed) {
        if (!r.status.empty() && iequals(r.status, f.passed_status))
            ctx.warning(r.key, ctx.pos(r.key).line > 0 ? ctx.pos(r.key) : pp,
                        "equals fraud.passed_status " + quote_value(f.passed_status) +
                            ": passed and failed orders end in the same status and cannot be told apart (FR-11)");
        if (c.sourcing.enabled && !r.status.empty() && contains(c.sourcing.statuses, r.status))
            ctx.warning("sourcing.statuses", ctx.first_pos({"sourcing.statuses", r.key}),
                        "lists " + quote_value(r.status) + ", the status fraud gives failed orders (" + r.key +
                            "): orders that failed fraud review would be sourced and shipped");
    }
    bool read = false;
    for (JobKind k : kAllJobs)
        if (k != JobKind::fraud && reads(c, k, f.passed_status)) read = true;
    if (!read)
        ctx.warning("fraud.passed_status", pp,
                    quote_value(f.passed_status) +
                        " is read by no enabled job: orders that pass fraud review stop there (list it in "
                        "[sourcing] statuses, or enable the job that should take them)");
}

void warn_capture_timing(LoadContext& ctx) {
    const Config& c = ctx.cfg;
    const CaptureConfig& cap = c.capture;
    if (!cap.enabled) return;
    const SourcePos p = ctx.first_pos({"capture.statuses", "capture.available_when", "capture.enabled"});
    if (cap.available_when == AvailableWhen::order_fully_shipped && !cap.statuses.empty() &&
        !contains(cap.statuses, c.orders.fully_shipped_status))
        ctx.warning("capture.statuses", p,
                    "available_when = \"order_fully_shipped\" captures only orders in " +
                        quote_value(c.orders.fully_shipped_status) +
                        " ([orders] fully_shipped_status), which these statuses lack: nothing is ever captured "
                        "(CAP-3)");
    const bool on_creation = cap.available_when == AvailableWhen::order_created || cap.delayed_delivery_on_creation;
    if (!on_creation || !c.fraud.enabled) return;
    for (const auto& s : c.fraud.statuses) {
        if (!reads(c, JobKind::capture, s)) continue;
        ctx.warning("capture.statuses", p,
                    "capture on creation selects " + quote_value(s) +
                        ", an input status of [fraud]: cards are charged before fraud review, a chargeback "
                        "exposure (capture after fraud, e.g. statuses the fraud job's passed_status leads to)");
        break;
    }
}

}  // namespace

void check_status_flow(LoadContext& ctx) {
    warn_hold_and_loops(ctx);
    warn_fraud_results(ctx);
    warn_capture_timing(ctx);
}

}  // namespace olmd::config::detail
