// The fraud tests' names (as history reasons list them) and rule ids.
#include "olmd/jobs/fraud/rules.hpp"

namespace olmd::jobs::fraud {

std::string_view test_name(TestId t) {
    switch (t) {
        case TestId::grand_total: return "grand_total";
        case TestId::shipping_method: return "shipping_method";
        case TestId::grand_total_and_shipping_method: return "grand_total_and_shipping_method";
        case TestId::compare_states: return "compare_states";
        case TestId::international_billing: return "international_billing";
        case TestId::ip_address: return "ip_address";
        case TestId::compare_zips: return "compare_zips";
        case TestId::blacklist_zip: return "blacklist_zip";
        case TestId::blacklist_city: return "blacklist_city";
        case TestId::blacklist_state: return "blacklist_state";
        case TestId::blacklist_name: return "blacklist_name";
        case TestId::blacklist_address: return "blacklist_address";
        case TestId::blacklist_email: return "blacklist_email";
        case TestId::avs: return "avs";
        case TestId::cvv: return "cvv";
    }
    return "?";
}

std::string_view test_rule(TestId t) {
    switch (t) {
        case TestId::grand_total: return "FR-2";
        case TestId::shipping_method: return "FR-3";
        case TestId::grand_total_and_shipping_method: return "FR-4";
        case TestId::compare_states: return "FR-5";
        case TestId::international_billing: return "FR-6";
        case TestId::ip_address: return "FR-7";
        case TestId::compare_zips: return "FR-8";
        case TestId::avs:
        case TestId::cvv: return "FR-10";
        default: return "FR-9";
    }
}

std::string_view outcome_name(Outcome o) {
    switch (o) {
        case Outcome::pass: return "pass";
        case Outcome::fail: return "FAIL";
        case Outcome::inconclusive: return "inconclusive";
        case Outcome::deferred: return "deferred";
        case Outcome::bad_data: return "bad data";
        case Outcome::skipped: return "not evaluated";
    }
    return "?";
}

}  // namespace olmd::jobs::fraud
