#include "olmd/domain/status_writer.hpp"

namespace olmd::domain {

Result<std::vector<TransitionOutcome>> StatusWriter::apply_all(const std::vector<Transition>& ts) {
    std::vector<TransitionOutcome> out;
    out.reserve(ts.size());
    for (const Transition& t : ts) {
        auto r = apply(t);
        if (!r) return r.error();
        out.push_back(*r);
    }
    return out;
}

}  // namespace olmd::domain
