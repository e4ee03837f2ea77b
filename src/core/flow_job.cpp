#include "cppbatch/core/flow_job.hpp"

#include <stdexcept>

#include "core/flow_executor.hpp"

namespace cppbatch {

FlowJob::FlowJob(JobSettings settings, std::shared_ptr<const Flow> flow)
    : AbstractJob(std::move(settings)), flow_(std::move(flow)) {
  if (!flow_) throw std::invalid_argument("job '" + name() + "' has no flow");
}

void FlowJob::do_execute(JobExecution& execution) {
  internal::FlowExecutor executor(repository(), execution);
  internal::FlowResult result = executor.run(*flow_);
  execution.status = result.status.batch_status();
  execution.exit_status = executor.exit_status(result);
}

}  // namespace cppbatch
