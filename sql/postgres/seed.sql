-- olmd reference rows every PostgreSQL database starts with; run by every `olmd init-db`
-- (idempotent: a name already there, in any case, is left alone).

-- The seeds' lifecycle statuses.
INSERT INTO order_statuses (name) VALUES
    ('Auction Awaiting Checkout'), ('Awaiting Payment'), ('Credit Card Declined'),
    ('In PayPal Checkout'), ('PayPal Checkout Issue'), ('Ready to Process'),
    ('Ready to Source'), ('In Shipping'), ('Partially Shipped'), ('Awaiting Inventory'),
    ('Awaiting Drop-ship Confirmation'), ('Shipped'), ('Voided')
    ON CONFLICT DO NOTHING;
-- Every status named as a default in config.md, and the two optional results.
INSERT INTO order_statuses (name) VALUES
    ('CC Exceptions'), ('Non Compliant'), ('Requires Manual Sourcing'),
    ('Inv. Automation Exceptions'), ('Format Exception'), ('On Hold'),
    ('Club CC Exception'), ('No Shipping Method'),
    ('Gift Certificates Only'), ('Club Membership Only')
    ON CONFLICT DO NOTHING;

INSERT INTO channels (name) VALUES
    ('POS'), ('SOI'), ('Website'), ('eBay'), ('Order Manager')
    ON CONFLICT DO NOTHING;
