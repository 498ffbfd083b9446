// FR-10 avs / cvv: fails with the processor's result — a live card payment of
// the order (credit_card, authorized or captured) with avs_result (cvv_result)
// 'mismatch'; declined and voided attempts do not count. FR-11 gives each its
// own status.
#include "detail.hpp"

namespace olmd::jobs::fraud {

TestResult check_avs(const FraudOrder& o, const Rules&, bool detail) {
    return detail::result(o.avs_mismatch ? Outcome::fail : Outcome::pass, detail, [&] {
        return std::string(o.avs_mismatch ? "a live card payment has avs_result 'mismatch'"
                                          : "no live card payment has avs_result 'mismatch'");
    });
}

TestResult check_cvv(const FraudOrder& o, const Rules&, bool detail) {
    return detail::result(o.cvv_mismatch ? Outcome::fail : Outcome::pass, detail, [&] {
        return std::string(o.cvv_mismatch ? "a live card payment has cvv_result 'mismatch'"
                                          : "no live card payment has cvv_result 'mismatch'");
    });
}

}  // namespace olmd::jobs::fraud
