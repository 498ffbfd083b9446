#pragma once
// What the cli.md sandbox decides from a request's own fields, without its
// ledger: shared by the sandbox gateway and the dry-run gateway.

#include <string>

#include "olmd/domain/gateway.hpp"

namespace olmd::gateway {

/// The sandbox's verdict on a request by its card_token / gateway_ref alone.
struct TokenVerdict {
    bool decided = false;       ///< false: capture/void of a valid authorization, the ledger decides
    bool declined = false;      ///< decided: declined (else succeeded)
    std::string response_code;  ///< decided: "approved", "card_declined", "capture_declined", ...
    std::string avs_result, cvv_result;  ///< a succeeded authorization's checks
};

/// The cli.md table: authorize declines an empty token, a non-positive amount or a token
/// starting "decline" (avs/cvv "mismatch" when the token says so); capture and void decline an
/// empty gateway_ref, a non-positive capture, or a gateway_ref starting "fail_capture" /
/// "fail_void" / "expired".
TokenVerdict sandbox_token_verdict(const domain::Request& q);

}  // namespace olmd::gateway
