-- olmd schema, migration 0002: the payment gateway's own rows.
--
-- 1. sandbox_ledger: the ledger of the deterministic sandbox gateway (cli.md).
--    One row per idempotency key the sandbox ever applied; a request sent again
--    with the same key is answered from its row and never applied twice.
-- 2. gateway_operations gains what reconciliation (OPS-6) needs to repeat a
--    journaled request exactly and to continue the workflow it belongs to.
-- 3. gateway_settings: this database's idempotency-key namespace, so two
--    databases sharing one gateway account never reuse each other's keys.

CREATE TABLE sandbox_ledger (
    id              INTEGER PRIMARY KEY,
    idempotency_key TEXT NOT NULL UNIQUE,
    operation       TEXT NOT NULL CHECK (operation IN ('authorize', 'capture', 'void')),
    amount_cents    INTEGER NOT NULL,
    card_token      TEXT NULL,      -- authorize: the payment method held
    request_ref     TEXT NULL,      -- capture / void: the authorization acted on
    outcome         TEXT NOT NULL CHECK (outcome IN ('succeeded', 'declined')),
    gateway_ref     TEXT NULL,      -- authorize: the new sbx_auth_<id>; capture / void: request_ref
    avs_result      TEXT NULL,
    cvv_result      TEXT NULL,
    response_code   TEXT NOT NULL,
    answered        INTEGER NOT NULL DEFAULT 1 CHECK (answered IN (0, 1)),  -- 0: the first answer was "lost" (timeout)
    times_sent      INTEGER NOT NULL DEFAULT 1,
    created_at      TEXT NOT NULL
);
CREATE INDEX sandbox_ledger_request_ref ON sandbox_ledger (request_ref, operation);

-- Which job workflow an operation belongs to (capture, cap6_authorize,
-- cap6_capture, cap6_void, reauth_void, reauth_authorize, club_authorize,
-- rts_authorize), its attempt number (part of the idempotency key), and the
-- authorization a capture / void acted on.
ALTER TABLE gateway_operations ADD COLUMN purpose TEXT NULL;
ALTER TABLE gateway_operations ADD COLUMN attempt INTEGER NOT NULL DEFAULT 1;
ALTER TABLE gateway_operations ADD COLUMN request_ref TEXT NULL;
CREATE INDEX gateway_operations_payment_op ON gateway_operations (payment_id, operation, attempt);

CREATE TABLE gateway_settings (
    name  TEXT NOT NULL PRIMARY KEY,
    value TEXT NOT NULL
);
INSERT INTO gateway_settings (name, value) VALUES ('key_namespace', lower(hex(randomblob(4))));
