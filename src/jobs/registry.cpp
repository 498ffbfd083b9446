#include "olmd/jobs/job.hpp"

namespace olmd::jobs {

JobSet make_job_set() {
    JobSet set;
    // Each job module adds its line here as it lands.
    return set;
}

}  // namespace olmd::jobs
