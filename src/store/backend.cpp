// The SQLite Backend and open_backend(), which picks the backend from `[daemon] database` (PG-1).
#include "olmd/store/backend.hpp"

#include "olmd/core/database_uri.hpp"
#include "olmd/store/catalog.hpp"
#include "olmd/store/database.hpp"
#include "olmd/store/orders.hpp"
#include "olmd/store/pg_database.hpp"
#include "olmd/store/pg_migrations.hpp"
#include "olmd/store/run_store.hpp"

namespace olmd::store {

namespace {

class SqliteBackend final : public Backend {
public:
    SqliteBackend(Database& db, std::unique_ptr<Database> owned) : owned_(std::move(owned)), db_(db), runs_(db) {}

    const std::string& name() const override { return db_.path(); }
    Result<domain::Catalog> catalog() override { return load_catalog(db_); }
    RunLog& runs() override { return runs_; }
    Result<std::optional<domain::OrderRef>> find_order(const std::string& number) override {
        return find_order_by_number(db_, number);
    }
    std::unique_ptr<domain::RunStore> run_store() override { return make_run_store(db_); }
    Result<PurgeCounts> purge_finished_operations(Instant now, int days) override {
        return store::purge_finished_operations(db_, now, days);
    }
    Result<std::int64_t> count_runs_with_warning() override { return store::count_runs_with_warning(db_); }
    Result<std::vector<Violation>> audit(const AuditOptions& options) override { return store::audit(db_, options); }
    Database* sqlite() override { return &db_; }

private:
    std::unique_ptr<Database> owned_;
    Database& db_;
    RunRepository runs_;
};

}  // namespace

std::unique_ptr<Backend> sqlite_backend(Database& db) { return std::make_unique<SqliteBackend>(db, nullptr); }

std::unique_ptr<Backend> sqlite_backend(std::unique_ptr<Database> db) {
    Database& ref = *db;
    return std::make_unique<SqliteBackend>(ref, std::move(db));
}

Result<std::unique_ptr<Backend>> open_backend(const std::string& database, const BackendOptions& options) {
    if (is_postgres_uri(database)) {
        PgOpenOptions o;
        o.busy_timeout_ms = options.busy_timeout_ms;
        o.password_file = options.password_file;
        auto db = PgDatabase::open(database, o);
        if (!db) return db.error();
        if (auto st = require_current_pg_schema(**db); !st) return st.error();
        return pg_backend(std::move(*db));
    }
    OpenOptions o;
    o.busy_timeout_ms = options.busy_timeout_ms;
    o.stop = options.stop;
    o.clock = options.clock;
    o.read_only = options.read_only;
    auto db = Database::open(database, o);
    if (!db) return db.error();
    if (auto st = require_current_schema(**db); !st) return st.error();
    return sqlite_backend(std::move(*db));
}

}  // namespace olmd::store
