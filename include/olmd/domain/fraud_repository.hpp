#pragma once
// The fraud job's repository port: eligible orders with everything FR-2..FR-10
// need (shipping method name, payment flags), read keyset-paged.

#include <cstdint>
#include <vector>

#include "olmd/core/error.hpp"
#include "olmd/core/ids.hpp"
#include "olmd/domain/fraud_order.hpp"

namespace olmd::domain {

/// Which orders the fraud job selects (FR-1), as ids.
struct FraudOrderFilter {
    std::vector<StatusId> statuses;  ///< the status filter, hold status already removed; empty = none
    std::vector<RowId> channels;     ///< empty = every channel
};

/// The eligible orders of one filter, page by page.
class FraudOrderPages {
public:
    virtual ~FraudOrderPages() = default;
    /// The next page: at most limit eligible orders with id > after_id, in id order.
    virtual Result<std::vector<FraudOrder>> page(RowId after_id, int limit) = 0;
    /// How many orders are eligible now (for progress reports).
    virtual Result<std::int64_t> count() = 0;
    /// True when page() may run on another thread while the run's StatusWriter writes (the reader
    /// has its own connection and shares no state with the writer); the job then reads and decides
    /// the next page while the last one is written.
    virtual bool reads_beside_writer() const { return false; }
};

}  // namespace olmd::domain
