#pragma once
// What stands behind store::PgDatabase: the libpqxx connection, for the store's PostgreSQL files only.

#include <exception>
#include <pqxx/pqxx>
#include <string>

#include "olmd/store/pg_database.hpp"

namespace olmd::store {

struct PgDatabase::Impl {
    explicit Impl(const std::string& conninfo, std::string secret)
        : conn(conninfo), password(std::move(secret)) {}
    pqxx::connection conn;
    std::string password;  ///< from password_file ("" when none): kept out of every message
};

/// The text of e on one line (libpq's multi-line messages joined), without the password.
std::string pg_error_text(const std::exception& e, const std::string& password);

/// An Error (code 4) "what on <server>: <e>", without the password.
Error pg_error(PgDatabase& db, const std::string& what, const std::exception& e);

/// Takes the transaction-level advisory lock every schema change of olmd holds (migrations, seed).
void lock_schema(pqxx::work& w);

}  // namespace olmd::store
