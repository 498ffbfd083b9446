-- Floor for `olmd run-once --jobs reauth`: the same row writes done set-based
-- in one transaction (scripts/bench runs it with the sqlite3 CLI).
--
-- Bench config: [reauth] statuses = ["Ready to Process"], after_days = 6,
-- order = "void_then_authorize". Candidates (RA-2): credit_card payments in
-- status 'authorized', not fully captured, authorized_at <= now - 6 days, of
-- orders in Ready to Process. Writes, per payment: a void and an authorize
-- gateway_operations row, the old payment voided, a new payments row
-- (replaces_payment_id = the old one; 'declined' when the sandbox declines the
-- token, and then the order goes to CC Exceptions with a history row, RA-4).
-- Club retries (RA-5) are not part of the floor (the reauth profile has none).
-- now = 2026-11-22T12:00:00Z, as the bench's --now.

PRAGMA foreign_keys = ON;
PRAGMA synchronous = NORMAL;
.bail on

BEGIN IMMEDIATE;

INSERT INTO automation_runs (fire_at, started_at, jobs, outcome, "trigger", host)
VALUES ('2026-11-22T12:00:00Z', '2026-11-22T12:00:00Z', 'reauth', 'running', 'manual', 'bench-floor');

CREATE TEMP TABLE ra (id INTEGER PRIMARY KEY, new_id INTEGER, order_id INTEGER, order_status INTEGER,
                      amount INTEGER, card_token TEXT, customer_ref TEXT, gateway_ref TEXT,
                      void_ok INTEGER, auth_ok INTEGER);
INSERT INTO ra
SELECT p.id, p.id + (SELECT max(id) FROM payments), p.order_id, o.status_id,
       p.amount_cents - p.captured_cents, p.card_token, p.customer_ref, p.gateway_ref,
       NOT (coalesce(p.gateway_ref, '') LIKE 'fail_void%' OR coalesce(p.gateway_ref, '') LIKE 'expired%'),
       NOT (coalesce(p.card_token, '') LIKE 'decline%')
FROM payments p JOIN orders o ON o.id = p.order_id
WHERE p.method = 'credit_card' AND p.status = 'authorized' AND p.captured_cents < p.amount_cents
  AND p.authorized_at <= '2026-11-16T12:00:00Z'
  AND o.status_id = (SELECT id FROM order_statuses WHERE name = 'Ready to Process')
ORDER BY p.id;

INSERT INTO payments (id, order_id, method, status, amount_cents, captured_cents, card_token,
                      customer_ref, gateway_ref, created_at, authorized_at, avs_result, cvv_result,
                      replaces_payment_id)
SELECT new_id, order_id, 'credit_card', CASE WHEN auth_ok THEN 'authorized' ELSE 'declined' END,
       amount, 0, card_token, customer_ref,
       CASE WHEN auth_ok THEN 'sbx_auth_floor' || new_id END, '2026-11-22T12:00:00Z',
       CASE WHEN auth_ok THEN '2026-11-22T12:00:00Z' END,
       CASE WHEN auth_ok THEN CASE WHEN card_token LIKE '%avs_mismatch%' THEN 'mismatch' ELSE 'match' END END,
       CASE WHEN auth_ok THEN CASE WHEN card_token LIKE '%cvv_mismatch%' THEN 'mismatch' ELSE 'match' END END,
       id
FROM ra ORDER BY id;

INSERT INTO gateway_operations (payment_id, operation, amount_cents, idempotency_key, state,
                                gateway_ref, response_code, run_id, created_at, completed_at)
SELECT id, 'void', amount, 'floor-void-' || id, CASE WHEN void_ok THEN 'succeeded' ELSE 'declined' END,
       gateway_ref, CASE WHEN void_ok THEN 'approved' ELSE 'declined' END,
       (SELECT max(id) FROM automation_runs), '2026-11-22T12:00:00Z', '2026-11-22T12:00:00Z'
FROM ra
UNION ALL
SELECT new_id, 'authorize', amount, 'floor-auth-' || new_id,
       CASE WHEN auth_ok THEN 'succeeded' ELSE 'declined' END,
       CASE WHEN auth_ok THEN 'sbx_auth_floor' || new_id END,
       CASE WHEN auth_ok THEN 'approved' ELSE 'declined' END,
       (SELECT max(id) FROM automation_runs), '2026-11-22T12:00:00Z', '2026-11-22T12:00:00Z'
FROM ra;

UPDATE payments SET status = 'voided' FROM ra WHERE payments.id = ra.id;

INSERT INTO order_status_history (order_id, from_status_id, to_status_id, job, run_id, reason, changed_at)
SELECT DISTINCT order_id, order_status, (SELECT id FROM order_statuses WHERE name = 'CC Exceptions'),
       'reauth', (SELECT max(id) FROM automation_runs), 'reauth_declined', '2026-11-22T12:00:00Z'
FROM ra WHERE NOT auth_ok ORDER BY order_id;
UPDATE orders SET status_id = (SELECT id FROM order_statuses WHERE name = 'CC Exceptions'),
                  updated_at = '2026-11-22T12:00:00Z'
FROM (SELECT DISTINCT order_id, order_status FROM ra WHERE NOT auth_ok) d
WHERE orders.id = d.order_id AND orders.status_id = d.order_status;

UPDATE automation_runs SET outcome = 'succeeded', finished_at = '2026-11-22T12:00:00Z',
  summary = json_object('reauth', json_object('selected', (SELECT count(*) FROM ra),
                                              'changed', (SELECT count(DISTINCT order_id) FROM ra WHERE NOT auth_ok),
                                              'skipped_concurrent', 0, 'deferred', 0, 'errors', 0))
WHERE id = (SELECT max(id) FROM automation_runs);

COMMIT;

SELECT 'floor reauth: ' || count(*) || ' payments re-authorized, ' || sum(NOT auth_ok) || ' declined'
FROM temp.ra;
