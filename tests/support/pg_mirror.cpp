// The PostgreSQL twin of a SQLite test database (pg_mirror.hpp).
#include "support/pg_mirror.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <cstdlib>
#include <pqxx/pqxx>
#include <set>
#include <stdexcept>
#include <vector>

#include "olmd/store/pg_database.hpp"
#include "olmd/store/pg_migrations.hpp"
#include "support/process.hpp"

namespace olmd::test {

bool test_backend_is_postgres() {
    const char* v = std::getenv("OLMD_TEST_BACKEND");
    return v != nullptr && std::string(v) == "postgresql";
}

PgMirror::PgMirror(const TempDir& dir)
    : password_file_(write_password_file(dir, "pg-mirror-pass", pg_server().password)) {
    store::PgOpenOptions o;
    o.password_file = password_file_;
    auto pg = store::PgDatabase::open(db_.uri(), o);
    if (!pg) throw std::runtime_error("PgMirror: " + pg.error().message);
    if (auto st = store::migrate_pg(**pg); !st) throw std::runtime_error("PgMirror: " + st.error().message);
}

PgMirror::~PgMirror() {
    backend_.reset();
}

store::Backend& PgMirror::push(const std::string& sqlite_path, int busy_timeout_ms) {
    backend_.reset();  // pg-load-sqlite truncates: no session of ours may hold a lock
    auto load = run_process(std::string(OLMD_SOURCE_DIR) + "/scripts/pg-load-sqlite",
                            {sqlite_path, db_.uri(), "--password-file", password_file_});
    if (load.exit_code != 0)
        throw std::runtime_error("PgMirror: pg-load-sqlite failed: " + load.out + load.err);
    store::PgOpenOptions o;
    o.password_file = password_file_;
    if (busy_timeout_ms > 0) o.busy_timeout_ms = busy_timeout_ms;
    auto pg = store::PgDatabase::open(db_.uri(), o);
    if (!pg) throw std::runtime_error("PgMirror: " + pg.error().message);
    backend_ = store::pg_backend(std::move(*pg));
    return *backend_;
}

void PgMirror::pull(store::Database& lite) {
    backend_.reset();
    pqxx::connection c(pg_server().conninfo(db_.name()));
    pqxx::work w(c);
    SQLite::Database& s = lite.raw();
    std::vector<std::string> tables;
    {
        SQLite::Statement q(
            s, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
        while (q.executeStep()) tables.push_back(q.getColumn(0).getString());
    }
    SQLite::Transaction tx(s);
    s.exec("PRAGMA defer_foreign_keys = ON");
    for (const std::string& t : tables) {
        std::set<std::string> lite_cols;
        {
            SQLite::Statement q(s, "SELECT name FROM pragma_table_info(?)");
            q.bind(1, t);
            while (q.executeStep()) lite_cols.insert(q.getColumn(0).getString());
        }
        std::vector<std::pair<std::string, std::string>> cols;  // name, PostgreSQL type
        for (const auto& r :
             w.exec_params("SELECT column_name, data_type FROM information_schema.columns WHERE "
                           "table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position",
                           t))
            if (lite_cols.count(r[0].as<std::string>()))
                cols.emplace_back(r[0].as<std::string>(), r[1].as<std::string>());
        if (cols.empty())
            continue;  // a SQLite-only table (the sandbox ledger): the job did not write it there
        std::string select, names, marks;
        for (const auto& [name, type] : cols) {
            const std::string col = "\"" + name + "\"";
            if (!names.empty()) {
                select += ", ";
                names += ", ";
                marks += ", ";
            }
            if (type == "boolean")
                select += col + "::int";
            else if (type == "timestamp with time zone")
                select += "to_char(" + col + " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')";
            else
                select += col;
            names += col;
            marks += "?";
        }
        s.exec("DELETE FROM \"" + t + "\"");
        SQLite::Statement ins(s, "INSERT INTO \"" + t + "\" (" + names + ") VALUES (" + marks + ")");
        for (const auto& r : w.exec("SELECT " + select + " FROM \"" + t + "\"")) {
            ins.reset();
            for (std::size_t i = 0; i < cols.size(); ++i) {
                const int at = static_cast<int>(i) + 1;
                const std::string& type = cols[i].second;
                if (r[static_cast<int>(i)].is_null())
                    ins.bind(at);
                else if (type == "bigint" || type == "integer" || type == "smallint" || type == "boolean")
                    ins.bind(at, r[static_cast<int>(i)].as<std::int64_t>());
                else if (type == "double precision" || type == "real")
                    ins.bind(at, r[static_cast<int>(i)].as<double>());
                else
                    ins.bind(at, r[static_cast<int>(i)].as<std::string>());
            }
            ins.exec();
        }
    }
    tx.commit();
}

void with_job_services(std::unique_ptr<PgMirror>& twin, TestDb& db, const config::Config& cfg, bool dry_run,
                       const std::function<void(TestServices&)>& body) {
    if (!test_backend_is_postgres()) {
        TestServices services(db.db(), cfg, dry_run);
        body(services);
        return;
    }
    if (!twin) twin = std::make_unique<PgMirror>(db.dir());
    {
        TestServices services(twin->push(db.path()), cfg, dry_run);
        body(services);
    }
    twin->pull(db.db());
}

void with_backend(std::unique_ptr<PgMirror>& twin, TestDb& db, const std::function<void(store::Backend&)>& body,
                  int busy_timeout_ms) {
    if (!test_backend_is_postgres()) {
        if (busy_timeout_ms <= 0) {
            auto lite = store::sqlite_backend(db.db());
            body(*lite);
            return;
        }
        store::OpenOptions o;
        o.busy_timeout_ms = busy_timeout_ms;
        auto own = store::Database::open(db.path(), o);
        if (!own) throw std::runtime_error("with_backend: " + own.error().message);
        auto lite = store::sqlite_backend(std::move(*own));
        body(*lite);
        return;
    }
    if (!twin) twin = std::make_unique<PgMirror>(db.dir());
    body(twin->push(db.path(), busy_timeout_ms));
    twin->pull(db.db());
}

struct BackOfficeSession::Impl {
    std::unique_ptr<SQLite::Database> lite;
    std::unique_ptr<pqxx::connection> pg;
    std::unique_ptr<pqxx::work> tx;
    std::string conninfo;
    bool lite_tx = false;
};

BackOfficeSession::BackOfficeSession(std::unique_ptr<PgMirror>& twin, TestDb& db, int lock_wait_ms)
    : impl_(std::make_unique<Impl>()) {
    if (!test_backend_is_postgres()) {
        impl_->lite = std::make_unique<SQLite::Database>(db.path(), SQLite::OPEN_READWRITE);
        impl_->lite->setBusyTimeout(lock_wait_ms);
        return;
    }
    if (!twin) throw std::runtime_error("BackOfficeSession: the PostgreSQL twin is not made yet");
    impl_->conninfo = twin->conninfo();
    impl_->pg = std::make_unique<pqxx::connection>(impl_->conninfo);
    pqxx::nontransaction n(*impl_->pg);
    n.exec("SET application_name = 'back office'; SET lock_timeout = '" + std::to_string(lock_wait_ms) + "ms'");
}

BackOfficeSession::~BackOfficeSession() {
    if (impl_->lite && impl_->lite_tx) impl_->lite->exec("ROLLBACK");
}

void BackOfficeSession::begin() {
    if (impl_->lite) {
        impl_->lite->exec("BEGIN");
        impl_->lite_tx = true;
    } else {
        impl_->tx = std::make_unique<pqxx::work>(*impl_->pg);
    }
}

void BackOfficeSession::commit() {
    if (impl_->lite) {
        impl_->lite->exec("COMMIT");
        impl_->lite_tx = false;
    } else if (impl_->tx) {
        impl_->tx->commit();
        impl_->tx.reset();
    }
}

bool BackOfficeSession::try_exec(const std::string& sql) {
    if (impl_->lite) {
        try {
            impl_->lite->exec(sql);
            return true;
        } catch (const SQLite::Exception& e) {
            if (e.getErrorCode() == SQLITE_BUSY) return false;
            throw;
        }
    }
    try {
        if (impl_->tx) {
            impl_->tx->exec(sql);
        } else {
            pqxx::work w(*impl_->pg);
            w.exec(sql);
            w.commit();
        }
        return true;
    } catch (const pqxx::sql_error& e) {
        if (e.sqlstate() != "55P03") throw;
        impl_->tx.reset();  // the transaction is aborted: rolled back
        return false;
    }
}

bool BackOfficeSession::olmd_waits_for_a_lock() {
    if (impl_->lite) return false;
    pqxx::connection probe(impl_->conninfo);  // the session's own may be inside its transaction
    pqxx::work w(probe);
    return !w.exec("SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND application_name = 'olmd' "
                   "AND datname = current_database()")
                .empty();
}

ProcessResult run_olmd_on_test_backend(std::unique_ptr<PgMirror>& twin, const TempDir& dir,
                                       const std::string& sqlite_path, const std::string& config_path,
                                       std::vector<std::string> args) {
    if (!test_backend_is_postgres()) {
        args.insert(args.begin(), {"--config", config_path});
        return run_olmd(args);
    }
    if (!twin) twin = std::make_unique<PgMirror>(dir);
    std::string text = read_file(config_path);
    const std::string line = "database = \"" + sqlite_path + "\"";
    const auto at = text.find(line);
    if (at == std::string::npos)
        throw std::runtime_error("run_olmd_on_test_backend: " + config_path + " lacks " + line);
    text.replace(at, line.size(),
                 "database = \"" + twin->uri() + "\"\npassword_file = \"" + twin->password_file() + "\"");
    const std::string pg_config = dir.file("olmd-pg-twin.toml");
    write_file(pg_config, text);
    twin->push(sqlite_path);
    args.insert(args.begin(), {"--config", pg_config});
    ProcessResult r = run_olmd(args);
    auto lite = store::Database::open(sqlite_path, store::OpenOptions{});
    if (!lite) throw std::runtime_error("run_olmd_on_test_backend: " + lite.error().message);
    twin->pull(**lite);
    return r;
}

}  // namespace olmd::test
