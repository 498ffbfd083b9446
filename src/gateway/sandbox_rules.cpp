#include "gateway/sandbox_rules.hpp"

namespace olmd::gateway {

namespace {

bool starts_with(const std::string& s, std::string_view p) { return s.rfind(p, 0) == 0; }
bool contains(const std::string& s, std::string_view p) { return s.find(p) != std::string::npos; }

TokenVerdict declined(std::string code) {
    TokenVerdict v;
    v.decided = true;
    v.declined = true;
    v.response_code = std::move(code);
    return v;
}

}  // namespace

TokenVerdict sandbox_token_verdict(const domain::Request& q) {
    if (q.op == domain::Operation::authorize) {
        if (q.card_token.empty() || q.amount <= 0) return declined("invalid_request");
        if (starts_with(q.card_token, "decline")) return declined("card_declined");
        TokenVerdict v;
        v.decided = true;
        v.response_code = "approved";
        v.avs_result = contains(q.card_token, "avs_mismatch") ? "mismatch" : "match";
        v.cvv_result = contains(q.card_token, "cvv_mismatch") ? "mismatch" : "match";
        return v;
    }
    const bool capture = q.op == domain::Operation::capture;
    if (q.gateway_ref.empty() || (capture && q.amount <= 0)) return declined("invalid_request");
    if (starts_with(q.gateway_ref, "expired")) return declined("authorization_expired");
    if (starts_with(q.gateway_ref, capture ? "fail_capture" : "fail_void"))
        return declined(capture ? "capture_declined" : "void_declined");
    return {};
}

}  // namespace olmd::gateway
