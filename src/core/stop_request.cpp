#include "core/stop_request.hpp"

#include <fmt/format.h>

#include "cppbatch/common/logging.hpp"

namespace cppbatch::internal {

namespace {

// The job itself may update its execution at the same moment (CONFLICT):
// read it again and retry.
constexpr int kStopAttempts = 10;

// Marks one execution STOPPING; the stored execution as it then is.
Result<std::unique_ptr<JobExecution>> mark_stopping(JobRepository& repository, int64_t execution_id) {
  for (int attempt = 1;; ++attempt) {
    auto execution = repository.job_execution(execution_id);
    if (!execution) return execution.error();
    JobExecution& current = *execution.value();
    if (!current.is_running()) {
      return Error(ErrorCode::ILLEGAL_STATE, fmt::format("JobExecution must be running so that it can be stopped: "
                                                         "execution {} is {}",
                                                         execution_id, to_string(current.status)));
    }
    if (current.status == BatchStatus::STOPPING) return execution;
    current.status = BatchStatus::STOPPING;
    auto updated = repository.update(current);
    if (updated) {
      logger().info("stop requested for execution {} of job '{}'", execution_id, current.job_name());
      return execution;
    }
    if (updated.error().code() != ErrorCode::CONFLICT || attempt == kStopAttempts) return updated.error();
  }
}

}  // namespace

Result<void> request_stop(JobRepository& repository, int64_t execution_id) {
  auto execution = mark_stopping(repository, execution_id);
  if (!execution) return execution.error();
  // The children of running JobSteps (Spring's JobStep cannot be stopped):
  // a child that already ended is left alone.
  for (const auto& step : execution.value()->step_executions) {
    if (!is_running(step->status)) continue;
    auto child = step->execution_context.get_long(kJobStepChildExecutionKey);
    if (!child) continue;
    auto stopped = request_stop(repository, *child);
    if (!stopped && stopped.error().code() != ErrorCode::ILLEGAL_STATE) return stopped;
  }
  return {};
}

}  // namespace cppbatch::internal
