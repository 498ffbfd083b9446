#pragma once
// A connection to the PostgreSQL database of `[daemon] database` (PG-1). The store module is the only
// user of libpqxx; nothing outside it sees a pqxx type (the connection lives behind Impl).

#include <memory>
#include <string>

#include "olmd/core/error.hpp"

namespace olmd::store {

struct PgOpenOptions {
    /// The session's lock_timeout in ms ([daemon] busy_timeout_ms); 0 becomes 1 ms, since
    /// PostgreSQL reads a lock_timeout of 0 as "wait for ever".
    int busy_timeout_ms = 5000;
    /// [daemon] password_file: the password is read from it (OPS-8) and handed to libpq as a
    /// connection parameter; "" leaves it to ~/.pgpass / PGPASSFILE or the URI.
    std::string password_file;
};

/// The lock_timeout in ms a session opened with busy_timeout_ms gets (0 -> 1).
int pg_lock_timeout_ms(int busy_timeout_ms);

/// An open PostgreSQL session: TimeZone UTC, application_name olmd, lock_timeout set.
class PgDatabase {
public:
    /// Connects to uri (postgresql:// or postgres://). A password file that cannot be read, a server that
    /// cannot be reached, refused credentials or a role that may not connect is an Error (exit code 4)
    /// naming the server by its redacted URI; no message ever holds the password.
    static Result<std::unique_ptr<PgDatabase>> open(const std::string& uri, const PgOpenOptions& options);
    ~PgDatabase();
    PgDatabase(const PgDatabase&) = delete;
    PgDatabase& operator=(const PgDatabase&) = delete;

    /// The server as messages name it: the URI without any password.
    const std::string& server() const { return server_; }
    /// Executes one or more SQL statements in their own transaction; an Error names the server.
    Status exec(const std::string& sql);
    /// The first column of the first row of sql (NULL: ""); an Error when it returns no row.
    Result<std::string> query_value(const std::string& sql);

    struct Impl;  ///< the libpqxx connection (store/postgres/pg_impl.hpp)
    /// The connection; for store implementation files only.
    Impl& impl() { return *impl_; }

private:
    PgDatabase(std::string server, std::unique_ptr<Impl> impl);
    std::string server_;
    std::unique_ptr<Impl> impl_;
};

}  // namespace olmd::store
