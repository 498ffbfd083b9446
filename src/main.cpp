// olmd: the Order Lifecycle Management automation daemon. All the work is in the
// olmd_core library; this file only hands argv to the command line.
#include "olmd/cli/app.hpp"

int main(int argc, char** argv) { return olmd::cli::run_cli(argc, argv); }
