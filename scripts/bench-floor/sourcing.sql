-- Floor for `olmd run-once --jobs sourcing`: the same row writes done set-based
-- in one transaction (scripts/bench runs it with the sqlite3 CLI).
--
-- Bench config: [sourcing] statuses = ["Ready to Source"], defaults otherwise
-- ([fulfillment] rule = "manual_priority", split = false). Per eligible order:
-- every physical line (a product line; kit lines are sourced through their
-- component lines, gift certificates and club memberships need nothing) gets
-- one allocation; stock units are assigned at the first-ranked active
-- warehouse (inventory.allocated += units, reservations consumed), with one
-- New shipment per order and a shipment_items row per assigned line; jit and
-- drop-ship lines go on the purchase-order queue for their default vendor.
-- Then a history row and the status: In Shipping, else Awaiting Inventory
-- (jit only), else Awaiting Drop-ship Confirmation, else Requires Manual
-- Sourcing. The daemon spreads orders over warehouses as stock runs out; the
-- floor puts everything at one, which writes the same number of rows.
-- now = 2026-11-22T12:00:00Z, as the bench's --now.

PRAGMA foreign_keys = ON;
PRAGMA synchronous = NORMAL;
.bail on

BEGIN IMMEDIATE;

INSERT INTO automation_runs (fire_at, started_at, jobs, outcome, "trigger", host)
VALUES ('2026-11-22T12:00:00Z', '2026-11-22T12:00:00Z', 'sourcing', 'running', 'manual', 'bench-floor');

CREATE TEMP TABLE src_order (id INTEGER PRIMARY KEY, status_id INTEGER, shipment_id INTEGER);
INSERT INTO src_order (id, status_id, shipment_id)
SELECT o.id, o.status_id, o.id + (SELECT coalesce(max(id), 0) FROM shipments)
FROM orders o
WHERE o.status_id = (SELECT id FROM order_statuses WHERE name = 'Ready to Source')
ORDER BY o.id;

CREATE TEMP TABLE src_line (id INTEGER PRIMARY KEY, order_id INTEGER, sku_id INTEGER, quantity INTEGER,
                            method TEXT, vendor_id INTEGER, reserved INTEGER);
INSERT INTO src_line
SELECT i.id, i.order_id, i.sku_id, i.quantity, s.fulfillment_method,
       coalesce(s.default_vendor_id, (SELECT min(id) FROM vendors WHERE active = 1)),
       EXISTS (SELECT 1 FROM reservations r WHERE r.order_item_id = i.id)
FROM src_order so JOIN order_items i ON i.order_id = so.id JOIN skus s ON s.id = i.sku_id
WHERE s.kind = 'product'
ORDER BY i.id;

CREATE INDEX temp.src_line_order ON src_line (order_id, method);

CREATE TEMP TABLE wh (id INTEGER);
INSERT INTO wh SELECT id FROM warehouses WHERE active = 1 ORDER BY priority, id LIMIT 1;

INSERT INTO shipments (id, order_id, warehouse_id, status, run_id, created_at)
SELECT so.shipment_id, so.id, (SELECT id FROM wh), 'New', (SELECT max(id) FROM automation_runs),
       '2026-11-22T12:00:00Z'
FROM src_order so
WHERE EXISTS (SELECT 1 FROM src_line l WHERE l.order_id = so.id AND l.method = 'stock')
ORDER BY so.id;

INSERT INTO shipment_items (shipment_id, order_item_id, quantity)
SELECT so.shipment_id, l.id, l.quantity
FROM src_line l JOIN src_order so ON so.id = l.order_id
WHERE l.method = 'stock' ORDER BY l.id;

INSERT INTO allocations (order_item_id, kind, quantity, warehouse_id, vendor_id, shipment_id, run_id, created_at)
SELECT l.id, CASE l.method WHEN 'stock' THEN 'assigned' WHEN 'jit' THEN 'po_queue' ELSE 'dropship' END,
       l.quantity,
       CASE WHEN l.method = 'stock' THEN (SELECT id FROM wh) END,
       CASE WHEN l.method <> 'stock' THEN l.vendor_id END,
       CASE WHEN l.method = 'stock' THEN so.shipment_id END,
       (SELECT max(id) FROM automation_runs), '2026-11-22T12:00:00Z'
FROM src_line l JOIN src_order so ON so.id = l.order_id ORDER BY l.id;

INSERT INTO purchase_order_queue (order_item_id, sku_id, vendor_id, quantity, fulfillment_method,
                                  po_method, po_template, run_id, created_at)
SELECT l.id, l.sku_id, l.vendor_id, l.quantity, l.method, v.default_po_method, v.default_po_template,
       (SELECT max(id) FROM automation_runs), '2026-11-22T12:00:00Z'
FROM src_line l JOIN vendors v ON v.id = l.vendor_id
WHERE l.method <> 'stock' ORDER BY l.id;

UPDATE inventory SET allocated = allocated + d.units
FROM (SELECT sku_id, sum(quantity) AS units FROM src_line
      WHERE method = 'stock' AND NOT reserved GROUP BY sku_id) d
WHERE inventory.warehouse_id = (SELECT id FROM wh) AND inventory.sku_id = d.sku_id;

DELETE FROM reservations WHERE order_item_id IN (SELECT id FROM src_line WHERE reserved);

CREATE TEMP TABLE src_result (id INTEGER PRIMARY KEY, from_status INTEGER, to_status INTEGER, reason TEXT);
INSERT INTO src_result
SELECT so.id, so.status_id,
  (SELECT id FROM order_statuses WHERE name = CASE
     WHEN EXISTS (SELECT 1 FROM src_line l WHERE l.order_id = so.id AND l.method = 'stock') THEN 'In Shipping'
     WHEN EXISTS (SELECT 1 FROM src_line l WHERE l.order_id = so.id AND l.method = 'jit') THEN 'Awaiting Inventory'
     WHEN EXISTS (SELECT 1 FROM src_line l WHERE l.order_id = so.id) THEN 'Awaiting Drop-ship Confirmation'
     ELSE 'Requires Manual Sourcing' END),
  CASE WHEN EXISTS (SELECT 1 FROM src_line l WHERE l.order_id = so.id) THEN 'sourced' ELSE 'nothing_to_source' END
FROM src_order so ORDER BY so.id;

INSERT INTO order_status_history (order_id, from_status_id, to_status_id, job, run_id, reason, changed_at)
SELECT id, from_status, to_status, 'sourcing', (SELECT max(id) FROM automation_runs), reason,
       '2026-11-22T12:00:00Z'
FROM src_result ORDER BY id;

UPDATE orders SET status_id = r.to_status, updated_at = '2026-11-22T12:00:00Z'
FROM src_result r WHERE orders.id = r.id AND orders.status_id = r.from_status;

UPDATE automation_runs SET outcome = 'succeeded', finished_at = '2026-11-22T12:00:00Z',
  summary = json_object('sourcing', json_object('selected', (SELECT count(*) FROM src_order),
                                                'changed', (SELECT count(*) FROM src_result),
                                                'skipped_concurrent', 0, 'deferred', 0, 'errors', 0))
WHERE id = (SELECT max(id) FROM automation_runs);

COMMIT;

SELECT 'floor sourcing: ' || (SELECT count(*) FROM temp.src_order) || ' orders, '
       || (SELECT count(*) FROM temp.src_line) || ' lines allocated, '
       || (SELECT count(*) FROM shipments) || ' shipments';
