#pragma once
// What stands behind store::PgDatabase: the libpqxx connection, for the store's PostgreSQL files only.

#include <cstdint>
#include <exception>
#include <map>
#include <memory>
#include <optional>
#include <pqxx/pqxx>
#include <spdlog/spdlog.h>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "olmd/store/pg_database.hpp"

namespace olmd::store {

struct PgDatabase::Impl {
    explicit Impl(const std::string& conninfo, std::string secret)
        : conn(conninfo), password(std::move(secret)) {
        // A broken connection must stay broken: a silent reconnect would be a new session without the
        // instance lock (PG-2), the open batch or the session settings.
        // libpqxx 6 reconnects by default; its switch is deprecated only because 7 never reconnects.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
        conn.inhibit_reactivation(true);
#pragma GCC diagnostic pop
    }
    pqxx::connection conn;
    std::string password;  ///< from password_file ("" when none): kept out of every message
    /// The write transaction a StatusWriter opened (begin_batch .. commit_batch / rollback_batch), or null.
    /// Every repository write runs inside it, so the journal, payment and order rows commit together.
    std::unique_ptr<pqxx::work> batch;
    /// The statements exec_cached() prepared on conn: SQL text -> statement name.
    std::map<std::string, std::string> prepared;
};

/// Runs sql with args in t as a statement prepared once on impl's connection (named for its text), so
/// the server parses and plans it once instead of on every call as exec_params does; the result.
template <class... A>
pqxx::result exec_cached(PgDatabase::Impl& impl, pqxx::transaction_base& t, const std::string& sql, A&&... args) {
    auto it = impl.prepared.find(sql);
    if (it == impl.prepared.end()) {
        std::string name = "olmd_q" + std::to_string(impl.prepared.size());
        impl.conn.prepare(name, sql);
        it = impl.prepared.emplace(sql, std::move(name)).first;
    }
    return t.exec_prepared(it->second, std::forward<A>(args)...);
}

/// Runs sql with args in t as an unnamed statement, planned on each call for the table sizes of the
/// moment: for statements on gateway_operations, which a run fills from empty. A prepared statement's
/// generic plan, cached after its fifth call, made while the journal was nearly empty (a new database,
/// the run's first payments) scans all of it on every later call, even for `WHERE id = $1`, while the
/// run fills it (capture of 10 000 payments on a new database: 36 s instead of 21 s).
template <class... A>
pqxx::result exec_replanned(pqxx::transaction_base& t, const std::string& sql, A&&... args) {
    return t.exec_params(sql, std::forward<A>(args)...);
}

/// exec_cached() of a statement that returns exactly one row: that row (else pqxx::unexpected_rows).
template <class... A>
pqxx::row exec_cached1(PgDatabase::Impl& impl, pqxx::transaction_base& t, const std::string& sql, A&&... args) {
    const pqxx::result r = exec_cached(impl, t, sql, std::forward<A>(args)...);
    if (r.size() != 1)
        throw pqxx::unexpected_rows("expected 1 row, got " + std::to_string(r.size()) + " from: " + sql);
    return r[0];
}

/// Runs f(pqxx::transaction_base&) inside the open batch, or, when none is open, inside a transaction of
/// its own that is committed when f returns (reads outside a batch); returns what f returns.
template <class F>
auto in_transaction(PgDatabase::Impl& impl, F&& f) -> decltype(f(std::declval<pqxx::transaction_base&>())) {
    if (impl.batch) return f(static_cast<pqxx::transaction_base&>(*impl.batch));
    pqxx::work w(impl.conn);
    if constexpr (std::is_void_v<decltype(f(w))>) {
        f(w);
        w.commit();
    } else {
        auto out = f(w);
        w.commit();
        return out;
    }
}

/// The PostgreSQL array literal of ids ("{1,2,3}"), for a `= ANY($n::bigint[])` parameter.
template <class Ids>
std::string pg_id_array(const Ids& ids) {
    std::string out = "{";
    for (const auto& id : ids) {
        if (out.size() > 1) out += ',';
        out += std::to_string(id);
    }
    return out + "}";
}

/// The text of e on one line (libpq's multi-line messages joined), without the password.
std::string pg_error_text(const std::exception& e, const std::string& password);

/// An Error (code 4) "what on <server>: <e>", without the password.
Error pg_error(PgDatabase& db, const std::string& what, const std::exception& e);

/// The PostgreSQL array literal of texts ({"a","b\\"c"}), for a `$n::text[]` parameter; an
/// optional text without a value is NULL.
template <class Texts>
std::string pg_text_array(const Texts& texts) {
    std::string out = "{";
    for (const auto& t : texts) {
        if (out.size() > 1) out += ',';
        const std::string* v = nullptr;
        if constexpr (std::is_same_v<std::decay_t<decltype(t)>, std::optional<std::string>>) {
            if (!t) {
                out += "NULL";
                continue;
            }
            v = &*t;
        } else {
            v = &t;
        }
        out += '"';
        for (char c : *v) {
            if (c == '"' || c == '\\') out += '\\';
            out += c;
        }
        out += '"';
    }
    return out + "}";
}

/// A field's text, "" for NULL.
inline std::string pg_text(const pqxx::field& f) { return f.is_null() ? std::string() : f.as<std::string>(); }

/// The SQL of a timestamptz expression as the contract's UTC text ("YYYY-MM-DDTHH:MM:SSZ"; NULL stays NULL).
inline std::string pg_utc_text(const std::string& expr) {
    return "to_char(" + expr + " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')";
}

/// The SQLSTATE of e when it is a server error, else "".
inline std::string pg_sqlstate(const std::exception& e) {
    if (const auto* s = dynamic_cast<const pqxx::sql_error*>(&e); s && !s->sqlstate().empty()) return s->sqlstate();
    // libpqxx 6 maps some states to classes without keeping the code.
    if (dynamic_cast<const pqxx::deadlock_detected*>(&e)) return "40P01";
    if (dynamic_cast<const pqxx::serialization_failure*>(&e)) return "40001";
    return {};
}

/// PG-3: a serialization failure (40001) or a deadlock (40P01): the statement may succeed when retried.
inline bool pg_is_retryable(const std::exception& e) {
    if (dynamic_cast<const pqxx::serialization_failure*>(&e) || dynamic_cast<const pqxx::deadlock_detected*>(&e))
        return true;
    const std::string st = pg_sqlstate(e);
    return st == "40001" || st == "40P01";
}

/// A lock wait ended by lock_timeout (55P03): the back office holds the rows; try again later (OPS-7).
inline bool pg_is_lock_timeout(const std::exception& e) { return pg_sqlstate(e) == "55P03"; }

/// How many times a statement that hit a deadlock or serialization failure is run in all (PG-3).
inline constexpr int kPgRetryAttempts = 4;

/// PG-3, after attempt hit e under the savepoint olmd_retry: rethrows e unless it is retryable, else rolls
/// back to the savepoint, drops it and logs the attempt (what: the rows it was about).
inline void pg_undo_attempt(pqxx::transaction_base& t, const std::string& what, const std::exception& e,
                            int attempt) {
    if (!pg_is_retryable(e)) throw;
    t.exec("ROLLBACK TO SAVEPOINT olmd_retry");
    t.exec("RELEASE SAVEPOINT olmd_retry");
    spdlog::warn("{}: {} (SQLSTATE {}), attempt {} of {}", what, pg_error_text(e, {}), pg_sqlstate(e), attempt,
                 kPgRetryAttempts);
}

/// PG-3: runs f(t) under a savepoint of its own; a deadlock or serialization failure rolls back to it and
/// runs f again, up to kPgRetryAttempts runs. nullopt when every run hit one; any other error is thrown.
template <class F>
auto pg_retried(pqxx::transaction_base& t, const std::string& what, F&& f) -> std::optional<decltype(f(t))> {
    for (int attempt = 1; attempt <= kPgRetryAttempts; ++attempt) {
        t.exec("SAVEPOINT olmd_retry");
        try {
            auto out = f(t);
            t.exec("RELEASE SAVEPOINT olmd_retry");
            return out;
        } catch (const std::exception& e) {
            pg_undo_attempt(t, what, e, attempt);
        }
    }
    return std::nullopt;
}

/// PG-2: the session-level advisory lock key of OPS-4's single active instance ("olmdinst"); schema
/// changes use another (lock_schema).
inline constexpr std::int64_t kPgInstanceLockKey = 8028912513727755124;

/// Takes the transaction-level advisory lock every schema change of olmd holds (migrations, seed).
void lock_schema(pqxx::work& w);

}  // namespace olmd::store
