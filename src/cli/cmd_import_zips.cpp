// olmd import-zips FILE: load ZIP centroids into zip_codes (SRC-8 closest).
#include <iostream>

#include "cli/command_options.hpp"
#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "olmd/core/database_uri.hpp"
#include "olmd/core/instance_lock.hpp"
#include "olmd/store/pg_reference.hpp"
#include "olmd/store/zip_codes.hpp"

namespace olmd::cli {

int cmd_import_zips(const Globals& g, std::vector<std::string> args) {
    cxxopts::Options options(
        "olmd import-zips",
        "Load a ZIP centroid CSV (zip,state,latitude,longitude with a header line) into "
        "zip_codes, replacing rows with the same zip. A malformed line (reported with its\n"
        "line number), a file without a single row, or anything but a regular file of at most\n"
        "64 MiB is an error (exit 1) and loads nothing.");
    options.add_options()("file", "the CSV file", cxxopts::value<std::string>());
    options.parse_positional({"file"});
    options.positional_help("FILE");
    int status = 0;
    auto r = parse_command(options, args, status);
    if (!r) return status;
    if (int e = reject_extra(*r, options.program()); e >= 0) return e;
    if (!r->count("file"))
        return report(Error{"import-zips needs a FILE (see olmd import-zips --help)", exit_code::usage});
    auto cfg = load_config(g, false);
    if (!cfg) return exit_code::failure;
    if (auto st = check_written_files(*cfg, g.config_path); !st) return report(st.error());
    const std::string file = r->operator[]("file").as<std::string>();
    int open_status = 0;
    if (is_postgres_uri(cfg->daemon.database)) {
        // PG-1: the same file rules as on SQLite; every row in one transaction.
        auto pg = open_pg_database(*cfg, true, open_status);
        if (!pg) return open_status;
        auto n = store::import_zip_csv_pg(*pg, file);
        if (!n) return report(n.error());
        std::cout << "loaded " << *n << " ZIP centroids into zip_codes\n";
        return exit_code::ok;
    }
    auto db = open_database(*cfg, false, open_status);
    if (!db) return open_status;
    auto lock = InstanceLock::acquire(cfg->daemon.effective_lock_file());
    if (!lock) return report(lock.error());
    auto n = store::import_zip_csv(*db, file);
    if (!n) return report(n.error());
    std::cout << "loaded " << *n << " ZIP centroids into zip_codes\n";
    return exit_code::ok;
}

}  // namespace olmd::cli
