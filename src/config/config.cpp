#include "olmd/config/config.hpp"

namespace olmd::config {

const JobCommon& Config::job(JobKind k) const {
    switch (k) {
        case JobKind::capture: return capture;
        case JobKind::reauth: return reauth;
        case JobKind::fraud: return fraud;
        case JobKind::sourcing: return sourcing;
    }
    return capture;  // unreachable: every JobKind is handled above
}

SourcePos Config::pos(const std::string& dotted) const {
    const auto it = positions.find(dotted);
    return it == positions.end() ? SourcePos{} : it->second;
}

}  // namespace olmd::config
