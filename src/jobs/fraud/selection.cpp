// FR-1 selection: status in [fraud] statuses (required when enabled), channel in
// [fraud] channels (empty = all channels), and never the [orders] hold status.
#include "olmd/jobs/fraud/selection.hpp"

#include <algorithm>

namespace olmd::jobs::fraud {

namespace {

bool contains(const std::vector<RowId>& v, RowId id) { return std::find(v.begin(), v.end(), id) != v.end(); }

}  // namespace

Result<Selection> resolve_selection(const config::Config& cfg, const domain::Catalog& catalog) {
    Selection s;
    s.hold = catalog.statuses.id(cfg.orders.hold_status).value_or(0);
    for (const auto& name : cfg.fraud.statuses) {
        auto id = catalog.status_id(name);
        if (!id) return id.error().with_context("[fraud] statuses");
        if (*id != s.hold && !contains(s.filter.statuses, *id)) s.filter.statuses.push_back(*id);
    }
    for (const auto& name : cfg.fraud.channels) {
        auto id = catalog.channels.id(name);
        if (!id) return Error{"[fraud] channels: unknown channel \"" + name + "\" (add it to channels or fix the config)"};
        if (!contains(s.filter.channels, *id)) s.filter.channels.push_back(*id);
    }
    return s;
}

SelectOutcome select_order(const Selection& s, StatusId status, RowId channel) {
    if (s.hold != 0 && status == s.hold) return SelectOutcome::hold_status;
    if (!contains(s.filter.statuses, status)) return SelectOutcome::status_not_listed;
    if (!s.filter.channels.empty() && !contains(s.filter.channels, channel)) return SelectOutcome::channel_not_listed;
    return SelectOutcome::selected;
}

}  // namespace olmd::jobs::fraud
