#pragma once
// One open database of either backend (SQLite file or PostgreSQL server, PG-1), as the pipeline, the
// daemon and the commands use it: the run rows, the reference catalog, the repositories of a run and
// the housekeeping after it. SQLite and libpqxx types stay behind it.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "olmd/core/error.hpp"
#include "olmd/core/ids.hpp"
#include "olmd/core/stop_token.hpp"
#include "olmd/core/time.hpp"
#include "olmd/domain/catalog.hpp"
#include "olmd/domain/clock.hpp"
#include "olmd/domain/order_ref.hpp"
#include "olmd/domain/run_store.hpp"
#include "olmd/store/audit.hpp"
#include "olmd/store/retention.hpp"
#include "olmd/store/runs.hpp"

namespace olmd::store {

class Database;
class PgDatabase;

/// An open database with what a run and its commands need.
class Backend {
public:
    virtual ~Backend() = default;
    /// The database as messages name it: the file path, or the URI without its password.
    virtual const std::string& name() const = 0;
    /// The reference names and ids (one snapshot).
    virtual Result<domain::Catalog> catalog() = 0;
    /// automation_runs.
    virtual RunLog& runs() = 0;
    /// The order with that order_number (explain), or nullopt.
    virtual Result<std::optional<domain::OrderRef>> find_order(const std::string& number) = 0;
    /// The repositories of one run on this database (valid while the Backend lives).
    virtual std::unique_ptr<domain::RunStore> run_store() = 0;
    /// purge_finished_operations (retention.hpp) on this database.
    virtual Result<PurgeCounts> purge_finished_operations(Instant now, int days) = 0;
    /// OPS-13: every broken invariant (audit.hpp), read in one snapshot.
    virtual Result<std::vector<Violation>> audit(const AuditOptions& options) = 0;
    /// How many runs sent a long-run warning.
    virtual Result<std::int64_t> count_runs_with_warning() = 0;
    /// PG-2: tries once for OPS-4's single-instance lock held by this session (a session-level advisory
    /// lock, released by the server when the session ends); true when held now. SQLite: nullopt, the lock
    /// file stands for it (core/instance_lock.hpp).
    virtual Result<std::optional<bool>> try_instance_lock() { return std::optional<bool>{}; }
    /// Who holds the instance lock (host address, application, backend pid, since when), "" when no one
    /// does or the backend cannot tell.
    virtual Result<std::string> instance_lock_holder() { return std::string(); }
    /// True while the connection answers (PG-2: an active instance that loses it stops at once).
    virtual bool alive() { return true; }
    /// The SQLite database, or null on PostgreSQL (the sandbox gateway's ledger lives in SQLite).
    virtual Database* sqlite() { return nullptr; }
    /// The PostgreSQL session, or null on SQLite.
    virtual PgDatabase* postgres() { return nullptr; }
};

/// A Backend over an open SQLite database db, which must outlive it.
std::unique_ptr<Backend> sqlite_backend(Database& db);
/// A Backend owning the SQLite database db.
std::unique_ptr<Backend> sqlite_backend(std::unique_ptr<Database> db);
/// A Backend owning the PostgreSQL session db.
std::unique_ptr<Backend> pg_backend(std::unique_ptr<PgDatabase> db);

/// How open_backend() opens a database.
struct BackendOptions {
    int busy_timeout_ms = 5000;      ///< SQLite busy wait / PostgreSQL lock_timeout (OPS-7)
    std::string password_file;       ///< [daemon] password_file (PostgreSQL)
    bool read_only = false;          ///< SQLite: open read-only
    const StopToken* stop = nullptr; ///< SQLite: cuts busy waits short; must outlive the Backend
    const domain::Clock* clock = nullptr;  ///< SQLite: the busy waits' clock; must outlive the Backend
};

/// Opens `[daemon] database` (a file path or a postgresql:// URI) and checks its schema is the one this
/// binary knows; an Error with exit code 4 when it cannot be opened or its schema is not current.
Result<std::unique_ptr<Backend>> open_backend(const std::string& database, const BackendOptions& options);

}  // namespace olmd::store
