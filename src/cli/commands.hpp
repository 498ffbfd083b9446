#pragma once
// Entry points of the commands (one file each).

#include <string>
#include <vector>

#include "cli/common.hpp"

namespace olmd::cli {

int cmd_init_db(const Globals& g, std::vector<std::string> args);
int cmd_check_config(const Globals& g, std::vector<std::string> args);
int cmd_run(const Globals& g, std::vector<std::string> args);
int cmd_run_once(const Globals& g, std::vector<std::string> args);
int cmd_status(const Globals& g, std::vector<std::string> args);
int cmd_explain(const Globals& g, std::vector<std::string> args);
int cmd_import_zips(const Globals& g, std::vector<std::string> args);
int cmd_schedule(const Globals& g, std::vector<std::string> args);
int cmd_audit(const Globals& g, std::vector<std::string> args);

}  // namespace olmd::cli
