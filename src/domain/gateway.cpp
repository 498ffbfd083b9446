// Names of gateway operations and outcomes.
#include "olmd/domain/gateway.hpp"

namespace olmd::domain {

std::string_view to_string(Operation op) {
    switch (op) {
        case Operation::authorize: return "authorize";
        case Operation::capture: return "capture";
        case Operation::void_auth: return "void";
    }
    return "?";
}

Result<Operation> operation_from_string(std::string_view text) {
    if (text == "authorize") return Operation::authorize;
    if (text == "capture") return Operation::capture;
    if (text == "void") return Operation::void_auth;
    return Error{"unknown gateway operation \"" + std::string(text) + "\""};
}

std::string_view to_string(Outcome o) {
    switch (o) {
        case Outcome::succeeded: return "succeeded";
        case Outcome::declined: return "declined";
        case Outcome::unknown: return "unknown";
        case Outcome::rejected: return "rejected";
    }
    return "?";
}

}  // namespace olmd::domain
