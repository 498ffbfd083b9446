-- SRC-9/SRC-10 on PostgreSQL: a sourcing run keeps the stock it read (inventory, vendor_stock and the
-- purchase-order queue) from one batch to the next, as it does on SQLite, only while no one else has
-- written those tables since. Every statement that writes one of them, outside a sourcing batch of
-- olmd, draws a number from olmd_stock_changes (nextval: never blocks, never rolled back, so a write
-- that is rolled back counts too). A sourcing batch marks its own writes with
-- SET LOCAL olmd.sourcing_batch = 'on', locks the three tables against writers (SHARE ROW EXCLUSIVE:
-- a writer still in flight has finished when it is granted) and then reads last_value: unchanged
-- since its last batch means the stock it holds is still the database's.
CREATE SEQUENCE olmd_stock_changes;

-- SECURITY DEFINER: the back office's roles need no right on the sequence (a write of theirs must
-- never fail because of olmd); its search_path is pinned to this schema below.
CREATE FUNCTION olmd_note_stock_change() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER AS $$
BEGIN
    IF coalesce(current_setting('olmd.sourcing_batch', true), '') <> 'on' THEN
        PERFORM nextval('olmd_stock_changes');
    END IF;
    RETURN NULL;
END
$$;
DO $$
BEGIN
    EXECUTE format('ALTER FUNCTION olmd_note_stock_change() SET search_path = %I, pg_temp', current_schema());
END
$$;

CREATE TRIGGER inventory_stock_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON inventory
    FOR EACH STATEMENT EXECUTE FUNCTION olmd_note_stock_change();
CREATE TRIGGER vendor_stock_stock_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON vendor_stock
    FOR EACH STATEMENT EXECUTE FUNCTION olmd_note_stock_change();
CREATE TRIGGER purchase_order_queue_stock_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON purchase_order_queue FOR EACH STATEMENT EXECUTE FUNCTION olmd_note_stock_change();
