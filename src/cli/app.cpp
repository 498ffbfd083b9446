#include "olmd/cli/app.hpp"

#include <spdlog/spdlog.h>

#include <cstdlib>
#include <cstring>
#include <cxxopts.hpp>
#include <iostream>

#include "cli/common.hpp"
#include "olmd/core/database_uri.hpp"
#include "olmd/core/logging.hpp"
#include "olmd/store/pg_migrations.hpp"

#ifndef OLMD_VERSION
#define OLMD_VERSION "0.0.0"
#endif

namespace olmd::cli {

int report(const Error& e) {
    std::cerr << "olmd: " << e.message << "\n";
    return e.code;
}

config::ConfigPtr load_config(const Globals& g, bool print_warnings) {
    auto loaded = config::load_config_file(g.config_path);
    for (const auto& d : loaded.diagnostics.items)
        if (d.severity == config::Severity::error || print_warnings) std::cerr << d.to_string() << "\n";
    if (!loaded.ok()) {
        std::cerr << "olmd: the configuration " << g.config_path
                  << " is invalid; fix the errors above (olmd check-config lists them all)\n";
        return nullptr;
    }
    if (!g.log_level) {
        if (auto st = set_log_level(loaded.config->daemon.log_level); !st) report(st.error());
    }
    return loaded.config;
}

std::unique_ptr<store::Database> open_database(const config::Config& cfg, bool read_only, int& exit_status,
                                               const StopToken* stop) {
    store::OpenOptions o;
    o.busy_timeout_ms = cfg.daemon.busy_timeout_ms;
    o.stop = stop;
    o.read_only = read_only;
    auto db = store::Database::open(cfg.daemon.database, o);
    if (!db) {
        exit_status = report(db.error());
        return nullptr;
    }
    if (auto st = store::require_current_schema(**db); !st) {
        exit_status = report(st.error());
        return nullptr;
    }
    return std::move(*db);
}

std::unique_ptr<store::Backend> open_backend(const config::Config& cfg, bool read_only, int& exit_status,
                                             const StopToken* stop) {
    store::BackendOptions o;
    o.busy_timeout_ms = cfg.daemon.busy_timeout_ms;
    o.password_file = cfg.daemon.password_file;
    o.read_only = read_only;
    o.stop = stop;
    auto db = store::open_backend(cfg.daemon.database, o);
    if (!db) {
        exit_status = report(db.error());
        return nullptr;
    }
    return std::move(*db);
}

Result<std::unique_ptr<InstanceLock>> take_instance_lock(const config::Config& cfg, store::Backend& backend) {
    auto advisory = backend.try_instance_lock();
    if (!advisory) return advisory.error();
    if (!advisory->has_value()) return InstanceLock::acquire(cfg.daemon.effective_lock_file());
    if (**advisory) return std::unique_ptr<InstanceLock>();
    auto holder = backend.instance_lock_holder();
    return Error{"another olmd holds the instance lock on " + backend.name() + " (" +
                     (holder && !holder->empty() ? *holder : std::string("holder unknown")) +
                     "); stop it first, or let it run",
                 exit_code::locked};
}

std::unique_ptr<store::PgDatabase> open_pg_database(const config::Config& cfg, bool require_schema,
                                                    int& exit_status) {
    store::PgOpenOptions o;
    o.busy_timeout_ms = cfg.daemon.busy_timeout_ms;
    o.password_file = cfg.daemon.password_file;
    auto db = store::PgDatabase::open(cfg.daemon.database, o);
    if (!db) {
        exit_status = report(db.error());
        return nullptr;
    }
    if (require_schema) {
        if (auto st = store::require_current_pg_schema(**db); !st) {
            exit_status = report(st.error());
            return nullptr;
        }
    }
    return std::move(*db);
}

bool check_config_names(const config::Config& cfg, const domain::Catalog& catalog) {
    config::Diagnostics d;
    config::check_names(cfg, catalog.name_catalog(), d);
    for (const auto& item : d.items) std::cerr << item.to_string() << "\n";
    return !d.has_errors();
}

namespace {

void print_help(std::ostream& out) {
    out << "olmd " OLMD_VERSION " - Order Lifecycle Management automation daemon\n\n"
           "Usage: olmd [--config PATH] [--log-level LEVEL] COMMAND [options]\n\n"
           "Global options:\n"
           "  -c, --config PATH      configuration file (default $OLMD_CONFIG, else "
        << install_paths().config_file << ")\n"
           "  -l, --log-level LEVEL  trace, debug, info, warn, error, critical, off (overrides [daemon] log_level)\n"
           "  -h, --help             this help; `olmd COMMAND --help` explains a command\n"
           "  -V, --version          print the version\n\n"
           "Commands:\n";
    for (const auto& c : commands()) {
        std::string name = c.name;
        name.resize(14, ' ');
        out << "  " << name << c.summary << "\n";
    }
    out << "\nTIME is ISO 8601: 2026-11-22T13:30:00Z, 2026-11-22T08:30:00-05:00, or local 2026-11-22T08:30\n"
           "(read in [daemon] timezone).\n"
           "Exit status: 0 ok; 1 a job failed or the config is invalid/missing; 2 usage error;\n"
           "3 another instance holds the lock; 4 the database cannot be opened or is newer than olmd.\n";
}

bool takes_value(const std::string& a) { return a == "--config" || a == "-c" || a == "--log-level" || a == "-l"; }

}  // namespace

int run_cli(int argc, char** argv) {
    store::configure_sqlite_library();
    // Split argv at the command: global options come before it.
    std::vector<std::string> global_args{"olmd"};
    int i = 1;
    for (; i < argc; ++i) {
        const std::string a = argv[i];
        if (a.empty() || a[0] != '-') break;
        global_args.push_back(a);
        if (takes_value(a) && i + 1 < argc) global_args.emplace_back(argv[++i]);
    }
    cxxopts::Options options("olmd", "Order Lifecycle Management automation daemon");
    options.add_options()("c,config", "configuration file", cxxopts::value<std::string>())(
        "l,log-level", "log level", cxxopts::value<std::string>())("h,help", "help")("V,version", "version");
    Globals g;
    try {
        std::vector<const char*> av;
        for (const auto& s : global_args) av.push_back(s.c_str());
        auto r = options.parse(static_cast<int>(av.size()), av.data());
        if (r.count("version")) {
            std::cout << "olmd " OLMD_VERSION "\n";
            return exit_code::ok;
        }
        if (r.count("help")) {
            print_help(std::cout);
            return exit_code::ok;
        }
        if (r.count("config")) g.config_path = r["config"].as<std::string>();
        if (r.count("log-level")) g.log_level = r["log-level"].as<std::string>();
    } catch (const std::exception& e) {
        std::cerr << "olmd: " << e.what() << " (see olmd --help)\n";
        return exit_code::usage;
    }
    if (g.config_path.empty()) {
        const char* env = std::getenv("OLMD_CONFIG");
        g.config_path = (env != nullptr && *env != '\0') ? env : install_paths().config_file;
    }
    if (auto st = setup_logging(g.log_level.value_or("info")); !st) return report(st.error());

    if (i >= argc) {
        print_help(std::cerr);
        std::cerr << "\nolmd: no command given\n";
        return exit_code::usage;
    }
    const std::string name = argv[i];
    std::vector<std::string> args(argv + i + 1, argv + argc);
    for (const auto& c : commands())
        if (name == c.name) return c.main(g, std::move(args));
    std::cerr << "olmd: unknown command \"" << name << "\" (see olmd --help)\n";
    return exit_code::usage;
}

}  // namespace olmd::cli
