// OPS-13 audit: each invariant is one read-only query; a row it returns is a violation.
//
// Payments and the journal (the money invariants):
//   captured_within_total   Σ captured_cents of an order's card payments <= grand_total_cents
//   captured_within_amount  0 <= captured_cents <= amount_cents
//   journal_agrees          every succeeded authorize / capture / void agrees with its payment:
//                           authorize -> the payment is authorized, captured or voided and its
//                           gateway_ref is the one the latest succeeded authorization returned;
//                           capture -> captured; void -> voided
//   journal_open            no operation pending or unknown for more than a day
// Runs:
//   run_without_instance    no automation_runs row `running` unless a live olmd holds the lock
// Kits (under [fulfillment] ship_kits_complete):
//   kit_shipped_partly      no kit has some but not all of its component units in shipments
// Stock and the queue (sourcing): see audit_stock.cpp.
#include "olmd/store/audit.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

#include <chrono>

#include "store/audit_checks.hpp"

namespace olmd::store {

namespace {

const std::vector<AuditCheck> kMoneyChecks = {
    {"captured_within_total",
     "SELECT 'orders.id=' || o.id, 'captured ' || sum(p.captured_cents) || ' cents of a grand total of ' || "
     "o.grand_total_cents FROM orders o JOIN payments p ON p.order_id = o.id AND p.method = 'credit_card' "
     "GROUP BY o.id HAVING sum(p.captured_cents) > o.grand_total_cents ORDER BY o.id"},
    {"captured_within_amount",
     "SELECT 'payments.id=' || id, 'captured_cents = ' || quote(captured_cents) || ', amount_cents = ' || "
     "quote(amount_cents) FROM payments WHERE NOT (typeof(captured_cents) = 'integer' AND "
     "typeof(amount_cents) = 'integer' AND captured_cents BETWEEN 0 AND amount_cents) ORDER BY id"},
    {"journal_agrees",
     "SELECT 'payments.id=' || p.id || ', gateway_operations.id=' || g.id, "
     "'a succeeded ' || g.operation || ' but the payment is ' || p.status || "
     "iif(g.operation = 'authorize' AND p.status IN ('authorized', 'captured', 'voided'), "
     "' with gateway_ref ' || quote(p.gateway_ref) || ' instead of ' || quote(g.gateway_ref), '') "
     "FROM gateway_operations g JOIN payments p ON p.id = g.payment_id WHERE g.state = 'succeeded' AND ("
     "(g.operation = 'capture' AND p.status <> 'captured') OR "
     "(g.operation = 'void' AND p.status <> 'voided') OR "
     "(g.operation = 'authorize' AND (p.status NOT IN ('authorized', 'captured', 'voided') OR "
     "(g.id = (SELECT max(g2.id) FROM gateway_operations g2 WHERE g2.payment_id = g.payment_id AND "
     "g2.operation = 'authorize' AND g2.state = 'succeeded') AND coalesce(p.gateway_ref, '') <> "
     "coalesce(g.gateway_ref, ''))))) ORDER BY g.id"},
    {"journal_open",
     "SELECT 'gateway_operations.id=' || id || ', payments.id=' || payment_id, "
     "operation || ' ' || state || ' since ' || created_at || ' (more than a day): run olmd to reconcile it' "
     "FROM gateway_operations WHERE state IN ('pending', 'unknown') AND created_at < ?1 ORDER BY id"},
};

const AuditCheck kKitCheck = {
    "kit_shipped_partly",
    "WITH comp AS (SELECT c.parent_item_id AS kit, c.quantity AS q, coalesce((SELECT sum(si.quantity) FROM "
    "shipment_items si WHERE si.order_item_id = c.id), 0) AS s FROM order_items c JOIN order_items kl ON "
    "kl.id = c.parent_item_id JOIN skus ks ON ks.id = kl.sku_id AND ks.kind = 'kit') "
    "SELECT 'order_items.id=' || kit, sum(min(s, q)) || ' of ' || sum(q) || ' component units in shipments "
    "(ship_kits_complete: all or none)' FROM comp GROUP BY kit HAVING sum(s) > 0 AND sum(min(s, q)) < sum(q) "
    "ORDER BY kit"};

const AuditCheck kRunningCheck = {
    "run_without_instance",
    "SELECT 'automation_runs.id=' || id, 'outcome running since ' || started_at || ' but no olmd holds the lock' "
    "FROM automation_runs WHERE outcome = 'running' ORDER BY id"};

}  // namespace

Status run_check(SQLite::Database& db, const AuditCheck& c, const AuditOptions& o, std::vector<Violation>& out) {
    try {
        SQLite::Statement q(db, c.sql);
        if (q.getBindParameterCount() >= 1) q.bind(1, format_utc(o.now - std::chrono::hours(24)));
        std::size_t n = 0, more = 0;
        while (q.executeStep()) {
            if (n++ >= o.limit) {
                ++more;
                continue;
            }
            out.push_back({c.name, q.getColumn(0).getString(), q.getColumn(1).getString()});
        }
        if (more > 0) out.push_back({c.name, "(more rows)", std::to_string(more) + " more violations not listed"});
        return ok_status();
    } catch (const std::exception& e) {
        return Error{std::string("audit ") + c.name + ": " + e.what(), exit_code::database};
    }
}

Result<std::vector<Violation>> audit(Database& db, const AuditOptions& options) {
    std::vector<Violation> out;
    std::vector<AuditCheck> checks = kMoneyChecks;
    if (!options.instance_running) checks.push_back(kRunningCheck);
    if (options.ship_kits_complete) checks.push_back(kKitCheck);
    for (const AuditCheck& c : stock_checks()) checks.push_back(c);
    try {
        // One read transaction: every check sees the same snapshot.
        SQLite::Transaction snapshot(db.raw(), SQLite::TransactionBehavior::DEFERRED);
        for (const AuditCheck& c : checks)
            if (auto st = run_check(db.raw(), c, options, out); !st) return st.error();
    } catch (const std::exception& e) {
        return Error{std::string("audit: cannot read the database: ") + e.what(), exit_code::database};
    }
    return out;
}

std::string to_line(const Violation& v) { return v.invariant + ": " + v.rows + ": " + v.what; }

}  // namespace olmd::store
