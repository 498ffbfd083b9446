// olmd status: the last N runs (fire time, duration, outcome, per-job counts,
// warnings sent) and the next fire time.
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/command_options.hpp"
#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "olmd/core/zone.hpp"
#include "olmd/domain/clock.hpp"
#include "olmd/schedule/fire_times.hpp"
#include "olmd/store/runs.hpp"

namespace olmd::cli {

namespace {

std::string duration_text(const std::string& started, const std::string& finished) {
    auto a = parse_utc(started);
    auto b = parse_utc(finished);
    if (!a || !b) return "-";
    const auto s = (*b - *a).count();
    if (s < 60) return std::to_string(s) + "s";
    return std::to_string(s / 60) + "m" + std::to_string(s % 60) + "s";
}

std::string job_counts(const std::string& summary) {
    const auto j = nlohmann::json::parse(summary, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return summary;
    std::string out;
    for (const auto& [name, s] : j.items()) {
        if (!out.empty()) out += "; ";
        out += name + " " + std::to_string(s.value("selected", 0)) + " sel/" + std::to_string(s.value("changed", 0)) +
               " chg";
        if (s.value("skipped_concurrent", 0) > 0) out += "/" + std::to_string(s.value("skipped_concurrent", 0)) + " conc";
        if (s.value("deferred", 0) > 0) out += "/" + std::to_string(s.value("deferred", 0)) + " def";
        if (s.value("errors", 0) > 0) out += "/" + std::to_string(s.value("errors", 0)) + " err";
        if (s.contains("failure")) out += " FAILED: " + s["failure"].get<std::string>();
    }
    return out;
}

}  // namespace

int cmd_status(const Globals& g, std::vector<std::string> args) {
    cxxopts::Options options("olmd status", "The last N runs and the next fire time.");
    options.add_options()("r,runs", "how many runs (default 10)", cxxopts::value<std::string>()->default_value("10"));
    int status = 0;
    auto r = parse_command(options, args, status);
    if (!r) return status;
    if (int e = reject_extra(*r, options.program()); e >= 0) return e;
    int n = 0;
    try {
        std::size_t used = 0;
        const std::string c = r->operator[]("runs").as<std::string>();
        n = std::stoi(c, &used);
        if (used != c.size() || n < 1) throw std::invalid_argument(c);
    } catch (const std::exception&) {
        return report(Error{"--runs must be a whole number of at least 1", exit_code::usage});
    }
    auto cfg = load_config(g, false);
    if (!cfg) return exit_code::failure;
    int open_status = 0;
    auto db = open_backend(*cfg, true, open_status);
    if (!db) return open_status;
    auto calc = schedule::FireTimeCalculator::create(*cfg);
    if (!calc) return report(calc.error());

    auto rows = db->runs().recent(n);
    if (!rows) return report(rows.error());
    if (rows->empty()) std::cout << "no runs recorded yet\n";
    for (const auto& row : *rows) {
        auto fire = parse_utc(row.fire_at);
        std::cout << "run " << row.id << "  " << (fire ? format_local(*fire, calc->zone()) : row.fire_at) << "  "
                  << std::left << std::setw(11) << row.outcome << std::setw(9) << row.trigger << " "
                  << std::setw(8) << duration_text(row.started_at, row.finished_at) << " " << row.jobs << "\n";
        std::cout << "    " << job_counts(row.summary);
        if (!row.warning_sent_at.empty()) std::cout << "  (long-run warning sent " << row.warning_sent_at << ")";
        std::cout << "\n";
    }
    auto next = calc->next_after(domain::SystemClock().now());
    if (next)
        std::cout << "next fire time: " << schedule::format_fire_time(*next) << "\n";
    else
        std::cout << "next fire time: none (no enabled job has a schedule)\n";
    return exit_code::ok;
}

}  // namespace olmd::cli
