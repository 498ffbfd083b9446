#pragma once
// OPS-13: the database's invariants, checked by `olmd audit` and by the tests after
// every randomized, concurrent and crash run. Reads only; every violation is one line
// naming the invariant, the rows and what is wrong.

#include <string>
#include <vector>

#include "olmd/core/error.hpp"
#include "olmd/core/time.hpp"
#include "olmd/store/database.hpp"

namespace olmd::store {

/// One broken invariant.
struct Violation {
    std::string invariant;  ///< short name, e.g. "captured_within_total"
    std::string rows;       ///< the rows, e.g. "orders.id=17" or "payments.id=3, gateway_operations.id=9"
    std::string what;       ///< what is wrong, with the values
};

/// What the audit needs besides the database.
struct AuditOptions {
    Instant now{};                 ///< "older than a day" is measured from here
    bool instance_running = false; ///< a live olmd holds the lock (then `running` runs are legitimate)
    std::size_t limit = 1000;      ///< at most this many violations are listed per invariant
    bool ship_kits_complete = false;  ///< [fulfillment] ship_kits_complete: kits ship whole
};

/// Every violation found (empty = the database is consistent). An Error when it cannot be read.
Result<std::vector<Violation>> audit(Database& db, const AuditOptions& options);

/// "invariant: rows: what" — the line `olmd audit` prints.
std::string to_line(const Violation& v);

}  // namespace olmd::store
