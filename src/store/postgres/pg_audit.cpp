// OPS-13 audit on PostgreSQL: the invariants of audit.cpp and audit_stock.cpp (see there for what each
// means) in PostgreSQL's SQL, every check in one read-only REPEATABLE READ transaction, so all of them
// see the same snapshot. The columns are typed here, so captured_within_amount checks values only.
#include <chrono>

#include "olmd/store/audit.hpp"
#include "store/postgres/pg_impl.hpp"
#include "store/postgres/pg_ports.hpp"

namespace olmd::store {

namespace {

struct PgCheck {
    const char* name;
    const char* sql;  ///< rows (what, detail); $1, when used, is the cutoff "older than a day"
};

const PgCheck kMoney[] = {
    {"captured_within_total",
     "SELECT 'orders.id=' || o.id, 'captured ' || sum(p.captured_cents) || ' cents of a grand total of ' || "
     "o.grand_total_cents FROM orders o JOIN payments p ON p.order_id = o.id AND p.method = 'credit_card' "
     "GROUP BY o.id HAVING sum(p.captured_cents) > o.grand_total_cents ORDER BY o.id"},
    {"captured_within_amount",
     "SELECT 'payments.id=' || id, 'captured_cents = ' || quote_nullable(captured_cents) || ', amount_cents = ' || "
     "quote_nullable(amount_cents) FROM payments WHERE NOT (captured_cents BETWEEN 0 AND amount_cents) ORDER BY id"},
    {"journal_agrees",
     "SELECT 'payments.id=' || p.id || ', gateway_operations.id=' || g.id, "
     "'a succeeded ' || g.operation || ' but the payment is ' || p.status || "
     "CASE WHEN g.operation = 'authorize' AND p.status IN ('authorized', 'captured', 'voided') "
     "THEN ' with gateway_ref ' || quote_nullable(p.gateway_ref) || ' instead of ' || quote_nullable(g.gateway_ref) "
     "ELSE '' END "
     "FROM gateway_operations g JOIN payments p ON p.id = g.payment_id WHERE g.state = 'succeeded' AND ("
     "(g.operation = 'capture' AND p.status <> 'captured') OR "
     "(g.operation = 'void' AND p.status <> 'voided') OR "
     "(g.operation = 'authorize' AND (p.status NOT IN ('authorized', 'captured', 'voided') OR "
     "(g.id = (SELECT max(g2.id) FROM gateway_operations g2 WHERE g2.payment_id = g.payment_id AND "
     "g2.operation = 'authorize' AND g2.state = 'succeeded') AND coalesce(p.gateway_ref, '') <> "
     "coalesce(g.gateway_ref, ''))))) ORDER BY g.id"},
    {"journal_open",
     "SELECT 'gateway_operations.id=' || id || ', payments.id=' || payment_id, "
     "operation || ' ' || state || ' since ' || to_char(created_at, 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') || "
     "' (more than a day): run olmd to reconcile it' "
     "FROM gateway_operations WHERE state IN ('pending', 'unknown') AND created_at < $1::timestamptz ORDER BY id"},
};

const PgCheck kKit = {
    "kit_shipped_partly",
    "WITH comp AS (SELECT c.parent_item_id AS kit, c.quantity AS q, coalesce((SELECT sum(si.quantity) FROM "
    "shipment_items si WHERE si.order_item_id = c.id), 0) AS s FROM order_items c JOIN order_items kl ON "
    "kl.id = c.parent_item_id JOIN skus ks ON ks.id = kl.sku_id AND ks.kind = 'kit') "
    "SELECT 'order_items.id=' || kit, sum(least(s, q)) || ' of ' || sum(q) || ' component units in shipments "
    "(ship_kits_complete: all or none)' FROM comp GROUP BY kit HAVING sum(s) > 0 AND sum(least(s, q)) < sum(q) "
    "ORDER BY kit"};

const PgCheck kRunning = {
    "run_without_instance",
    "SELECT 'automation_runs.id=' || id, 'outcome running since ' || "
    "to_char(started_at, 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') || ' but no olmd holds the lock' "
    "FROM automation_runs WHERE outcome = 'running' ORDER BY id"};

const PgCheck kStock[] = {
    {"allocated_matches",
     "WITH want AS ("
     "  SELECT warehouse_id, sku_id, sum(n) AS n FROM ("
     "    SELECT r.warehouse_id, i.sku_id, r.quantity AS n FROM reservations r "
     "      JOIN order_items i ON i.id = r.order_item_id "
     "    UNION ALL "
     "    SELECT a.warehouse_id, i.sku_id, a.quantity FROM allocations a "
     "      JOIN order_items i ON i.id = a.order_item_id "
     "      LEFT JOIN shipments s ON s.id = a.shipment_id "
     "      WHERE a.kind = 'assigned' AND a.warehouse_id IS NOT NULL AND (s.id IS NULL OR s.status = 'New')"
     "  ) units GROUP BY warehouse_id, sku_id) "
     "SELECT 'inventory warehouse_id=' || v.warehouse_id || ', sku_id=' || v.sku_id, "
     "'allocated = ' || v.allocated || ' but reserved + assigned (not shipped) = ' || coalesce(w.n, 0) "
     "FROM inventory v LEFT JOIN want w ON w.warehouse_id = v.warehouse_id AND w.sku_id = v.sku_id "
     "WHERE v.allocated <> coalesce(w.n, 0) "
     "UNION ALL "
     "SELECT 'inventory warehouse_id=' || w.warehouse_id || ', sku_id=' || w.sku_id, "
     "'no inventory row but ' || w.n || ' units reserved or assigned' FROM want w "
     "WHERE NOT EXISTS (SELECT 1 FROM inventory v WHERE v.warehouse_id = w.warehouse_id AND v.sku_id = w.sku_id)"},
    {"line_over_allocated",
     "SELECT 'order_items.id=' || i.id, 'quantity ' || i.quantity || ' but ' || sum(a.quantity) || "
     "' units allocated' FROM order_items i JOIN allocations a ON a.order_item_id = i.id "
     "GROUP BY i.id HAVING sum(a.quantity) > i.quantity ORDER BY i.id"},
    {"queue_inactive_vendor",
     "SELECT 'purchase_order_queue.id=' || q.id || ', vendors.id=' || v.id, "
     "'queued for inactive vendor ' || quote_literal(v.name) FROM purchase_order_queue q JOIN vendors v ON v.id = "
     "q.vendor_id WHERE NOT v.active ORDER BY q.id"},
    {"queue_over_vendor_stock",
     "SELECT 'vendors.id=' || q.vendor_id || ', skus.id=' || q.sku_id, "
     "sum(q.quantity) || ' units queued but vendor_stock.quantity = ' || coalesce(vs.quantity, 0) "
     "FROM purchase_order_queue q JOIN skus k ON k.id = q.sku_id "
     "LEFT JOIN vendor_stock vs ON vs.vendor_id = q.vendor_id AND vs.sku_id = q.sku_id "
     "WHERE k.default_vendor_id IS DISTINCT FROM q.vendor_id "
     "GROUP BY q.vendor_id, q.sku_id, vs.quantity HAVING sum(q.quantity) > coalesce(vs.quantity, 0)"},
};

void run_check(pqxx::transaction_base& t, const PgCheck& c, const AuditOptions& o, std::vector<Violation>& out) {
    const std::string sql = c.sql;
    const pqxx::result r = sql.find("$1") != std::string::npos
                               ? t.exec_params(sql, format_utc(o.now - std::chrono::hours(24)))
                               : t.exec(sql);
    std::size_t n = 0;
    for (const auto& row : r) {
        if (n++ >= o.limit) break;
        out.push_back({c.name, row[0].c_str(), row[1].c_str()});
    }
    if (r.size() > o.limit)
        out.push_back({c.name, "(more rows)", std::to_string(r.size() - o.limit) + " more violations not listed"});
}

}  // namespace

Result<std::vector<Violation>> audit_pg(PgDatabase& db, const AuditOptions& options) {
    std::vector<Violation> out;
    const char* current = "the snapshot";
    try {
        pqxx::work t(db.impl().conn);
        t.exec("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
        std::vector<const PgCheck*> checks;
        for (const auto& c : kMoney) checks.push_back(&c);
        if (!options.instance_running) checks.push_back(&kRunning);
        if (options.ship_kits_complete) checks.push_back(&kKit);
        for (const auto& c : kStock) checks.push_back(&c);
        for (const PgCheck* c : checks) {
            current = c->name;
            run_check(t, *c, options, out);
        }
        t.commit();
    } catch (const std::exception& e) {
        return pg_error(db, std::string("audit ") + current, e);
    }
    return out;
}

}  // namespace olmd::store
