#pragma once
// The capture and reauth world on the in-memory ports (support/memory_payments.hpp)
// and a scripted gateway (support/scripted_gateway.hpp): the same builders as the
// SQLite fixture (unit/payments_test_util.hpp: order, pay with a PaymentSpec) and
// readers of what the jobs wrote (payment rows, journal, history), so that a CAP or
// RA rule is checked against the real jobs (src/jobs/capture, src/jobs/reauth and
// their payment engine) with no database; the jobs see only RunServices.

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include "olmd/config/config.hpp"
#include "olmd/gateway/gateway.hpp"
#include "olmd/jobs/capture/capture_job.hpp"
#include "olmd/jobs/job.hpp"
#include "olmd/jobs/reauth/reauth_job.hpp"
#include "support/memory_payments.hpp"
#include "support/payment_spec.hpp"
#include "support/scripted_gateway.hpp"
#include "support/seeded_catalog.hpp"

namespace olmd::test {

class MemoryPaymentsWorld : public ::testing::Test {
protected:
    MemoryPaymentsWorld() : catalog(seeded_catalog()) { cfg.daemon.batch_size = 3; }

    /// Adds an order; returns its id.
    OrderId order(const std::string& number, Cents total = 10000, const std::string& status = "Ready to Process",
                  bool is_club = false, bool is_delayed_delivery = false) {
        domain::PaymentOrder o;
        o.id = data.new_id();
        o.number = number;
        o.status_id = *catalog.statuses.id(status);
        o.grand_total_cents = total;
        o.is_club = is_club;
        o.is_delayed_delivery = is_delayed_delivery;
        o.created_at = "2026-11-20T10:00:00Z";
        data.orders.push_back(o);
        return o.id;
    }
    /// Adds a payment to an order and returns its id.
    RowId pay(OrderId order_id, const PaymentSpec& s) {
        const domain::PaymentRow p = payment_row(data.new_id(), order_id, s);
        data.order(order_id)->payments.push_back(p);
        return p.id;
    }

    /// Runs one job as of now (run id 7, then 8, ...) with the scripted gateway; a dry run gets the
    /// dry-run gateway, as the composition root hands it (nothing is sent), and run id 0.
    jobs::JobStats run(JobKind kind, Instant now = kPayNow, bool dry = false, std::ostream* out = nullptr) {
        if (!dry) ++run_id;
        MemoryPaymentsStore store(data);
        std::unique_ptr<domain::Gateway> gw = dry ? gateway::make_dry_run_gateway(cfg.gateway) : script.gateway();
        jobs::RunServices services{store, [&gw] { return Result<domain::Gateway*>(gw.get()); },
                                   [] { return Result<domain::GeoLocator*>(Error{"no locator"}); }};
        jobs::JobContext ctx{cfg, services, catalog, dry ? 0 : run_id, now, dry, out, nullptr, stop};
        jobs::JobStats stats;
        if (kind == JobKind::capture)
            jobs::capture::CaptureJob().run(ctx, stats);
        else
            jobs::reauth::ReauthJob().run(ctx, stats);
        return stats;
    }
    /// explain's text for an order (a dry-run context with the dry-run gateway).
    std::string explain(JobKind kind, const std::string& number, Instant now = kPayNow) {
        MemoryPaymentsStore store(data);
        std::unique_ptr<domain::Gateway> gw = gateway::make_dry_run_gateway(cfg.gateway);
        jobs::RunServices services{store, [&gw] { return Result<domain::Gateway*>(gw.get()); },
                                   [] { return Result<domain::GeoLocator*>(Error{"no locator"}); }};
        jobs::JobContext ctx{cfg, services, catalog, 0, now, true, nullptr, nullptr, nullptr};
        const domain::PaymentOrder* o = nullptr;
        for (const auto& x : data.orders)
            if (x.number == number) o = &x;
        EXPECT_NE(o, nullptr) << number;
        if (o == nullptr) return "";
        jobs::OrderRef ref{o->id, number, o->status_id, 0};
        std::ostringstream out;
        if (kind == JobKind::capture)
            jobs::capture::CaptureJob().explain(ctx, ref, out);
        else
            jobs::reauth::ReauthJob().explain(ctx, ref, out);
        return out.str();
    }

    /// A payment row as the jobs left it.
    const domain::PaymentRow& payment(RowId id) const {
        const domain::PaymentRow* p = data.payment(id);
        EXPECT_NE(p, nullptr) << "no payment " << id;
        static const domain::PaymentRow none;
        return p ? *p : none;
    }
    /// The id of the payment replacing old (0 when none).
    RowId replacement(RowId old) const {
        const domain::PaymentRow* p = data.replacement_of(old);
        return p ? p->id : 0;
    }
    /// The number of payment rows.
    std::size_t payments() const {
        std::size_t n = 0;
        for (const auto& o : data.orders) n += o.payments.size();
        return n;
    }
    /// The order's status name.
    std::string order_status(OrderId id) const { return catalog.statuses.name(data.order(id)->status_id); }
    /// The reason of the order's last history row ("" when none).
    std::string last_reason(OrderId id) const {
        for (auto it = data.history.rbegin(); it != data.history.rend(); ++it)
            if (it->order == id) return it->reason;
        return "";
    }
    /// The journal's operations in id order, comma-separated ("void,authorize").
    std::string journal_operations() const {
        std::string s;
        for (const auto& j : data.journal) s += (s.empty() ? "" : ",") + std::string(domain::to_string(j.op.operation));
        return s;
    }
    /// Journal rows still pending or unknown.
    int open_ops() const {
        int n = 0;
        for (const auto& j : data.journal)
            n += (j.op.state == domain::OpState::pending || j.op.state == domain::OpState::unknown) ? 1 : 0;
        return n;
    }
    /// The requests the gateway received for one authorization ref with one operation.
    int sent_for(domain::Operation op, const std::string& ref) const {
        int n = 0;
        for (const auto& r : script.sent) n += (r.op == op && r.gateway_ref == ref) ? 1 : 0;
        return n;
    }

    MemoryPaymentsData data;
    domain::Catalog catalog;
    config::Config cfg;
    GatewayScript script;
    RunId run_id = 6;
    const std::atomic<bool>* stop = nullptr;  ///< the runs' SIGTERM flag (null = never)
};

}  // namespace olmd::test
