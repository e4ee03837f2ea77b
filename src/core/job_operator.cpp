#include "cppbatch/core/job_operator.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "core/stop_request.hpp"
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

Result<void> JobOperator::stop(int64_t execution_id) { return internal::request_stop(repository_, execution_id); }

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

// --- queries ----------------------------------------------------------------

Result<void> JobOperator::require_known_job(std::string_view job_name) {
  if (registry_.contains(job_name)) return {};
  auto stored = repository_.job_names();
  if (!stored) return stored.error();
  if (std::find(stored->begin(), stored->end(), job_name) != stored->end()) return {};
  std::vector<std::string> known = registry_.names();
  for (auto& name : stored.value()) {
    if (!registry_.contains(name)) known.push_back(std::move(name));
  }
  std::sort(known.begin(), known.end());
  return Error(ErrorCode::NOT_FOUND,
               fmt::format("no job named '{}' in the registry or in the repository (known: {})", job_name,
                           known.empty() ? "none" : fmt::format("{}", fmt::join(known, ", "))));
}

Result<std::string> JobOperator::get_summary(int64_t execution_id) {
  auto execution = repository_.job_execution(execution_id);
  if (!execution) return execution.error();
  return execution.value()->summary(repository_.clock().now());
}

Result<std::map<int64_t, std::string>> JobOperator::get_step_execution_summaries(int64_t execution_id) {
  auto execution = repository_.job_execution(execution_id);
  if (!execution) return execution.error();
  std::map<int64_t, std::string> summaries;
  for (const auto& step : execution.value()->step_executions) summaries.emplace(step->id, step->summary());
  return summaries;
}

Result<std::vector<std::unique_ptr<JobExecution>>> JobOperator::get_running_executions(std::string_view job_name) {
  if (!job_name.empty()) CPPBATCH_RETURN_IF_ERROR(require_known_job(job_name));
  return repository_.running_job_executions(job_name);
}

Result<std::vector<JobInstance>> JobOperator::get_job_instances(std::string_view job_name, int64_t start,
                                                               int64_t count) {
  if (start < 0 || count < 0) {
    return Error(ErrorCode::INVALID_ARGUMENT,
                 fmt::format("job instances: start ({}) and count ({}) must not be negative", start, count));
  }
  CPPBATCH_RETURN_IF_ERROR(require_known_job(job_name));
  return repository_.job_instances(job_name, start, count);
}

std::vector<std::string> JobOperator::get_job_names() const { return registry_.names(); }

Result<JobParameters> JobOperator::get_parameters(int64_t execution_id) {
  auto execution = repository_.job_execution(execution_id);
  if (!execution) return execution.error();
  return execution.value()->job_parameters;
}

Result<std::vector<std::unique_ptr<JobExecution>>> JobOperator::get_executions(int64_t instance_id) {
  auto instance = repository_.job_instance(instance_id);
  if (!instance) return instance.error();
  return repository_.job_executions(instance.value());
}

// --- retention --------------------------------------------------------------

namespace {

void append(std::vector<int64_t>& to, const std::vector<int64_t>& ids) { to.insert(to.end(), ids.begin(), ids.end()); }

}  // namespace

Result<PruneReport> JobOperator::prune(const PruneOptions& options) {
  if (options.batch_size < 1) {
    return Error(ErrorCode::INVALID_ARGUMENT, fmt::format("prune: batch size must be at least 1, got {}",
                                                          options.batch_size));
  }
  if (!options.job_name.empty()) CPPBATCH_RETURN_IF_ERROR(require_known_job(options.job_name));
  auto candidates = repository_.job_executions_created_before(options.job_name, options.created_before);
  if (!candidates) return candidates.error();
  const std::vector<ExecutionKey>& keys = candidates.value();
  PruneReport report;
  std::vector<int64_t> batch;
  for (size_t i = 0; i < keys.size(); ++i) {
    batch.push_back(keys[i].execution_id);
    const bool last = i + 1 == keys.size();
    const bool instance_ends = last || keys[i + 1].instance_id != keys[i].instance_id;
    if (!last && !(instance_ends && static_cast<int64_t>(batch.size()) >= options.batch_size)) continue;
    auto deleted = repository_.delete_job_executions(batch, options.dry_run);
    if (!deleted) {
      return Error(deleted.error().code(),
                   fmt::format("pruning stopped after {} {} ({} executions, {} instances deleted; the repository "
                               "is consistent and running it again finishes the work): {}",
                               report.transactions, report.transactions == 1 ? "batch" : "batches",
                               report.job_executions.size(), report.job_instances.size(), deleted.error().message()));
    }
    append(report.job_executions, deleted->job_executions);
    append(report.job_instances, deleted->job_instances);
    append(report.skipped_running, deleted->skipped_running);
    report.step_executions += deleted->step_executions;
    ++report.transactions;
    batch.clear();
  }
  for (auto* ids : {&report.job_executions, &report.job_instances, &report.skipped_running}) {
    std::sort(ids->begin(), ids->end());
  }
  if (!options.dry_run && !report.job_executions.empty()) {
    logger().info("pruned {} job executions and {} job instances created before {} UTC{}",
                  report.job_executions.size(), report.job_instances.size(),
                  format_time_short(options.created_before),
                  options.job_name.empty() ? "" : fmt::format(" of job '{}'", options.job_name));
  }
  return report;
}

}  // namespace cppbatch
