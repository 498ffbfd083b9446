// olmd schedule: the next N fire times after TIME, with the jobs due at each.
#include <iostream>

#include "cli/command_options.hpp"
#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "olmd/core/zone.hpp"
#include "olmd/domain/clock.hpp"
#include "olmd/schedule/fire_times.hpp"

namespace olmd::cli {

int cmd_schedule(const Globals& g, std::vector<std::string> args) {
    cxxopts::Options options("olmd schedule",
                             "Print the next N fire times after TIME, one per line: local time with offset, then "
                             "the jobs due.");
    options.add_options()("f,from", "start after this TIME (default: now)", cxxopts::value<std::string>())(
        "n,count", "how many fire times (default 10)", cxxopts::value<std::string>()->default_value("10"));
    int status = 0;
    auto r = parse_command(options, args, status);
    if (!r) return status;
    if (int e = reject_extra(*r, options.program()); e >= 0) return e;
    long count = 0;
    try {
        std::size_t used = 0;
        const std::string c = r->operator[]("count").as<std::string>();
        count = std::stol(c, &used);
        if (used != c.size() || count < 1 || count > 100000) throw std::invalid_argument(c);
    } catch (const std::exception&) {
        return report(Error{"--count must be a whole number from 1 to 100000", exit_code::usage});
    }
    auto cfg = load_config(g, false);
    if (!cfg) return exit_code::failure;
    auto calc = schedule::FireTimeCalculator::create(*cfg);
    if (!calc) return report(calc.error());
    Instant from = domain::SystemClock().now();
    if (r->count("from")) {
        auto t = parse_time_arg(r->operator[]("from").as<std::string>(), calc->zone());
        if (!t) return report(t.error());
        from = *t;
    }
    if (calc->empty()) {
        std::cerr << "olmd: no enabled job has slots or cron in " << g.config_path << "; nothing fires\n";
        return exit_code::ok;
    }
    Instant t = from;
    for (long i = 0; i < count; ++i) {
        auto f = calc->next_after(t);
        if (!f) break;
        std::cout << schedule::format_fire_time(*f) << "\n";
        t = f->at;
    }
    return exit_code::ok;
}

}  // namespace olmd::cli
