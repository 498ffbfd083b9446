#pragma once
// The fixture of the money tests (payments_money_test.cpp against the sandbox and the
// Stripe test server, payments_money_scripted_test.cpp against a scripted gateway):
// capture and reauth enabled on "Ready to Process", and a capture engine driven over
// an order read before the back office writes (CAP-4 under the write lock), on SQLite or
// (pg: tests) on the PostgreSQL twin.

#include <gtest/gtest.h>

#include <functional>

#include "olmd/jobs/capture/capture_job.hpp"
#include "olmd/jobs/capture/follow_ups.hpp"
#include "olmd/store/catalog.hpp"
#include "payments_test_util.hpp"
#include "support/scripted_gateway.hpp"
#include "support/test_clock.hpp"
#include "support/test_services.hpp"

namespace olmd::test {

class MoneyRules : public PaymentsFixture {
protected:
    MoneyRules() {
        cfg.capture.enabled = true;
        cfg.capture.statuses = {"Ready to Process"};
        cfg.reauth.enabled = true;
        cfg.reauth.statuses = {"Ready to Process"};
    }
    std::int64_t replacement(std::int64_t p) {
        return t.scalar("SELECT id FROM payments WHERE replaces_payment_id = " + std::to_string(p));
    }
    /// The back office writes sql now, on the database the job runs on (in pg: tests the twin as well).
    void back_office_exec(const std::string& sql) {
        t.exec(sql);
        if (twin_) twin_->exec(sql);
    }
    /// Drives the capture engine over order o as read now, after back_office() has written (with
    /// back_office_exec, so that it reaches the database the engine reads on either backend).
    jobs::JobStats capture_after_page_read(std::int64_t o, const std::function<void()>& back_office) {
        auto catalog = store::load_catalog(t.db());
        EXPECT_TRUE(catalog.ok());
        const RunId run_id =
            *store::RunRepository(t.db()).open(kPayNow, kPayNow, "capture", store::Trigger::manual, "test");
        jobs::JobStats stats;
        with_job_services(twin_, t, cfg, false, [&](TestServices& services) {
            jobs::JobContext ctx{cfg,   services.get(), *catalog, run_id, kPayNow,
                                 false, nullptr,        nullptr,  nullptr};
            auto settings = jobs::payment_engine::Settings::resolve(cfg, *catalog, JobKind::capture);
            auto ps = services.get().store.payments();
            auto gw = services.get().gateway();
            domain::WriterOptions wo{
                JobKind::capture, run_id,
                kPayNow,          false,
                nullptr,          [&](StatusId id) { return catalog->statuses.name(id); }};
            auto writer = services.get().store.status_writer(wo);
            ASSERT_TRUE(settings.ok() && ps.ok() && gw.ok() && writer.ok());
            jobs::capture::CaptureFollowUps follow_ups;
            jobs::payment_engine::Engine engine(ctx, stats, JobKind::capture, *settings, **ps, **writer, **gw,
                                                follow_ups, nullptr);
            std::vector<jobs::payment_engine::OrderState> states(1);
            states[0].order = **(*ps)->load_order(o);  // the page read
            states[0].status_seen = states[0].order.status_id;
            back_office();
            jobs::capture::CapturePlanner planner(cfg, *settings);
            EXPECT_TRUE(engine.drive(states, planner));
        });
        return stats;
    }
};

inline const PaymentSpec kAgedAuth{
    .amount = 10000, .ref = "sbx_auth_old", .authorized_at = "2026-11-15T09:00:00Z"};

}  // namespace olmd::test
