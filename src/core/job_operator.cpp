#include "cppbatch/core/job_operator.hpp"

#include <fmt/format.h>

#include "cppbatch/common/clock.hpp"
#include "cppbatch/common/logging.hpp"

namespace cppbatch {

JobOperator::JobOperator(const JobRegistry& registry, JobRepository& repository, TaskExecutor* executor)
    : registry_(registry), repository_(repository), launcher_(repository, executor) {}

Result<JobExecutionHandle> JobOperator::start(std::string_view job_name, const JobParameters& parameters) {
  auto job = registry_.create(job_name, repository_);
  if (!job) return job.error();
  return launcher_.run(std::shared_ptr<Job>(std::move(job.value())), parameters);
}

Result<JobParameters> JobOperator::next_parameters(const Job& job, const JobParameters& overrides) {
  const JobParametersIncrementer* incrementer = job.incrementer();
  if (incrementer == nullptr) {
    return Error(ErrorCode::INVALID_ARGUMENT,
                 fmt::format("job '{}' has no incrementer, so it cannot start a next instance", job.name()));
  }
  auto instances = repository_.job_instances(job.name(), 0, 1);
  if (!instances) return instances.error();
  JobParameters previous;
  if (!instances->empty()) {
    auto executions = repository_.job_executions(instances->front());
    if (!executions) return executions.error();
    if (!executions->empty()) previous = executions->front()->job_parameters;
  }
  JobParameters next;
  try {
    next = incrementer->next(previous);
  } catch (const std::exception& e) {
    return Error(ErrorCode::INVALID_ARGUMENT, fmt::format("job '{}': {}", job.name(), e.what()));
  }
  JobParametersBuilder builder(next);
  for (const auto& [name, parameter] : overrides.parameters()) builder.add(name, parameter);
  return builder.build();
}

Result<JobExecutionHandle> JobOperator::start_next_instance(std::string_view job_name, const JobParameters& overrides) {
  auto job = registry_.create(job_name, repository_);
  if (!job) return job.error();
  auto parameters = next_parameters(*job.value(), overrides);
  if (!parameters) return parameters.error();
  return launcher_.run(std::shared_ptr<Job>(std::move(job.value())), *parameters);
}

Result<JobExecutionHandle> JobOperator::restart(int64_t execution_id) {
  auto execution = repository_.job_execution(execution_id);
  if (!execution) return execution.error();
  const JobExecution& previous = *execution.value();
  if (previous.status == BatchStatus::COMPLETED) {
    return Error(ErrorCode::ALREADY_COMPLETE,
                 fmt::format("execution {} of job '{}' is COMPLETED: nothing to restart", execution_id,
                             previous.job_name()));
  }
  if (previous.status == BatchStatus::ABANDONED) {
    return Error(ErrorCode::NOT_RESTARTABLE,
                 fmt::format("execution {} of job '{}' was ABANDONED and cannot be restarted", execution_id,
                             previous.job_name()));
  }
  auto job = registry_.create(previous.job_name(), repository_);
  if (!job) return job.error();
  return launcher_.run(std::shared_ptr<Job>(std::move(job.value())), previous.job_parameters);
}

Result<void> JobOperator::stop(int64_t execution_id) {
  auto execution = repository_.job_execution(execution_id);
  if (!execution) return execution.error();
  JobExecution& current = *execution.value();
  if (!current.is_running()) {
    return Error(ErrorCode::ILLEGAL_STATE, fmt::format("JobExecution must be running so that it can be stopped: "
                                                       "execution {} is {}",
                                                       execution_id, to_string(current.status)));
  }
  if (current.status == BatchStatus::STOPPING) return {};
  current.status = BatchStatus::STOPPING;
  CPPBATCH_RETURN_IF_ERROR(repository_.update(current));
  logger().info("stop requested for execution {} of job '{}'", execution_id, current.job_name());
  return {};
}

Result<void> JobOperator::abandon(int64_t execution_id) {
  auto execution = repository_.job_execution(execution_id);
  if (!execution) return execution.error();
  JobExecution& current = *execution.value();
  if (current.status < BatchStatus::STOPPING) {
    return Error(ErrorCode::ILLEGAL_STATE,
                 fmt::format("JobExecution is running or complete and therefore cannot be aborted: execution {} is {}",
                             execution_id, to_string(current.status)));
  }
  current.status = BatchStatus::ABANDONED;
  current.end_time = repository_.clock().now();
  CPPBATCH_RETURN_IF_ERROR(repository_.update(current));
  return {};
}

}  // namespace cppbatch
