#pragma once
// What stands behind store::PgDatabase: the libpqxx connection, for the store's PostgreSQL files only.

#include <exception>
#include <memory>
#include <pqxx/pqxx>
#include <string>
#include <type_traits>
#include <utility>

#include "olmd/store/pg_database.hpp"

namespace olmd::store {

struct PgDatabase::Impl {
    explicit Impl(const std::string& conninfo, std::string secret)
        : conn(conninfo), password(std::move(secret)) {}
    pqxx::connection conn;
    std::string password;  ///< from password_file ("" when none): kept out of every message
    /// The write transaction a StatusWriter opened (begin_batch .. commit_batch / rollback_batch), or null.
    /// Every repository write runs inside it, so the journal, payment and order rows commit together.
    std::unique_ptr<pqxx::work> batch;
};

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

/// Takes the transaction-level advisory lock every schema change of olmd holds (migrations, seed).
void lock_schema(pqxx::work& w);

}  // namespace olmd::store
