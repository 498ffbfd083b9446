-- olmd schema, migration 0001: the database contract of database.md.
-- Applied by `olmd init-db` inside one transaction; PRAGMA user_version is
-- set by the migrator, not here. Money is INTEGER cents, timestamps are TEXT
-- UTC 'YYYY-MM-DDTHH:MM:SSZ'.

-- Reference data ------------------------------------------------------------

CREATE TABLE order_statuses (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE
);

CREATE TABLE channels (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE
);

CREATE TABLE shipping_methods (
    id     INTEGER PRIMARY KEY,
    name   TEXT NOT NULL UNIQUE COLLATE NOCASE,
    is_cod INTEGER NOT NULL DEFAULT 0 CHECK (is_cod IN (0, 1))
);

CREATE TABLE warehouses (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
    priority    INTEGER NOT NULL DEFAULT 0,
    postal_code TEXT NULL,
    latitude    REAL NULL,
    longitude   REAL NULL,
    active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
);

CREATE TABLE vendors (
    id                  INTEGER PRIMARY KEY,
    name                TEXT NOT NULL UNIQUE,
    default_po_method   TEXT NULL,
    default_po_template TEXT NULL,
    active              INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
);

CREATE TABLE skus (
    id                 INTEGER PRIMARY KEY,
    code               TEXT NOT NULL UNIQUE,
    kind               TEXT NOT NULL DEFAULT 'product'
                       CHECK (kind IN ('product', 'kit', 'gift_certificate', 'club_membership')),
    fulfillment_method TEXT NOT NULL DEFAULT 'stock'
                       CHECK (fulfillment_method IN ('stock', 'jit', 'dropship')),
    default_vendor_id  INTEGER NULL REFERENCES vendors (id)
);

CREATE TABLE inventory (
    warehouse_id INTEGER NOT NULL REFERENCES warehouses (id),
    sku_id       INTEGER NOT NULL REFERENCES skus (id),
    on_hand      INTEGER NOT NULL DEFAULT 0 CHECK (on_hand >= 0),
    allocated    INTEGER NOT NULL DEFAULT 0 CHECK (allocated >= 0),
    PRIMARY KEY (warehouse_id, sku_id)
);
CREATE INDEX inventory_sku ON inventory (sku_id);

CREATE TABLE vendor_stock (
    vendor_id INTEGER NOT NULL REFERENCES vendors (id),
    sku_id    INTEGER NOT NULL REFERENCES skus (id),
    quantity  INTEGER NOT NULL DEFAULT 0 CHECK (quantity >= 0),
    PRIMARY KEY (vendor_id, sku_id)
);
CREATE INDEX vendor_stock_sku ON vendor_stock (sku_id);

CREATE TABLE zip_codes (
    zip       TEXT NOT NULL PRIMARY KEY CHECK (length(zip) = 5),
    state     TEXT NOT NULL CHECK (length(state) = 2),
    latitude  REAL NOT NULL,
    longitude REAL NOT NULL
);

-- Orders ----------------------------------------------------------------------

CREATE TABLE orders (
    id                  INTEGER PRIMARY KEY,
    order_number        TEXT NOT NULL UNIQUE,
    channel_id          INTEGER NOT NULL REFERENCES channels (id),
    status_id           INTEGER NOT NULL REFERENCES order_statuses (id),
    shipping_method_id  INTEGER NULL REFERENCES shipping_methods (id),
    created_at          TEXT NOT NULL,
    grand_total_cents   INTEGER NOT NULL CHECK (grand_total_cents >= 0),
    is_delayed_delivery INTEGER NOT NULL DEFAULT 0 CHECK (is_delayed_delivery IN (0, 1)),
    is_club             INTEGER NOT NULL DEFAULT 0 CHECK (is_club IN (0, 1)),
    ip_address          TEXT NULL,
    bill_first_name     TEXT NULL,
    bill_last_name      TEXT NULL,
    bill_address1       TEXT NULL,
    bill_address2       TEXT NULL,
    bill_city           TEXT NULL,
    bill_state          TEXT NULL,
    bill_zip            TEXT NULL,
    bill_country        TEXT NULL,
    bill_email          TEXT NULL,
    ship_first_name     TEXT NULL,
    ship_last_name      TEXT NULL,
    ship_address1       TEXT NULL,
    ship_address2       TEXT NULL,
    ship_city           TEXT NULL,
    ship_state          TEXT NULL,
    ship_zip            TEXT NULL,
    ship_country        TEXT NULL,
    ship_email          TEXT NULL,
    updated_at          TEXT NOT NULL
);
-- Every job selects by status (keyset-paged by id within a status).
CREATE INDEX orders_status ON orders (status_id, id);
CREATE INDEX orders_channel ON orders (channel_id);
CREATE INDEX orders_shipping_method ON orders (shipping_method_id);

CREATE TABLE order_items (
    id               INTEGER PRIMARY KEY,
    order_id         INTEGER NOT NULL REFERENCES orders (id),
    sku_id           INTEGER NOT NULL REFERENCES skus (id),
    quantity         INTEGER NOT NULL CHECK (quantity > 0),
    unit_price_cents INTEGER NOT NULL CHECK (unit_price_cents >= 0),
    parent_item_id   INTEGER NULL REFERENCES order_items (id)
);
CREATE INDEX order_items_order ON order_items (order_id);
CREATE INDEX order_items_sku ON order_items (sku_id);
CREATE INDEX order_items_parent ON order_items (parent_item_id);

CREATE TABLE reservations (
    id            INTEGER PRIMARY KEY,
    order_item_id INTEGER NOT NULL REFERENCES order_items (id),
    warehouse_id  INTEGER NOT NULL REFERENCES warehouses (id),
    quantity      INTEGER NOT NULL CHECK (quantity > 0)
);
CREATE INDEX reservations_item ON reservations (order_item_id);
CREATE INDEX reservations_warehouse ON reservations (warehouse_id);

CREATE TABLE payments (
    id                  INTEGER PRIMARY KEY,
    order_id            INTEGER NOT NULL REFERENCES orders (id),
    method              TEXT NOT NULL CHECK (method IN ('credit_card', 'gift_certificate',
                            'customer_credit', 'paypal', 'check', 'cash', 'cod')),
    status              TEXT NOT NULL CHECK (status IN ('authorized', 'captured', 'voided',
                            'declined', 'settled', 'pending')),
    amount_cents        INTEGER NOT NULL CHECK (amount_cents >= 0),
    captured_cents      INTEGER NOT NULL DEFAULT 0,
    card_token          TEXT NULL,
    customer_ref        TEXT NULL,
    gateway_ref         TEXT NULL,
    created_at          TEXT NOT NULL,
    authorized_at       TEXT NULL,
    captured_at         TEXT NULL,
    avs_result          TEXT NULL,
    cvv_result          TEXT NULL,
    reauth_attempts     INTEGER NOT NULL DEFAULT 0,
    last_attempt_at     TEXT NULL,
    replaces_payment_id INTEGER NULL REFERENCES payments (id)
);
-- (order_id, method, status) so per-order lookups of card payments never fall
-- back to scanning every card payment through payments_method_status.
CREATE INDEX payments_order ON payments (order_id, method, status);
-- Capture and reauth select authorized card payments.
CREATE INDEX payments_method_status ON payments (method, status, order_id);
CREATE INDEX payments_replaces ON payments (replaces_payment_id);

-- What olmd writes --------------------------------------------------------------

CREATE TABLE automation_runs (
    id              INTEGER PRIMARY KEY,
    fire_at         TEXT NOT NULL,
    started_at      TEXT NOT NULL,
    finished_at     TEXT NULL,
    jobs            TEXT NOT NULL,
    outcome         TEXT NOT NULL CHECK (outcome IN ('running', 'succeeded', 'failed',
                        'interrupted', 'crashed')),
    "trigger"       TEXT NOT NULL CHECK ("trigger" IN ('schedule', 'catch_up', 'manual')),
    summary         TEXT NOT NULL DEFAULT '{}',
    warning_sent_at TEXT NULL,
    host            TEXT NOT NULL
);
CREATE INDEX automation_runs_completed ON automation_runs ("trigger", outcome, fire_at);

CREATE TABLE order_status_history (
    id             INTEGER PRIMARY KEY,
    order_id       INTEGER NOT NULL REFERENCES orders (id),
    from_status_id INTEGER NOT NULL REFERENCES order_statuses (id),
    to_status_id   INTEGER NOT NULL REFERENCES order_statuses (id),
    job            TEXT NOT NULL CHECK (job IN ('capture', 'reauth', 'fraud', 'sourcing')),
    run_id         INTEGER NOT NULL REFERENCES automation_runs (id),
    reason         TEXT NOT NULL,
    changed_at     TEXT NOT NULL
);
CREATE INDEX order_status_history_order ON order_status_history (order_id);
CREATE INDEX order_status_history_run ON order_status_history (run_id);

CREATE TABLE gateway_operations (
    id              INTEGER PRIMARY KEY,
    payment_id      INTEGER NOT NULL REFERENCES payments (id),
    operation       TEXT NOT NULL CHECK (operation IN ('authorize', 'capture', 'void')),
    amount_cents    INTEGER NOT NULL,
    idempotency_key TEXT NOT NULL UNIQUE,
    state           TEXT NOT NULL CHECK (state IN ('pending', 'succeeded', 'declined', 'unknown')),
    gateway_ref     TEXT NULL,
    response_code   TEXT NULL,
    run_id          INTEGER NOT NULL REFERENCES automation_runs (id),
    created_at      TEXT NOT NULL,
    completed_at    TEXT NULL
);
CREATE INDEX gateway_operations_payment ON gateway_operations (payment_id);
CREATE INDEX gateway_operations_state ON gateway_operations (state);

CREATE TABLE shipments (
    id           INTEGER PRIMARY KEY,
    order_id     INTEGER NOT NULL REFERENCES orders (id),
    warehouse_id INTEGER NOT NULL REFERENCES warehouses (id),
    status       TEXT NOT NULL DEFAULT 'New',
    run_id       INTEGER NOT NULL REFERENCES automation_runs (id),
    created_at   TEXT NOT NULL
);
CREATE INDEX shipments_order ON shipments (order_id);
CREATE INDEX shipments_warehouse ON shipments (warehouse_id);

CREATE TABLE shipment_items (
    shipment_id   INTEGER NOT NULL REFERENCES shipments (id),
    order_item_id INTEGER NOT NULL REFERENCES order_items (id),
    quantity      INTEGER NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (shipment_id, order_item_id)
);
CREATE INDEX shipment_items_item ON shipment_items (order_item_id);

CREATE TABLE allocations (
    id            INTEGER PRIMARY KEY,
    order_item_id INTEGER NOT NULL REFERENCES order_items (id),
    kind          TEXT NOT NULL CHECK (kind IN ('assigned', 'backordered', 'po_queue', 'dropship')),
    quantity      INTEGER NOT NULL CHECK (quantity > 0),
    warehouse_id  INTEGER NULL REFERENCES warehouses (id),
    vendor_id     INTEGER NULL REFERENCES vendors (id),
    shipment_id   INTEGER NULL REFERENCES shipments (id),
    run_id        INTEGER NOT NULL REFERENCES automation_runs (id),
    created_at    TEXT NOT NULL
);
CREATE INDEX allocations_item ON allocations (order_item_id);
CREATE INDEX allocations_kind_warehouse ON allocations (kind, warehouse_id);
CREATE INDEX allocations_shipment ON allocations (shipment_id);

CREATE TABLE purchase_order_queue (
    id                 INTEGER PRIMARY KEY,
    order_item_id      INTEGER NOT NULL REFERENCES order_items (id),
    sku_id             INTEGER NOT NULL REFERENCES skus (id),
    vendor_id          INTEGER NOT NULL REFERENCES vendors (id),
    quantity           INTEGER NOT NULL CHECK (quantity > 0),
    fulfillment_method TEXT NOT NULL CHECK (fulfillment_method IN ('jit', 'dropship')),
    po_method          TEXT NULL,
    po_template        TEXT NULL,
    run_id             INTEGER NOT NULL REFERENCES automation_runs (id),
    created_at         TEXT NOT NULL
);
CREATE INDEX purchase_order_queue_item ON purchase_order_queue (order_item_id);
CREATE INDEX purchase_order_queue_vendor ON purchase_order_queue (vendor_id);
