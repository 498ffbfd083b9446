// FR-7 "lookups are cached per IP within a run", with memory kept flat however
// many distinct IPs a run sees, and MON-3's "geolocation service failing": after
// a run of consecutive errors the service is not called again in this run.
#include "olmd/jobs/fraud/ip_address.hpp"

namespace olmd::jobs::fraud {

RunLocator::RunLocator(domain::GeoLocator& inner, std::size_t generation_size, int trip_after)
    : inner_(inner), generation_size_(generation_size == 0 ? 1 : generation_size), trip_after_(trip_after) {}

domain::GeoAnswer RunLocator::lookup(const std::string& ip) {
    if (auto it = current_.find(ip); it != current_.end()) {
        ++hits_;
        return it->second;
    }
    if (auto it = previous_.find(ip); it != previous_.end()) {
        ++hits_;
        domain::GeoAnswer r = it->second;
        current_.emplace(ip, r);  // promoted: recently used answers survive the next rotation
        return r;
    }
    domain::GeoAnswer r;
    if (tripped_) {
        r.status = domain::GeoStatus::error;
        r.detail = "not sent: the service failed " + std::to_string(trip_after_) + " times in a row (" +
                   last_error_ + ")";
        ++errors_;
        return r;  // not cached: the answer says nothing about this IP
    }
    ++calls_;
    r = inner_.lookup(ip);
    if (r.status == domain::GeoStatus::error) {
        ++errors_;
        last_error_ = r.detail;
        if (++consecutive_errors_ >= trip_after_) tripped_ = true;
        return r;  // errors are not cached: another order may try again while the breaker is closed
    }
    ++successes_;
    consecutive_errors_ = 0;
    if (current_.size() >= generation_size_) {
        previous_ = std::move(current_);
        current_ = Map{};
    }
    current_.emplace(ip, r);
    return r;
}

}  // namespace olmd::jobs::fraud
