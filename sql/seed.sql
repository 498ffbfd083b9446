-- olmd reference rows every database starts with; run by every `olmd init-db` (idempotent).

-- The seeds' lifecycle statuses.
INSERT OR IGNORE INTO order_statuses (name) VALUES
    ('Auction Awaiting Checkout'), ('Awaiting Payment'), ('Credit Card Declined'),
    ('In PayPal Checkout'), ('PayPal Checkout Issue'), ('Ready to Process'),
    ('Ready to Source'), ('In Shipping'), ('Partially Shipped'), ('Awaiting Inventory'),
    ('Awaiting Drop-ship Confirmation'), ('Shipped'), ('Voided');
-- Every status named as a default in config.md, and the two optional results.
INSERT OR IGNORE INTO order_statuses (name) VALUES
    ('CC Exceptions'), ('Non Compliant'), ('Requires Manual Sourcing'),
    ('Inv. Automation Exceptions'), ('Format Exception'), ('On Hold'),
    ('Club CC Exception'), ('No Shipping Method'),
    ('Gift Certificates Only'), ('Club Membership Only');

INSERT OR IGNORE INTO channels (name) VALUES
    ('POS'), ('SOI'), ('Website'), ('eBay'), ('Order Manager');
