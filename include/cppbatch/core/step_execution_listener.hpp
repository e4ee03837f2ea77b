// StepExecutionListener: callbacks around a step execution. after_step may
// return an ExitStatus that is combined (ExitStatus::and_) with the step's
// own — the way to report "COMPLETED WITH SKIPS". No-op defaults; called on
// the step's thread.
#pragma once

#include <optional>

#include "cppbatch/core/exit_status.hpp"
#include "cppbatch/core/step_execution.hpp"

namespace cppbatch {

class StepExecutionListener {
 public:
  virtual ~StepExecutionListener() = default;
  virtual void before_step(StepExecution& execution) { (void)execution; }
  virtual std::optional<ExitStatus> after_step(StepExecution& execution) {
    (void)execution;
    return std::nullopt;
  }
};

}  // namespace cppbatch
