// olmd audit: the database's invariants (OPS-13), one line per violation; writes nothing.
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <iostream>

#include "cli/command_options.hpp"
#include "cli/commands.hpp"
#include "cli/common.hpp"
#include "olmd/domain/clock.hpp"
#include "olmd/store/audit.hpp"

namespace olmd::cli {

namespace {

/// True when a live olmd holds the OPS-4 lock. Opens the lock file read-only, never through a
/// symbolic link, and writes nothing to it (InstanceLock::acquire would truncate it: OPS-9, OPS-13).
bool instance_running(const std::string& lock_path) {
    const int fd = ::open(lock_path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) return false;
    struct stat st {};
    bool held = false;
    if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
        if (::flock(fd, LOCK_EX | LOCK_NB) == 0)
            ::flock(fd, LOCK_UN);
        else
            held = errno == EWOULDBLOCK;
    }
    ::close(fd);
    return held;
}

}  // namespace

int cmd_audit(const Globals& g, std::vector<std::string> args) {
    cxxopts::Options options("olmd audit",
                             "Check the database's invariants (stock counts, allocations, captured money, the "
                             "gateway journal, runs, the purchase-order queue) and print every violation, one per "
                             "line. Exit 0 when there is none, 1 otherwise. Writes nothing.");
    int status = 0;
    auto r = parse_command(options, args, status);
    if (!r) return status;
    if (int e = reject_extra(*r, options.program()); e >= 0) return e;
    auto cfg = load_config(g, false);
    if (!cfg) return exit_code::failure;
    int open_status = 0;
    auto db = open_backend(*cfg, true, open_status);
    if (!db) return open_status;
    store::AuditOptions o;
    o.now = domain::SystemClock().now();
    if (db->postgres()) {
        // PG-2: a live instance is the session holding the advisory lock.
        auto holder = db->instance_lock_holder();
        if (!holder) return report(holder.error());
        o.instance_running = !holder->empty();
    } else {
        o.instance_running = instance_running(cfg->daemon.effective_lock_file());
    }
    o.ship_kits_complete = cfg->fulfillment.ship_kits_complete;
    auto found = db->audit(o);
    if (!found) return report(found.error());
    for (const auto& v : *found) std::cout << store::to_line(v) << "\n";
    if (found->empty()) {
        std::cout << "audit: no violation\n";
        return exit_code::ok;
    }
    std::cerr << "audit: " << found->size() << " violation(s); each line names the invariant, the rows and what is "
                 "wrong\n";
    return exit_code::failure;
}

}  // namespace olmd::cli
