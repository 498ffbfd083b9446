#pragma once
// [sourcing], [sourcing.result], [fulfillment] and the [orders] keys sourcing
// uses, resolved once per run into ids (statuses, channels, warehouses) so the
// rules compare integers.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "olmd/config/config.hpp"
#include "olmd/core/error.hpp"
#include "olmd/core/ids.hpp"
#include "olmd/domain/catalog.hpp"

namespace olmd::jobs::sourcing {

/// SRC-8's settings for one channel ([fulfillment] with [fulfillment.channel."<name>"] applied).
struct ChannelPolicy {
    config::FulfillmentRule rule = config::FulfillmentRule::manual_priority;
    bool split = false;
    std::vector<RowId> blacklisted;  ///< warehouse ids never used for the channel
};

/// Every sourcing setting, names resolved to ids.
struct Settings {
    std::vector<StatusId> statuses;            ///< SRC-1, without the hold status
    std::vector<StatusId> backorder_statuses;  ///< SRC-14's statuses not already in `statuses`, without hold
    StatusId hold = 0;                         ///< 0 when the database has no such status

    std::optional<StatusId> no_shipping_method;  ///< SRC-2; nullopt = disabled
    std::optional<StatusId> partially_shipped;   ///< SRC-13 (nullopt when the database lacks it)
    StatusId requires_manual_sourcing = 0, exception = 0, in_shipping = 0, in_shipping_split = 0,
             awaiting_inventory = 0, awaiting_dropship = 0, awaiting_payment = 0, zip_format_exception = 0;
    std::optional<StatusId> gift_certificates_only, club_membership_only;  ///< optional results
    StatusId rts_exception = 0;                                            ///< SRC-12
    StatusId club_exception = 0;  ///< RA-5: club orders whose SRC-12 authorization is declined (0 = none)

    std::vector<RowId> fully_paid_channels;  ///< SRC-4
    bool source_cod = false;
    config::PartialShipping partial_shipping = config::PartialShipping::partial;
    bool exclude_drop_ship = false;
    int max_line_items = 0;                         ///< SRC-5, 0 = no limit
    std::vector<std::string> manual_review_states;  ///< normalized (codes for US state names)
    bool auto_backorder = true, auto_fulfill_backorders = true;
    config::SourcingConfig::VendorSourced jit, dropship;
    bool rts_auth = false;  ///< SRC-12

    bool kits_single_warehouse = false, ship_kits_complete = false;
    ChannelPolicy default_policy;
    std::map<RowId, ChannelPolicy> channel_policies;

    /// The fulfillment policy of a channel.
    const ChannelPolicy& policy(RowId channel) const;
    /// The vendor-sourcing settings of jit or dropship SKUs.
    const config::SourcingConfig::VendorSourced& vendor_sourced(bool dropship_method) const {
        return dropship_method ? dropship : jit;
    }
};

/// Resolves the configuration against the database's names; an Error names a missing status,
/// channel or warehouse and its key.
Result<Settings> resolve_settings(const config::Config& cfg, const domain::Catalog& catalog);

/// The config spelling of a fulfillment rule ("manual_priority", "closest", "highest_available").
std::string rule_name(config::FulfillmentRule r);

}  // namespace olmd::jobs::sourcing
