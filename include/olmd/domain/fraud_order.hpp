#pragma once
// The fraud job's view of one order: everything FR-1..FR-10 look at, read in
// one query per page by the fraud repository. NULL text columns arrive as "".

#include <optional>
#include <string>

#include "olmd/core/ids.hpp"
#include "olmd/core/money.hpp"

namespace olmd::domain {

/// A billing or shipping address as the order holds it (raw, not normalized).
struct Address {
    std::string first_name, last_name, address1, city, state, zip, country, email;
};

/// One order as the fraud tests see it.
struct FraudOrder {
    OrderId id = 0;
    std::string number;
    StatusId status_id = 0;
    RowId channel_id = 0;
    std::optional<RowId> shipping_method_id;         ///< NULL = the order has no shipping method
    std::optional<std::string> shipping_method_name; ///< nullopt with an id set = unknown id (bad data)
    std::optional<Cents> grand_total_cents;          ///< read as nullable: NULL is bad data
    std::string ip_address;
    Address bill, ship;
    // Live card payments only (rules.md): credit_card in status authorized or captured;
    // declined and voided attempts, and other methods, are not looked at.
    bool has_live_card_payment = false;  ///< the order has a live card payment
    bool avs_mismatch = false;           ///< a live card payment has avs_result 'mismatch'
    bool cvv_mismatch = false;           ///< a live card payment has cvv_result 'mismatch'
    // Bad data as the store found it (rules.md "bad data"; judged by order_problem(), bad_data.hpp).
    std::string bad_types;       ///< orders integer columns whose typeof() is not integer, "status_id,channel_id"
    bool status_known = true;    ///< status_id names a row of order_statuses
    bool channel_known = true;   ///< channel_id names a row of channels
    RowId bad_payment_id = 0;    ///< the lowest-id payment with a bad column (0 = none)
    std::string bad_payment_column;  ///< its first bad column ("method", "status", "avs_result", "cvv_result")
};

}  // namespace olmd::domain
