#include "olmd/jobs/job.hpp"
#include "olmd/jobs/capture/capture_job.hpp"
#include "olmd/jobs/reauth/reauth_job.hpp"
#include "olmd/jobs/fraud/fraud_job.hpp"
#include "olmd/jobs/sourcing/sourcing_job.hpp"

namespace olmd::jobs {

JobSet make_job_set() {
    JobSet set;
    // Each job module adds its line here as it lands.
    set.jobs[static_cast<int>(JobKind::capture)] = make_capture_job();
    set.jobs[static_cast<int>(JobKind::reauth)] = make_reauth_job();
    set.jobs[static_cast<int>(JobKind::fraud)] = make_fraud_job();
    set.jobs[static_cast<int>(JobKind::sourcing)] = make_sourcing_job();
    return set;
}

}  // namespace olmd::jobs
