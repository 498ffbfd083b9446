#pragma once
// Private helpers of the fraud tests: building a TestResult and its explain text.

#include <string>
#include <string_view>

#include "olmd/jobs/fraud/rules.hpp"

namespace olmd::jobs::fraud::detail {

/// s in double quotes, as explain shows compared values.
inline std::string q(std::string_view s) {
    std::string out;
    out.reserve(s.size() + 2);
    out.push_back('"');
    out.append(s);
    out.push_back('"');
    return out;
}

/// A result with outcome o; text() is called only when detail is asked for.
template <class TextFn>
TestResult result(Outcome o, bool detail, TextFn&& text) {
    TestResult r;
    r.outcome = o;
    if (detail) r.compared = text();
    return r;
}

/// A bad-data result naming the column.
inline TestResult bad(std::string_view field, bool detail, std::string why) {
    TestResult r;
    r.outcome = Outcome::bad_data;
    r.bad_field = field;
    if (detail) r.compared = std::move(why);
    return r;
}

}  // namespace olmd::jobs::fraud::detail
