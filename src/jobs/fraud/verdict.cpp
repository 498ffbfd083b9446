// FR-11 resulting status and reason; rules.md "bad data" for the fraud job.
#include "olmd/jobs/fraud/verdict.hpp"

#include <algorithm>

namespace olmd::jobs::fraud {

Result<ResultStatuses> ResultStatuses::resolve(const config::Config& cfg, const domain::Catalog& catalog) {
    const auto& f = cfg.fraud;
    ResultStatuses s;
    struct Want {
        StatusId* into;
        const std::string& name;
        const char* key;
    };
    const std::string& avs = f.avs.failed_status.empty() ? f.failed_status : f.avs.failed_status;
    const std::string& cvv = f.cvv.failed_status.empty() ? f.failed_status : f.cvv.failed_status;
    for (const Want& w : {Want{&s.passed, f.passed_status, "[fraud] passed_status"},
                          Want{&s.failed, f.failed_status, "[fraud] failed_status"},
                          Want{&s.avs_failed, avs, "[fraud.avs] failed_status"},
                          Want{&s.cvv_failed, cvv, "[fraud.cvv] failed_status"},
                          Want{&s.non_compliant, cfg.orders.non_compliant_status, "[orders] non_compliant_status"}}) {
        auto id = catalog.status_id(w.name);
        if (!id) return id.error().with_context(w.key);
        *w.into = *id;
    }
    return s;
}

OrderDecision decide(const Evaluation& e, const ResultStatuses& s) {
    OrderDecision d;
    // Bad data first: the order cannot be judged, whatever else the tests say.
    if (e.problem) {
        d.to = s.non_compliant;
        d.reason = "bad_data:" + e.problem.field;
        d.bad_data = true;
        return d;
    }
    std::string bad;
    for (int i = 0; i < kTestCount; ++i) {
        const auto t = static_cast<TestId>(i);
        if (!e.is(t, Outcome::bad_data)) continue;
        const std::string_view field = e.at(t).bad_field;
        if (bad.find(field) != std::string::npos) continue;  // one field, several tests
        bad += bad.empty() ? "bad_data:" : ",";
        bad += field;
    }
    if (!bad.empty()) {
        d.to = s.non_compliant;
        d.reason = std::move(bad);
        d.bad_data = true;
        return d;
    }
    if (e.is(TestId::ip_address, Outcome::deferred)) {
        d.deferred = true;
        return d;
    }

    bool other_failed = false;
    std::string failed;
    for (int i = 0; i < kTestCount; ++i) {
        const auto t = static_cast<TestId>(i);
        if (!e.is(t, Outcome::fail)) continue;
        if (t != TestId::avs && t != TestId::cvv) other_failed = true;
        failed += failed.empty() ? "fraud_failed:" : ",";
        failed += test_name(t);
    }
    // Notes of tests that did not fail outright (no_bill_country, ip_unknown), in rules.md order.
    std::string notes;
    for (int i = 0; i < kTestCount; ++i) {
        const auto t = static_cast<TestId>(i);
        if (!e.ran[static_cast<std::size_t>(i)] || e.at(t).note.empty()) continue;
        if (!notes.empty()) notes += ",";
        notes += e.at(t).note;
    }
    if (failed.empty()) {
        d.to = s.passed;
        d.reason = notes.empty() ? "fraud_passed" : "fraud_passed:" + notes;
        return d;
    }
    if (!notes.empty()) failed += "," + notes;
    d.to = other_failed                        ? s.failed
           : e.is(TestId::cvv, Outcome::fail) ? s.cvv_failed
                                               : s.avs_failed;
    d.reason = std::move(failed);
    return d;
}

}  // namespace olmd::jobs::fraud
