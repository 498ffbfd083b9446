-- Floor for `olmd run-once --jobs capture`: the same row writes done set-based
-- in one transaction (scripts/bench runs it with the sqlite3 CLI).
--
-- Bench config: [capture] statuses = ["Ready to Process"], available_when =
-- "order_created". Candidates: credit_card payments in status 'authorized' of
-- orders in Ready to Process (CAP-2). Writes, per payment: one
-- gateway_operations row (the journal; the daemon writes it pending, then
-- completes it) and the payment update. Payments whose gateway_ref the
-- sandbox declines (fail_capture…, expired…) are voided and their order goes
-- to CC Exceptions with a history row, after a void journaled for each (CAP-6);
-- delayed-delivery orders are left for when they ship (CAP-3). CAP-4 (auth > balance due) is
-- checked too. now = 2026-11-22T12:00:00Z, as the bench's --now.

PRAGMA foreign_keys = ON;
PRAGMA synchronous = NORMAL;
.bail on

BEGIN IMMEDIATE;

INSERT INTO automation_runs (fire_at, started_at, jobs, outcome, "trigger", host)
VALUES ('2026-11-22T12:00:00Z', '2026-11-22T12:00:00Z', 'capture', 'running', 'manual', 'bench-floor');

-- paid_cents per order (rules.md): captured card cents + settled non-card payments
CREATE TEMP TABLE cap (id INTEGER PRIMARY KEY, order_id INTEGER, order_status INTEGER,
                       amount INTEGER, gateway_ref TEXT, outcome TEXT);
INSERT INTO cap (id, order_id, order_status, amount, gateway_ref, outcome)
SELECT p.id, p.order_id, o.status_id, p.amount_cents - p.captured_cents, p.gateway_ref,
  CASE
    WHEN p.amount_cents - p.captured_cents > max(0, o.grand_total_cents - (
           SELECT coalesce(sum(CASE WHEN q.method = 'credit_card' THEN q.captured_cents
                                    WHEN q.status = 'settled' THEN q.amount_cents ELSE 0 END), 0)
           FROM payments q WHERE q.order_id = o.id)) THEN 'auth_exceeds_balance'
    WHEN p.gateway_ref LIKE 'fail_capture%' OR p.gateway_ref LIKE 'expired%' THEN 'capture_declined'
    ELSE 'captured'
  END
FROM payments p JOIN orders o ON o.id = p.order_id
WHERE p.method = 'credit_card' AND p.status = 'authorized'
  AND o.status_id = (SELECT id FROM order_statuses WHERE name = 'Ready to Process')
  -- CAP-3: delayed-delivery orders wait until shipped (delayed_delivery_on_creation = false)
  AND o.is_delayed_delivery = 0
ORDER BY p.id;

INSERT INTO gateway_operations (payment_id, operation, amount_cents, idempotency_key, state,
                                gateway_ref, response_code, run_id, created_at, completed_at)
SELECT id, 'capture', amount, 'floor-capture-' || id,
       CASE outcome WHEN 'captured' THEN 'succeeded' ELSE 'declined' END,
       gateway_ref, CASE outcome WHEN 'captured' THEN 'approved' ELSE 'declined' END,
       (SELECT max(id) FROM automation_runs), '2026-11-22T12:00:00Z', '2026-11-22T12:00:00Z'
FROM cap WHERE outcome <> 'auth_exceeds_balance' ORDER BY id;
-- CAP-6: a declined capture's authorization is voided at the gateway (journaled too).
INSERT INTO gateway_operations (payment_id, operation, amount_cents, idempotency_key, state,
                                gateway_ref, response_code, run_id, created_at, completed_at)
SELECT id, 'void', amount, 'floor-void-' || id, 'succeeded', gateway_ref, 'canceled',
       (SELECT max(id) FROM automation_runs), '2026-11-22T12:00:00Z', '2026-11-22T12:00:00Z'
FROM cap WHERE outcome = 'capture_declined' ORDER BY id;

UPDATE payments SET status = 'captured', captured_cents = amount_cents,
                    captured_at = '2026-11-22T12:00:00Z'
FROM cap WHERE payments.id = cap.id AND cap.outcome = 'captured';
UPDATE payments SET status = 'voided'
FROM cap WHERE payments.id = cap.id AND cap.outcome = 'capture_declined';

CREATE TEMP TABLE cap_exc (order_id INTEGER PRIMARY KEY, from_status INTEGER, reason TEXT);
INSERT OR IGNORE INTO cap_exc SELECT order_id, order_status, outcome FROM cap
WHERE outcome <> 'captured' ORDER BY id;
INSERT INTO order_status_history (order_id, from_status_id, to_status_id, job, run_id, reason, changed_at)
SELECT order_id, from_status, (SELECT id FROM order_statuses WHERE name = 'CC Exceptions'), 'capture',
       (SELECT max(id) FROM automation_runs), reason, '2026-11-22T12:00:00Z'
FROM cap_exc ORDER BY order_id;
UPDATE orders SET status_id = (SELECT id FROM order_statuses WHERE name = 'CC Exceptions'),
                  updated_at = '2026-11-22T12:00:00Z'
FROM cap_exc WHERE orders.id = cap_exc.order_id AND orders.status_id = cap_exc.from_status;

UPDATE automation_runs SET outcome = 'succeeded', finished_at = '2026-11-22T12:00:00Z',
  summary = json_object('capture', json_object('selected', (SELECT count(*) FROM cap),
                                               'changed', (SELECT count(*) FROM cap_exc),
                                               'skipped_concurrent', 0, 'deferred', 0, 'errors', 0))
WHERE id = (SELECT max(id) FROM automation_runs);

COMMIT;

SELECT 'floor capture: ' || count(*) || ' payments, ' || sum(outcome = 'captured') || ' captured, '
       || (SELECT count(*) FROM temp.cap_exc) || ' orders to CC Exceptions'
FROM temp.cap;
