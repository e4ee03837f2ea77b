// A stop request as JobOperator::stop makes it, shared with JobStep:
// marks a running execution STOPPING in the repository (its owner, in this
// process or another, notices at its next chunk boundary or step) and
// passes the request on to the child jobs its running JobSteps launched.
// Internal.
#pragma once

#include <cstdint>

#include "cppbatch/common/result.hpp"
#include "cppbatch/core/job_repository.hpp"

namespace cppbatch::internal {

// Where a JobStep keeps the id of the child execution it launched.
inline constexpr const char* kJobStepChildExecutionKey = "JobStep.CHILD_EXECUTION_ID";

// ILLEGAL_STATE if the execution is not running (STOPPING already: passed
// on to the children again). Retries when the job updated the execution at
// the same moment (CONFLICT).
Result<void> request_stop(JobRepository& repository, int64_t execution_id);

}  // namespace cppbatch::internal
