#include "olmd/store/orders.hpp"

#include <SQLiteCpp/SQLiteCpp.h>

namespace olmd::store {

Result<std::optional<domain::OrderRef>> find_order_by_number(Database& db, const std::string& number) {
    try {
        SQLite::Statement q(db.raw(), "SELECT id, order_number, status_id, channel_id FROM orders WHERE order_number = ?");
        q.bind(1, number);
        if (!q.executeStep()) return std::optional<domain::OrderRef>{};
        return std::optional<domain::OrderRef>{domain::OrderRef{q.getColumn(0).getInt64(), q.getColumn(1).getString(),
                                                            q.getColumn(2).getInt64(), q.getColumn(3).getInt64()}};
    } catch (const std::exception& e) {
        return Error{std::string("cannot read orders: ") + e.what(), exit_code::database};
    }
}

}  // namespace olmd::store
