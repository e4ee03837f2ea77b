#include "cppbatch/core/tasklet_step.hpp"

#include <stdexcept>

namespace cppbatch {

TaskletStep::TaskletStep(StepSettings settings, std::unique_ptr<Tasklet> tasklet)
    : AbstractStep(std::move(settings)), tasklet_(std::move(tasklet)) {
  if (!tasklet_) throw std::invalid_argument("tasklet step '" + options().name + "' has no tasklet");
  if (auto* stream = dynamic_cast<ItemStream*>(tasklet_.get())) add_stream(stream);
}

void TaskletStep::do_execute(StepExecution& execution) {
  RepeatStatus status = RepeatStatus::CONTINUABLE;
  while (status == RepeatStatus::CONTINUABLE) {
    run_chunk(execution, [&](StepContribution& contribution, ChunkContext& context) {
      status = tasklet_->execute(contribution, context);
    });
    check_interrupted(execution);
  }
}

}  // namespace cppbatch
