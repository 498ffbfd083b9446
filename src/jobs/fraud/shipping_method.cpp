// FR-3 shipping_method: fails if the order's shipping method is one of
// [fraud.shipping_method] methods (names compared case-insensitively, FR-12).
#include <algorithm>

#include "detail.hpp"
#include "olmd/jobs/fraud/normalize.hpp"

namespace olmd::jobs::fraud {

namespace {

bool listed(const std::string& normalized_name, const Rules& r) {
    return std::find(r.methods.begin(), r.methods.end(), normalized_name) != r.methods.end();
}

}  // namespace

TestResult check_shipping_method(const FraudOrder& o, const Rules& r, bool detail) {
    if (o.shipping_method_id && !o.shipping_method_name)
        return detail::bad("orders.shipping_method_id", detail,
                           "shipping_method_id " + std::to_string(*o.shipping_method_id) +
                               " is not in shipping_methods");
    if (!o.shipping_method_id)
        return detail::result(Outcome::pass, detail, [] { return std::string("the order has no shipping method"); });
    const bool hit = listed(normalize(*o.shipping_method_name), r);
    return detail::result(hit ? Outcome::fail : Outcome::pass, detail, [&] {
        return "shipping method " + detail::q(*o.shipping_method_name) + (hit ? " is" : " is not") +
               " in [fraud.shipping_method] methods";
    });
}

}  // namespace olmd::jobs::fraud
