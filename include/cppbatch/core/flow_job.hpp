// FlowJob: a job whose steps are joined by a Flow — conditional
// transitions, deciders, nested flows, splits, end/fail/stop states
// (Spring Batch's FlowJob). Built by FlowJobBuilder.
//
// The job's status is the batch status of the flow's final status
// (COMPLETED, FAILED, STOPPED...); its exit status combines (ExitStatus::and_)
// the exit codes of the end states reached with the flow's final status,
// so it is the most severe of them. A flow that cannot go on (an exit code
// no transition matches, a step that cannot start) fails the job with the
// reason as exit description. Restart: the flow runs again from its start
// state; steps completed in an earlier execution are skipped and yield
// their earlier exit code, so the flow takes the same path up to the step
// that failed or stopped (deciders are evaluated again).
#pragma once

#include <memory>

#include "cppbatch/core/abstract_job.hpp"
#include "cppbatch/core/flow.hpp"

namespace cppbatch {

class FlowJob final : public AbstractJob {
 public:
  FlowJob(JobSettings settings, std::shared_ptr<const Flow> flow);
  const Flow& flow() const { return *flow_; }

 protected:
  void do_execute(JobExecution& execution) override;

 private:
  std::shared_ptr<const Flow> flow_;
};

}  // namespace cppbatch
