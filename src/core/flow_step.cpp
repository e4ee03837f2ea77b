#include "cppbatch/core/flow_step.hpp"

#include <stdexcept>

#include "core/flow_executor.hpp"

namespace cppbatch {

FlowStep::FlowStep(StepSettings settings, std::shared_ptr<const Flow> flow)
    : AbstractStep(std::move(settings)), flow_(std::move(flow)) {
  if (!flow_) throw std::invalid_argument("step '" + name() + "' has no flow");
}

void FlowStep::do_execute(StepExecution& execution) {
  if (execution.job_execution == nullptr) {
    throw std::logic_error("flow step '" + name() + "' runs without its job execution");
  }
  internal::FlowExecutor executor(repository(), *execution.job_execution, execution.execution_context);
  internal::FlowResult result = executor.run(*flow_);
  execution.upgrade_status(result.status.batch_status());
  execution.exit_status = executor.exit_status(result);
}

FlowStepBuilder::FlowStepBuilder(StepSettings settings, std::shared_ptr<const Flow> flow)
    : StepBuilderBase(std::move(settings)), flow_(std::move(flow)) {}

std::unique_ptr<Step> FlowStepBuilder::build() {
  return std::make_unique<FlowStep>(std::move(settings_), std::move(flow_));
}

FlowStepBuilder StepBuilder::flow(std::shared_ptr<const Flow> flow) {
  return FlowStepBuilder(std::move(settings_), std::move(flow));
}

}  // namespace cppbatch
