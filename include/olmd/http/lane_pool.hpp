#pragma once
// A fixed number of HTTP lanes shared by several callers at once. Each caller
// hands over a run of requests and blocks until every result was delivered;
// the transfers of all runs share the lanes, and a lane that frees takes the
// next request of the earliest run that still has one to start. So a run
// queued behind another keeps every lane busy while the earlier one's last
// transfers finish: the streaming a batch API otherwise loses at each batch's
// tail. Transfers run on one thread the pool owns, over one curl multi handle.

#include <memory>
#include <vector>

#include "olmd/http/client.hpp"

namespace olmd::http {

class LanePool {
public:
    /// A pool of max(1, concurrency) lanes; its thread starts with the first run.
    explicit LanePool(int concurrency);
    /// Stops the pool's thread; no run may be in progress.
    ~LanePool();
    LanePool(const LanePool&) = delete;
    LanePool& operator=(const LanePool&) = delete;

    /// Performs reqs on the shared lanes, handing each result to done (on the pool's thread, while the
    /// others are in flight) as its transfer ends; the requests done returns join this run, ahead of
    /// later runs. Returns when every request of the run, the added ones included, was handed over
    /// exactly once; an exception done threw is rethrown then. Safe to call from several threads at once.
    void perform_streaming(std::vector<Request> reqs, const Completion& done);

    /// The number of lanes.
    int concurrency() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace olmd::http
