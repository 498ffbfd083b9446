// The seeded catalog without a database (seeded_catalog.hpp).
#include "support/seeded_catalog.hpp"

namespace olmd::test {

domain::Catalog seeded_catalog() {
    domain::Catalog c;
    RowId id = 0;
    for (const char* s : {"Auction Awaiting Checkout", "Awaiting Payment", "Credit Card Declined", "In PayPal Checkout",
                          "PayPal Checkout Issue", "Ready to Process", "Ready to Source", "In Shipping",
                          "Partially Shipped", "Awaiting Inventory", "Awaiting Drop-ship Confirmation", "Shipped",
                          "Voided", "CC Exceptions", "Non Compliant", "Requires Manual Sourcing",
                          "Inv. Automation Exceptions", "Format Exception", "On Hold", "Club CC Exception",
                          "No Shipping Method", "Gift Certificates Only", "Club Membership Only"})
        c.statuses.add(++id, s);
    id = 0;
    for (const char* s : {"POS", "SOI", "Website", "eBay", "Order Manager"}) c.channels.add(++id, s);
    c.shipping_methods.add(1, "Ground");
    c.shipping_methods.add(2, "COD Ground");
    return c;
}

}  // namespace olmd::test
