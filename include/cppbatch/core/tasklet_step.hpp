// TaskletStep: runs a Tasklet repeatedly, one transaction per call, until
// it returns FINISHED. Stops at a call boundary when a stop is requested.
#pragma once

#include <memory>

#include "cppbatch/core/abstract_step.hpp"
#include "cppbatch/core/tasklet.hpp"

namespace cppbatch {

class TaskletStep final : public AbstractStep {
 public:
  TaskletStep(StepSettings settings, std::unique_ptr<Tasklet> tasklet);

 protected:
  void do_execute(StepExecution& execution) override;

 private:
  std::unique_ptr<Tasklet> tasklet_;
};

}  // namespace cppbatch
