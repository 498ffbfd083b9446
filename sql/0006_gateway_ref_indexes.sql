-- olmd schema, migration 0006: indexes for looking payments and sandbox ledger rows up
-- by gateway reference.
--
-- The sandbox gateway answers each capture, void or re-authorization from what it
-- holds for the authorization (sandbox_ledger.gateway_ref, payments.gateway_ref);
-- without these indexes every answer scanned both tables, so a run of N payments
-- cost N x N row reads (100 000 sandbox captures did not finish in 10 minutes).
CREATE INDEX IF NOT EXISTS sandbox_ledger_gateway_ref ON sandbox_ledger (gateway_ref);
CREATE INDEX IF NOT EXISTS payments_gateway_ref ON payments (gateway_ref);
