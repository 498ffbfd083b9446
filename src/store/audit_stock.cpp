// OPS-13 audit, stock and sourcing invariants:
//   allocated_matches       inventory.allocated = reserved units + assigned units not yet in a
//                           shipment that has left, per warehouse and SKU
//   line_over_allocated     no order line has more allocated units (all kinds) than its quantity
//   queue_inactive_vendor   no purchase_order_queue line names an inactive vendor
//   queue_over_vendor_stock queued units of a vendor that is not the SKU's default vendor
//                           <= its vendor_stock.quantity
#include "store/audit_checks.hpp"

namespace olmd::store {

namespace {

const std::vector<AuditCheck> kStockChecks = {
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
     "  ) GROUP BY warehouse_id, sku_id) "
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
     "'queued for inactive vendor ' || quote(v.name) FROM purchase_order_queue q JOIN vendors v ON v.id = "
     "q.vendor_id WHERE v.active = 0 ORDER BY q.id"},
    {"queue_over_vendor_stock",
     "SELECT 'vendors.id=' || q.vendor_id || ', skus.id=' || q.sku_id, "
     "sum(q.quantity) || ' units queued but vendor_stock.quantity = ' || coalesce(vs.quantity, 0) "
     "FROM purchase_order_queue q JOIN skus k ON k.id = q.sku_id "
     "LEFT JOIN vendor_stock vs ON vs.vendor_id = q.vendor_id AND vs.sku_id = q.sku_id "
     "WHERE k.default_vendor_id IS NOT q.vendor_id "
     "GROUP BY q.vendor_id, q.sku_id HAVING sum(q.quantity) > coalesce(vs.quantity, 0)"},
};

}  // namespace

const std::vector<AuditCheck>& stock_checks() { return kStockChecks; }

}  // namespace olmd::store
