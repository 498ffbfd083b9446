#pragma once
// The audit's checks: one named query each, whose rows (rows text, what text) are violations.

#include <SQLiteCpp/SQLiteCpp.h>

#include <string>
#include <vector>

#include "olmd/store/audit.hpp"

namespace olmd::store {

/// One invariant as a query returning (rows, what) for each violation; ?1, when used, is now - 24 h.
struct AuditCheck {
    const char* name;
    const char* sql;
};

/// Runs one check, appending at most options.limit violations (plus a count of the rest).
Status run_check(SQLite::Database& db, const AuditCheck& c, const AuditOptions& o, std::vector<Violation>& out);

/// The stock, allocation, queue and kit invariants (audit_stock.cpp).
const std::vector<AuditCheck>& stock_checks();

}  // namespace olmd::store
