#include "cli/commands.hpp"

namespace olmd::cli {

const std::vector<Command>& commands() {
    static const std::vector<Command> all = {
        {"init-db", "create the database or apply pending migrations; seed reference rows", &cmd_init_db},
        {"check-config", "validate the configuration against the database; exit 0 if valid", &cmd_check_config},
        {"run", "the daemon: run the jobs at their fire times until stopped (systemd Type=notify)", &cmd_run},
        {"run-once", "run the enabled (or --jobs) jobs once now: [--jobs LIST] [--now TIME] [--dry-run]",
         &cmd_run_once},
        {"schedule", "print the next fire times: [--from TIME] [--count N]", &cmd_schedule},
        {"status", "the last runs and the next fire time: [--runs N]", &cmd_status},
        {"explain", "what each job would do with one order and why: ORDER_NUMBER [--now TIME]", &cmd_explain},
        {"import-zips", "load a zip,state,latitude,longitude CSV into zip_codes: FILE", &cmd_import_zips},
        {"audit", "check the database's invariants (OPS-13); print each violation; writes nothing", &cmd_audit},
    };
    return all;
}

}  // namespace olmd::cli
