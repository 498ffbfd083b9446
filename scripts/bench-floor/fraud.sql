-- Floor for `olmd run-once --jobs fraud`: the same row writes done set-based
-- in one transaction (scripts/bench runs it with the sqlite3 CLI).
--
-- Writes: one automation_runs row, one order_status_history row and one
-- orders update per eligible order (status 'Ready to Process', every channel).
-- Pass/fail is computed in SQL for every test the bench config enables except
-- ip_address (a geolocation lookup; its failures would go to the same status).
-- The blacklists below MUST match the ones scripts/bench writes into the
-- config. now = 2026-11-22T12:00:00Z, as the bench's --now.
-- (`+p.method`: without ANALYZE statistics SQLite would otherwise search
-- payments_method_status on method alone, scanning every card payment per order.)

PRAGMA foreign_keys = ON;
PRAGMA synchronous = NORMAL;
.bail on

BEGIN IMMEDIATE;

INSERT INTO automation_runs (fire_at, started_at, jobs, outcome, "trigger", host)
VALUES ('2026-11-22T12:00:00Z', '2026-11-22T12:00:00Z', 'fraud', 'running', 'manual', 'bench-floor');

CREATE TEMP TABLE us_state (name TEXT PRIMARY KEY, code TEXT NOT NULL);
INSERT INTO us_state (name, code) VALUES
 ('ALABAMA','AL'),('ALASKA','AK'),('ARIZONA','AZ'),('ARKANSAS','AR'),('CALIFORNIA','CA'),
 ('COLORADO','CO'),('CONNECTICUT','CT'),('DELAWARE','DE'),('DISTRICT OF COLUMBIA','DC'),
 ('FLORIDA','FL'),('GEORGIA','GA'),('HAWAII','HI'),('IDAHO','ID'),('ILLINOIS','IL'),
 ('INDIANA','IN'),('IOWA','IA'),('KANSAS','KS'),('KENTUCKY','KY'),('LOUISIANA','LA'),
 ('MAINE','ME'),('MARYLAND','MD'),('MASSACHUSETTS','MA'),('MICHIGAN','MI'),('MINNESOTA','MN'),
 ('MISSISSIPPI','MS'),('MISSOURI','MO'),('MONTANA','MT'),('NEBRASKA','NE'),('NEVADA','NV'),
 ('NEW HAMPSHIRE','NH'),('NEW JERSEY','NJ'),('NEW MEXICO','NM'),('NEW YORK','NY'),
 ('NORTH CAROLINA','NC'),('NORTH DAKOTA','ND'),('OHIO','OH'),('OKLAHOMA','OK'),('OREGON','OR'),
 ('PENNSYLVANIA','PA'),('RHODE ISLAND','RI'),('SOUTH CAROLINA','SC'),('SOUTH DAKOTA','SD'),
 ('TENNESSEE','TN'),('TEXAS','TX'),('UTAH','UT'),('VERMONT','VT'),('VIRGINIA','VA'),
 ('WASHINGTON','WA'),('WEST VIRGINIA','WV'),('WISCONSIN','WI'),('WYOMING','WY');

-- FR-12 normalization, approximately: trim, upper case, runs of two blanks folded.
CREATE TEMP TABLE fr_in AS
SELECT o.id, o.status_id, o.grand_total_cents AS gt, upper(coalesce(sm.name, '')) AS method,
       upper(trim(coalesce(o.bill_country, ''))) AS bc,
       upper(replace(trim(coalesce(o.bill_state, '')), '  ', ' ')) AS bs,
       upper(replace(trim(coalesce(o.ship_state, '')), '  ', ' ')) AS ss,
       upper(trim(coalesce(o.bill_zip, ''))) AS bz, upper(trim(coalesce(o.ship_zip, ''))) AS sz,
       upper(trim(coalesce(o.bill_city, ''))) AS bcity, upper(trim(coalesce(o.ship_city, ''))) AS scity,
       upper(trim(coalesce(o.bill_first_name, '')) || ' ' || trim(coalesce(o.bill_last_name, ''))) AS bname,
       upper(trim(coalesce(o.ship_first_name, '')) || ' ' || trim(coalesce(o.ship_last_name, ''))) AS sname,
       upper(trim(coalesce(o.bill_address1, ''))) AS ba, upper(trim(coalesce(o.ship_address1, ''))) AS sa,
       upper(trim(coalesce(o.bill_email, ''))) AS be, upper(trim(coalesce(o.ship_email, ''))) AS se
FROM orders o LEFT JOIN shipping_methods sm ON sm.id = o.shipping_method_id
WHERE o.status_id = (SELECT id FROM order_statuses WHERE name = 'Ready to Process');

CREATE TEMP TABLE fr_test AS
SELECT f.id, f.status_id,
  f.gt > 50000                                                     AS t_gt,
  f.method = 'NEXT DAY AIR'                                        AS t_sm,
  f.gt > 50000 AND f.method = 'NEXT DAY AIR'                       AS t_gtsm,
  coalesce((SELECT code FROM us_state WHERE name = f.bs), f.bs)
    <> coalesce((SELECT code FROM us_state WHERE name = f.ss), f.ss) AS t_states,
  f.bc <> 'US' AND EXISTS (SELECT 1 FROM payments p WHERE p.order_id = f.id
                           AND +p.method = 'credit_card')          AS t_intl,
  (CASE WHEN f.bz GLOB '[0-9][0-9][0-9][0-9][0-9]-[0-9][0-9][0-9][0-9]' THEN substr(f.bz, 1, 5) ELSE f.bz END)
    <> (CASE WHEN f.sz GLOB '[0-9][0-9][0-9][0-9][0-9]-[0-9][0-9][0-9][0-9]' THEN substr(f.sz, 1, 5) ELSE f.sz END)
                                                                   AS t_zips,
  substr(f.bz, 1, 5) IN ('10465', '33130') OR substr(f.sz, 1, 5) IN ('10465', '33130') AS t_bl_zip,
  f.bcity IN ('LAS VEGAS', 'MIAMI') OR f.scity IN ('LAS VEGAS', 'MIAMI') AS t_bl_city,
  coalesce((SELECT code FROM us_state WHERE name = f.bs), f.bs) IN ('NM', 'AK')
    OR coalesce((SELECT code FROM us_state WHERE name = f.ss), f.ss) IN ('NM', 'AK') AS t_bl_state,
  f.bname IN ('JOHN SMITH', 'JANE DOE') OR f.sname IN ('JOHN SMITH', 'JANE DOE') AS t_bl_name,
  f.ba IN ('123 MAIN ST', '1600 PENNSYLVANIA AVE NW') OR f.sa IN ('123 MAIN ST', '1600 PENNSYLVANIA AVE NW')
                                                                   AS t_bl_address,
  f.be IN ('FRAUDSTER@EXAMPLE.COM', 'CHARGEBACK@MAILINATOR.COM')
    OR f.se IN ('FRAUDSTER@EXAMPLE.COM', 'CHARGEBACK@MAILINATOR.COM') AS t_bl_email,
  EXISTS (SELECT 1 FROM payments p WHERE p.order_id = f.id AND p.avs_result = 'mismatch') AS t_avs,
  EXISTS (SELECT 1 FROM payments p WHERE p.order_id = f.id AND p.cvv_result = 'mismatch') AS t_cvv
FROM fr_in f;

CREATE TEMP TABLE fr (id INTEGER PRIMARY KEY, from_status INTEGER, to_status INTEGER, reason TEXT);
INSERT INTO fr (id, from_status, to_status, reason)
SELECT id, status_id,
  CASE WHEN reason = '' THEN (SELECT id FROM order_statuses WHERE name = 'Ready to Source')
       ELSE (SELECT id FROM order_statuses WHERE name = 'Non Compliant') END,
  CASE WHEN reason = '' THEN 'fraud_passed' ELSE 'fraud_failed:' || rtrim(reason, ',') END
FROM (SELECT id, status_id,
        CASE WHEN t_gt THEN 'grand_total,' ELSE '' END
     || CASE WHEN t_sm THEN 'shipping_method,' ELSE '' END
     || CASE WHEN t_gtsm THEN 'grand_total_and_shipping_method,' ELSE '' END
     || CASE WHEN t_states THEN 'compare_states,' ELSE '' END
     || CASE WHEN t_intl THEN 'international_billing,' ELSE '' END
     || CASE WHEN t_zips THEN 'compare_zips,' ELSE '' END
     || CASE WHEN t_bl_zip THEN 'blacklist_zip,' ELSE '' END
     || CASE WHEN t_bl_city THEN 'blacklist_city,' ELSE '' END
     || CASE WHEN t_bl_state THEN 'blacklist_state,' ELSE '' END
     || CASE WHEN t_bl_name THEN 'blacklist_name,' ELSE '' END
     || CASE WHEN t_bl_address THEN 'blacklist_address,' ELSE '' END
     || CASE WHEN t_bl_email THEN 'blacklist_email,' ELSE '' END
     || CASE WHEN t_avs THEN 'avs,' ELSE '' END
     || CASE WHEN t_cvv THEN 'cvv,' ELSE '' END AS reason
      FROM fr_test);

INSERT INTO order_status_history (order_id, from_status_id, to_status_id, job, run_id, reason, changed_at)
SELECT id, from_status, to_status, 'fraud', (SELECT max(id) FROM automation_runs), reason,
       '2026-11-22T12:00:00Z'
FROM fr ORDER BY id;

UPDATE orders SET status_id = fr.to_status, updated_at = '2026-11-22T12:00:00Z'
FROM fr WHERE orders.id = fr.id AND orders.status_id = fr.from_status;

UPDATE automation_runs SET outcome = 'succeeded', finished_at = '2026-11-22T12:00:00Z',
  summary = json_object('fraud', json_object('selected', (SELECT count(*) FROM fr),
                                             'changed', (SELECT count(*) FROM fr),
                                             'skipped_concurrent', 0, 'deferred', 0, 'errors', 0))
WHERE id = (SELECT max(id) FROM automation_runs);

COMMIT;

SELECT 'floor fraud: ' || count(*) || ' orders, '
       || sum(to_status = (SELECT id FROM order_statuses WHERE name = 'Ready to Source')) || ' passed'
FROM temp.fr;
