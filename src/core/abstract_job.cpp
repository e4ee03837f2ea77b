#include "cppbatch/core/abstract_job.hpp"

#include <fmt/format.h>

#include <stdexcept>

#include "core/failure_description.hpp"
#include "core/step_handler.hpp"
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
  const StepExecution* previous = execution.step_executions.empty() ? nullptr : execution.step_executions.back().get();
  internal::StepHandler handler(repository(), execution);
  internal::HandledStep handled = handler.handle(step, previous);
  return StepOutcome{handled.execution->status, handled.execution->exit_status, handled.ran};
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
