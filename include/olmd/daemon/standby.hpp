#pragma once
// PG-2: high availability on PostgreSQL. OPS-4's single active instance is a session-level advisory
// lock; an `olmd run` that cannot take it is a standby (READY=1, STATUS=standby, no jobs) that tries
// again every [daemon] standby_poll_seconds until it holds the lock or is stopped.

#include <string>

#include "olmd/config/config.hpp"
#include "olmd/core/error.hpp"
#include "olmd/daemon/control.hpp"
#include "olmd/daemon/notifier.hpp"
#include "olmd/domain/clock.hpp"
#include "olmd/store/backend.hpp"

namespace olmd::daemon {

/// What hold_instance_lock() came to.
enum class LockWait {
    held,     ///< this instance holds the lock: run as the active one
    stopped,  ///< a stop was requested while standing by: nothing was run
};

/// The "standby" STATUS line naming who holds the lock.
std::string standby_status(const std::string& holder);

/// On a backend with an advisory instance lock (PostgreSQL): takes it, or stands by (READY=1 and
/// STATUS=standby once, a log line naming the holder, the watchdog kept fed) and tries again every
/// cfg.daemon.standby_poll_seconds through clock, cut by control, until it is held (logged as a
/// takeover) or a stop is requested. On SQLite (no advisory lock) held at once: the lock file is the
/// caller's. An Error (code 4) when the database cannot be asked.
Result<LockWait> hold_instance_lock(store::Backend& db, const config::Config& cfg, Control& control,
                                    const domain::Clock& clock, Notifier& notifier);

}  // namespace olmd::daemon
