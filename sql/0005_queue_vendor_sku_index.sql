-- olmd schema, migration 0005: an index for SRC-9's vendor availability.
--
-- A vendor's available units of a SKU are vendor_stock.quantity less what the
-- purchase-order queue already asks of that vendor for that SKU; the sum is read
-- for every page of orders sourced, so it must not scan the vendor's whole queue.
CREATE INDEX IF NOT EXISTS purchase_order_queue_vendor_sku ON purchase_order_queue (vendor_id, sku_id, quantity);
