// The fraud job's run: FR-1 selection through the repository, the enabled tests
// per order, FR-11's status written through the shared batch loop. FR-7 lookups
// go through a per-run cache; a service failing for the whole job is MON-3's
// "geolocation service failing" (stats.failure), while the run goes on.
#include "olmd/jobs/fraud/fraud_job.hpp"

#include <spdlog/spdlog.h>

#include "olmd/jobs/batch_loop.hpp"
#include "olmd/jobs/fraud/ip_address.hpp"
#include "olmd/jobs/fraud/selection.hpp"
#include "olmd/jobs/fraud/verdict.hpp"

namespace olmd::jobs::fraud {

namespace {

/// Stands in for a locator that could not be built: every lookup is an error, so
/// [fraud.ip_address] on_error decides and the job reports the failure.
class FailingLocator final : public domain::GeoLocator {
public:
    explicit FailingLocator(std::string why) : why_(std::move(why)) {}
    domain::GeoAnswer lookup(const std::string&) override {
        return domain::GeoAnswer{domain::GeoStatus::error, {}, why_};
    }

private:
    std::string why_;
};

std::string_view policy_name(config::OnError p) {
    switch (p) {
        case config::OnError::defer: return "defer";
        case config::OnError::pass: return "pass";
        case config::OnError::fail: return "fail";
    }
    return "?";
}

/// MON-3: the geolocation service failed for the whole job.
std::string lookup_failure(const RunLocator& l, config::OnError policy, const JobStats& stats) {
    std::string s = "ip_address lookups failed: " + l.last_error() + "; ";
    if (policy == config::OnError::defer) return s + std::to_string(stats.deferred) + " orders deferred";
    return s + std::to_string(l.errors()) + " lookups treated as \"" + std::string(policy_name(policy)) +
           "\" ([fraud.ip_address] on_error)";
}

void add_failure(JobStats& stats, const std::string& msg) {
    stats.failure = stats.failure.empty() ? msg : stats.failure + "; " + msg;
}

}  // namespace

void FraudJob::run(JobContext& ctx, JobStats& stats) {
    const config::FraudConfig& f = ctx.cfg.fraud;
    auto selection = resolve_selection(ctx.cfg, ctx.catalog);
    if (!selection) return add_failure(stats, selection.error().message);
    auto statuses = ResultStatuses::resolve(ctx.cfg, ctx.catalog);
    if (!statuses) return add_failure(stats, statuses.error().message);
    const Rules rules = Rules::from_config(f);

    // FR-7: no remote call in a dry run (such orders are deferred); a local .mmdb is read.
    std::unique_ptr<FailingLocator> failing;
    std::unique_ptr<RunLocator> locator;
    if (rules.on(TestId::ip_address) && !(ctx.dry_run && f.ip_address.service != config::IpService::mmdb)) {
        domain::GeoLocator* service = nullptr;
        if (auto made = ctx.services.locator()) {
            service = *made;
        } else {
            spdlog::error("fraud: {}", made.error().message);
            failing = std::make_unique<FailingLocator>(made.error().message);
            service = failing.get();
        }
        locator = std::make_unique<RunLocator>(*service, f.ip_address.service == config::IpService::mmdb
                                                             ? RunLocator::kLocalFileGeneration
                                                             : RunLocator::kServiceGeneration);
    }

    auto reader = ctx.services.store.fraud_orders(selection->filter);
    if (!reader) return add_failure(stats, reader.error().message);
    if (ctx.progress)
        if (auto n = (*reader)->count()) ctx.progress->selected.store(*n, std::memory_order_relaxed);

    auto writer = ctx.services.store.status_writer({JobKind::fraud, ctx.run_id, ctx.now, ctx.dry_run, ctx.out,
                                                    [&ctx](StatusId id) { return ctx.catalog.statuses.name(id); }});
    if (!writer) return add_failure(stats, writer.error().message);
    const PageReader<FraudOrder> read = [&reader](RowId after, int limit) { return (*reader)->page(after, limit); };
    const std::function<OrderDecision(const FraudOrder&)> decide_order = [&](const FraudOrder& o) {
        OrderDecision d = decide(evaluate(o, rules, locator.get(), false), *statuses);
        if (d.deferred && ctx.dry_run && ctx.out)
            *ctx.out << "would defer order " << o.number
                     << (locator ? " (fraud: ip_address lookup failed, [fraud.ip_address] on_error = \"defer\")\n"
                                 : " (fraud: ip_address not looked up: no remote lookup in a dry run)\n");
        return d;
    };
    // Each order is judged on its own row, so the next page can be read and decided while this one is
    // written (two threads); a dry run keeps one thread, so its lines come out in order.
    if (!ctx.dry_run && (*reader)->reads_beside_writer())
        process_in_batches_overlapped(ctx, stats, **writer, read, decide_order);
    else
        process_in_batches(ctx, stats, **writer, read, decide_order);

    if (locator) {
        spdlog::info("fraud: ip_address lookups: {} sent, {} from the cache, {} errors", locator->calls(),
                     locator->cache_hits(), locator->errors());
        if (locator->failing()) add_failure(stats, lookup_failure(*locator, f.ip_address.on_error, stats));
    }
}

}  // namespace olmd::jobs::fraud

namespace olmd::jobs {

std::unique_ptr<Job> make_fraud_job() { return std::make_unique<fraud::FraudJob>(); }

}  // namespace olmd::jobs
