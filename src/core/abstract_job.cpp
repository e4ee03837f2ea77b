#include "cppbatch/core/abstract_job.hpp"

#include <fmt/format.h>

#include <stdexcept>

#include "core/failure_description.hpp"
#include "cppbatch/common/logging.hpp"
#include "cppbatch/core/job_interrupted_exception.hpp"

namespace cppbatch {

AbstractJob::AbstractJob(JobSettings settings) : settings_(std::move(settings)) {
  if (settings_.repository == nullptr) throw std::invalid_argument("job '" + settings_.name + "' has no job repository");
  if (settings_.name.empty()) throw std::invalid_argument("a job needs a name");
  if (settings_.clock == nullptr) settings_.clock = &settings_.repository->clock();
}

void AbstractJob::execute(JobExecution& execution) {
  const std::string label = fmt::format("{}#{}", execution.job_name(), execution.id);
  if (execution.status == BatchStatus::STOPPING) {
    execution.status = BatchStatus::STOPPED;
    execution.exit_status = ExitStatus::stopped("stopped before it started");
    execution.end_time = clock().now();
    if (auto r = repository().update(execution); !r) logger().error("[{}] {}", label, r.error().to_string());
    return;
  }
  logger().info("[{}] job started with parameters {}", label, execution.job_parameters.to_string());
  execution.start_time = clock().now();
  execution.status = BatchStatus::STARTED;
  try {
    auto started = repository().update(execution);
    if (!started) throw std::runtime_error("could not mark the job STARTED: " + started.error().to_string());
    for (auto& listener : settings_.listeners) listener->before_job(execution);
    do_execute(execution);
  } catch (const JobInterruptedException& e) {
    execution.exit_status = ExitStatus::stopped(e.what());
    execution.status = max_status(BatchStatus::STOPPED, execution.status);
  } catch (const std::exception& e) {
    std::string description = internal::describe_failure(e);
    execution.exit_status = ExitStatus::failed(description);
    execution.status = BatchStatus::FAILED;
    execution.failures.push_back(description);
    logger().error("[{}] job failed: {}", label, description);
  }
  if ((execution.status == BatchStatus::COMPLETED || execution.status == BatchStatus::STOPPED) &&
      execution.step_executions.empty()) {
    execution.exit_status = execution.exit_status.and_(
        ExitStatus::noop().add_description("All steps already completed or no steps configured for this job."));
  }
  execution.end_time = clock().now();
  for (auto it = settings_.listeners.rbegin(); it != settings_.listeners.rend(); ++it) {
    try {
      (*it)->after_job(execution);
    } catch (const std::exception& e) {
      logger().error("[{}] afterJob listener failed: {}", label, e.what());
      execution.status = max_status(execution.status, BatchStatus::FAILED);
      execution.exit_status = execution.exit_status.and_(ExitStatus::failed(std::string("afterJob listener failed: ") + e.what()));
    }
  }
  auto saved = repository().update(execution);
  if (!saved) {
    logger().error("[{}] could not save the job's final state: {}", label, saved.error().to_string());
    execution.status = BatchStatus::UNKNOWN;
  }
  logger().info("[{}] job ended {} (exit {}{}{})", label, to_string(execution.status), execution.exit_status.code(),
                execution.exit_status.description().empty() ? "" : ": ", execution.exit_status.description());
}

StepOutcome AbstractJob::handle_step(Step& step, JobExecution& execution) {
  if (execution.status == BatchStatus::STOPPING) throw JobInterruptedException("Job execution interrupted");
  // The previous step's final update saw a stop requested while it was
  // ending (terminate_only): do not start another step.
  if (!execution.step_executions.empty() && execution.step_executions.back()->terminate_only) {
    throw JobInterruptedException("Job execution interrupted before step " + step.name());
  }
  const JobInstance& instance = execution.job_instance;
  auto last_result = repository().last_step_execution(instance, step.name());
  if (!last_result) throw std::runtime_error(last_result.error().to_string());
  std::optional<StepExecution> last = std::move(last_result.value());
  if (last && last->job_execution_id == execution.id) last.reset();  // a loop in a flow: run again

  if (last) {
    if ((last->status == BatchStatus::COMPLETED && !step.options().allow_start_if_complete) ||
        last->status == BatchStatus::ABANDONED) {
      logger().info("[{}#{}] step {} is {}: not started again", execution.job_name(), execution.id, step.name(),
                    to_string(last->status));
      return StepOutcome{last->status, last->exit_status, false};
    }
    if (last->status == BatchStatus::UNKNOWN) {
      throw std::runtime_error(
          "Cannot restart step [" + step.name() +
          "] from UNKNOWN status. The last execution ended with a failure that could not be rolled back, so it may be "
          "dangerous to proceed. Manual intervention is probably necessary.");
    }
    auto count = repository().step_execution_count(instance, step.name());
    if (!count) throw std::runtime_error(count.error().to_string());
    if (*count >= step.options().start_limit) {
      throw std::runtime_error(fmt::format("Maximum start limit exceeded for step: {} StartMax: {}", step.name(),
                                           step.options().start_limit));
    }
  }
  StepExecution& current = execution.create_step_execution(step.name());
  if (last && last->status != BatchStatus::COMPLETED) {
    current.execution_context = last->execution_context;
    current.execution_context.remove("batch.executed");
  }
  auto added = repository().add(current);
  if (!added) throw std::runtime_error("could not save the new step execution: " + added.error().to_string());
  step.execute(current);
  auto context_saved = repository().update_execution_context(execution);
  if (!context_saved) throw std::runtime_error(context_saved.error().to_string());
  if (current.status == BatchStatus::STOPPING || current.status == BatchStatus::STOPPED) {
    execution.status = BatchStatus::STOPPED;
    throw JobInterruptedException("Job interrupted by step execution " + current.step_name);
  }
  return StepOutcome{current.status, current.exit_status, true};
}

SimpleJob::SimpleJob(JobSettings settings, std::vector<std::unique_ptr<Step>> steps)
    : AbstractJob(std::move(settings)), steps_(std::move(steps)) {}

void SimpleJob::do_execute(JobExecution& execution) {
  StepOutcome last;
  bool any = false;
  for (auto& step : steps_) {
    last = handle_step(*step, execution);
    any = true;
    if (last.status != BatchStatus::COMPLETED) break;
  }
  if (any) {
    execution.upgrade_status(last.status);
    execution.exit_status = last.exit_status;
  } else {
    execution.upgrade_status(BatchStatus::COMPLETED);
    execution.exit_status = ExitStatus::completed();
  }
}

}  // namespace cppbatch
