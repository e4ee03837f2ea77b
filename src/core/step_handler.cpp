#include "core/step_handler.hpp"

#include <fmt/format.h>

#include <stdexcept>

#include "cppbatch/common/logging.hpp"
#include "cppbatch/core/job_execution.hpp"
#include "cppbatch/core/job_interrupted_exception.hpp"

namespace cppbatch::internal {

StepHandler::StepHandler(JobRepository& repository, JobExecution& job, ExecutionContext initial_context)
    : repository_(repository), job_(job), initial_context_(std::move(initial_context)) {}

HandledStep StepHandler::handle(Step& step, const StepExecution* previous) {
  {
    std::lock_guard lock(job_.mutex);
    if (job_.status == BatchStatus::STOPPING) throw JobInterruptedException("Job execution interrupted");
  }
  // The previous step's final update saw a stop requested while it was
  // ending (terminate_only): do not start another step.
  if (previous != nullptr && previous->terminate_only) {
    throw JobInterruptedException("Job execution interrupted before step " + step.name());
  }
  const JobInstance& instance = job_.job_instance;
  auto last_result = repository_.last_step_execution(instance, step.name());
  if (!last_result) throw std::runtime_error(last_result.error().to_string());
  std::optional<StepExecution> last = std::move(last_result.value());
  if (last && last->job_execution_id == job_.id) last.reset();  // a loop in a flow: run again

  if (last) {
    if ((last->status == BatchStatus::COMPLETED && !step.options().allow_start_if_complete) ||
        last->status == BatchStatus::ABANDONED) {
      logger().info("[{}#{}] step {} is {}: not started again", job_.job_name(), job_.id, step.name(),
                    to_string(last->status));
      std::lock_guard lock(earlier_mutex_);
      earlier_.push_back(std::make_unique<StepExecution>(std::move(*last)));
      return HandledStep{earlier_.back().get(), false};
    }
    if (last->status == BatchStatus::UNKNOWN) {
      throw std::runtime_error(
          "Cannot restart step [" + step.name() +
          "] from UNKNOWN status. The last execution ended with a failure that could not be rolled back, so it may be "
          "dangerous to proceed. Manual intervention is probably necessary.");
    }
    auto count = repository_.step_execution_count(instance, step.name());
    if (!count) throw std::runtime_error(count.error().to_string());
    if (*count >= step.options().start_limit) {
      throw std::runtime_error(fmt::format("Maximum start limit exceeded for step: {} StartMax: {}", step.name(),
                                           step.options().start_limit));
    }
  }
  StepExecution* current = nullptr;
  {
    std::lock_guard lock(job_.mutex);
    current = &job_.create_step_execution(step.name());
  }
  if (last && last->status != BatchStatus::COMPLETED) {
    current->execution_context = last->execution_context;
    current->execution_context.remove("batch.executed");
  } else if (!initial_context_.empty()) {
    current->execution_context = initial_context_;
  }
  auto added = repository_.add(*current);
  if (!added) throw std::runtime_error("could not save the new step execution: " + added.error().to_string());
  step.execute(*current);
  {
    std::lock_guard lock(job_.mutex);
    auto context_saved = repository_.update_execution_context(job_);
    if (!context_saved) throw std::runtime_error(context_saved.error().to_string());
    if (current->status == BatchStatus::STOPPING || current->status == BatchStatus::STOPPED) {
      job_.status = BatchStatus::STOPPED;
      throw JobInterruptedException("Job interrupted by step execution " + current->step_name);
    }
  }
  return HandledStep{current, true};
}

}  // namespace cppbatch::internal
