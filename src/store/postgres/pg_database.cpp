#include "olmd/store/pg_database.hpp"

#include <cctype>
#include <utility>

#include "olmd/core/credentials.hpp"
#include "olmd/core/database_uri.hpp"
#include "olmd/core/redact.hpp"
#include "store/postgres/pg_impl.hpp"

namespace olmd::store {

namespace {

/// text percent-encoded for a URI query value (RFC 3986 unreserved characters kept).
std::string percent_encoded(const std::string& text) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 0xF];
        }
    }
    return out;
}

/// True when the query of uri sets the parameter name.
bool has_param(const std::string& uri, const std::string& name) {
    const std::size_t q = uri.find('?');
    if (q == std::string::npos) return false;
    return uri.find("?" + name + "=", q) != std::string::npos ||
           uri.find("&" + name + "=", q) != std::string::npos;
}

/// uri with name=value added to its query.
std::string with_param(const std::string& uri, const std::string& name, const std::string& value) {
    return uri + (uri.find('?') == std::string::npos ? "?" : "&") + name + "=" + percent_encoded(value);
}

/// A server that does not answer must not hold a command up for ever: libpq waits without end by default.
constexpr const char* kConnectTimeoutSeconds = "10";

/// TCP keepalives of every session: a dead peer is noticed after about 10 + 3 x 5 s.
constexpr std::pair<const char*, const char*> kKeepalives[] = {
    {"keepalives", "1"}, {"keepalives_idle", "10"}, {"keepalives_interval", "5"}, {"keepalives_count", "3"}};

}  // namespace

int pg_lock_timeout_ms(int busy_timeout_ms) {
    return busy_timeout_ms <= 0 ? 1 : busy_timeout_ms;
}

std::string pg_error_text(const std::exception& e, const std::string& password) {
    std::string text;
    for (char c : std::string(e.what())) {
        if (c == '\n' || c == '\t') {
            if (!text.empty() && text.back() != ' ') text += ' ';
        } else {
            text += c;
        }
    }
    while (!text.empty() && text.back() == ' ') text.pop_back();
    return redact(std::move(text), password);
}

Error pg_error(PgDatabase& db, const std::string& what, const std::exception& e) {
    return Error{what + " on PostgreSQL server " + db.server() + ": " + pg_error_text(e, db.impl().password),
                 exit_code::database};
}

void lock_schema(pqxx::work& w) {
    // One key for every schema change of olmd ("olmdschm"); PG-2's instance lock will use another.
    w.exec("SELECT pg_advisory_xact_lock(8028912513894803565)");
}

PgDatabase::PgDatabase(std::string server, std::unique_ptr<Impl> impl)
    : server_(std::move(server)), impl_(std::move(impl)) {}

PgDatabase::~PgDatabase() = default;

Result<std::unique_ptr<PgDatabase>> PgDatabase::open(const std::string& uri, const PgOpenOptions& options) {
    const std::string server = redact_database_uri(uri);
    if (!is_postgres_uri(uri))
        return Error{"database " + server + " is not a PostgreSQL URI (postgresql://...)",
                     exit_code::database};
    std::string conninfo = uri;
    std::string password;
    if (!options.password_file.empty()) {
        auto secret = files::read_credential(options.password_file, "[daemon] password_file");
        if (!secret)
            return Error{"cannot connect to PostgreSQL server " + server + ": " + secret.error().message,
                         exit_code::database};
        password = *secret;
        conninfo = with_param(conninfo, "password", password);
    }
    if (!has_param(conninfo, "connect_timeout"))
        conninfo = with_param(conninfo, "connect_timeout", kConnectTimeoutSeconds);
    // PG-2: a server or network that vanishes must end the session in seconds, not the kernel's two hours,
    // so the active instance notices it lost the lock; the URI's own settings win.
    for (const auto& [name, value] : kKeepalives)
        if (!has_param(conninfo, name)) conninfo = with_param(conninfo, name, value);
    std::unique_ptr<Impl> impl;
    try {
        impl = std::make_unique<Impl>(conninfo, password);
    } catch (const std::exception& e) {
        return Error{"cannot connect to PostgreSQL server " + server + ": " + pg_error_text(e, password) +
                         " (check [daemon] database and password_file, that the server runs and that the "
                         "role may log in and connect to the database)",
                     exit_code::database};
    }
    auto db = std::unique_ptr<PgDatabase>(new PgDatabase(server, std::move(impl)));
    try {
        pqxx::nontransaction n(db->impl_->conn);
        n.exec("SET TimeZone = 'UTC'; SET application_name = 'olmd'; SET lock_timeout = '" +
               std::to_string(pg_lock_timeout_ms(options.busy_timeout_ms)) + "ms'");
    } catch (const std::exception& e) {
        return pg_error(*db, "cannot set up the session", e);
    }
    try {
        // PG-2: the server ends this session within seconds of the client dying, even in a long lock
        // wait, so the instance lock is released (PostgreSQL 14 and later; older servers keep the default).
        pqxx::nontransaction n(db->impl_->conn);
        n.exec("SET client_connection_check_interval = '1s'");
    } catch (const std::exception&) {
    }
    return db;
}

Status PgDatabase::exec(const std::string& sql) {
    try {
        pqxx::work w(impl_->conn);
        w.exec(sql);
        w.commit();
        return ok_status();
    } catch (const std::exception& e) {
        return pg_error(*this, "database error", e);
    }
}

Result<std::string> PgDatabase::query_value(const std::string& sql) {
    try {
        pqxx::work w(impl_->conn);
        const pqxx::result r = w.exec(sql);
        w.commit();
        if (r.empty() || r.columns() == 0)
            return Error{"no row from PostgreSQL server " + server_ + " for: " + sql, exit_code::database};
        return r[0][0].is_null() ? std::string() : r[0][0].as<std::string>();
    } catch (const std::exception& e) {
        return pg_error(*this, "database error", e);
    }
}

}  // namespace olmd::store
