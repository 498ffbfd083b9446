-- olmd schema, migration 0004: the sandbox gateway reports amounts like a real one.
--
-- A capture's answer says how much the authorization has received in total
-- (CAP-5 records that as captured_cents, never an assumed amount), and a
-- replayed answer must say the same as the first one: the ledger keeps it.
ALTER TABLE sandbox_ledger ADD COLUMN amount_received INTEGER NULL;
