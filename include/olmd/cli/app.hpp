#pragma once
// The olmd command line (cli.md): parses argv, runs one command, returns the exit status.

namespace olmd::cli {

/// Runs the command named in argv and returns the process exit status (0/1/2/3/4).
int run_cli(int argc, char** argv);

}  // namespace olmd::cli
