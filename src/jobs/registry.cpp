#include "olmd/jobs/job.hpp"
#include "olmd/jobs/fraud/fraud_job.hpp"

namespace olmd::jobs {

JobSet make_job_set() {
    JobSet set;
    // Each job module adds its line here as it lands.
    set.jobs[static_cast<int>(JobKind::fraud)] = make_fraud_job();
    return set;
}

}  // namespace olmd::jobs
