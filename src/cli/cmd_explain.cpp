// olmd explain: for one order, what each enabled job would do and why, without writing.
#include <iostream>

#include "cli/command_options.hpp"
#include "cli/commands.hpp"
#include "olmd/daemon/run_resources.hpp"
#include "cli/common.hpp"
#include "olmd/core/zone.hpp"
#include "olmd/domain/clock.hpp"
#include "olmd/jobs/job.hpp"
#include "olmd/store/orders.hpp"

namespace olmd::cli {

int cmd_explain(const Globals& g, std::vector<std::string> args) {
    cxxopts::Options options("olmd explain",
                             "For one order: for each enabled job, whether it would select the order, and what it "
                             "would do and why (rule ids). Writes nothing.");
    options.add_options()("order", "the order_number", cxxopts::value<std::string>())(
        "n,now", "evaluate as of this TIME (default: the wall clock)", cxxopts::value<std::string>());
    options.parse_positional({"order"});
    options.positional_help("ORDER_NUMBER");
    int status = 0;
    auto r = parse_command(options, args, status);
    if (!r) return status;
    if (int e = reject_extra(*r, options.program()); e >= 0) return e;
    if (!r->count("order")) return report(Error{"explain needs an ORDER_NUMBER (see olmd explain --help)", exit_code::usage});
    const std::string number = r->operator[]("order").as<std::string>();

    auto cfg = load_config(g, false);
    if (!cfg) return exit_code::failure;
    auto tz = resolve_zone(cfg->daemon.timezone);
    if (!tz) return report(tz.error());
    const domain::SystemClock clock;
    Instant now = clock.now();
    if (r->count("now")) {
        auto t = parse_time_arg(r->operator[]("now").as<std::string>(), *tz);
        if (!t) return report(t.error());
        now = *t;
    }
    int open_status = 0;
    auto db = open_backend(*cfg, true, open_status);
    if (!db) return open_status;
    auto catalog = db->catalog();
    if (!catalog) return report(catalog.error());
    auto order = db->find_order(number);
    if (!order) return report(order.error());
    if (!*order) return report(Error{"no order with order_number \"" + number + "\"", exit_code::failure});

    std::cout << "order " << (*order)->number << " (id " << (*order)->id << "): status "
              << catalog->statuses.name((*order)->status_id) << ", channel " << catalog->channels.name((*order)->channel_id)
              << ", as of " << format_utc(now) << "\n";
    if ((*order)->status_id == catalog->statuses.id(cfg->orders.hold_status).value_or(-1))
        std::cout << "  the order is in the hold status \"" << cfg->orders.hold_status << "\": no job touches it\n";
    const jobs::JobSet set = jobs::make_job_set();
    daemon::RunResources resources(*db, *cfg, true, clock, never_stopped());
    jobs::JobContext ctx{*cfg, resources.services(), *catalog, 0, now, true, nullptr, nullptr, nullptr};
    for (JobKind k : kAllJobs) {
        std::cout << job_name(k) << ":\n";
        if (!cfg->job(k).enabled) {
            std::cout << "  disabled ([" << job_name(k) << "] enabled = false)\n";
            continue;
        }
        jobs::Job* job = set.get(k);
        if (job == nullptr) {
            std::cout << "  not available in this build of olmd\n";
            continue;
        }
        job->explain(ctx, **order, std::cout);
    }
    return exit_code::ok;
}

}  // namespace olmd::cli
