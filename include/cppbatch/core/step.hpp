// Step: one phase of a job. The engine hands a step a StepExecution that is
// already persisted; the step runs, leaves status, exit status and counters
// in it and persists them before returning. Definitions are immutable once
// built; everything that changes lives in the StepExecution.
//
// execute() never throws: failures end up as status FAILED with the error
// in the exit description. One execution at a time per Step object.
#pragma once

#include <cstdint>
#include <limits>
#include <string>

#include "cppbatch/core/step_execution.hpp"

namespace cppbatch {

// The options every step has (filled by StepBuilder or a job file).
struct StepOptions {
  std::string name;
  // Run again on restart even if it completed in an earlier execution.
  bool allow_start_if_complete = false;
  // How many times the step may start within one job instance.
  int64_t start_limit = std::numeric_limits<int64_t>::max();
};

class Step {
 public:
  virtual ~Step() = default;
  Step() = default;
  Step(const Step&) = delete;
  Step& operator=(const Step&) = delete;

  virtual const StepOptions& options() const = 0;
  const std::string& name() const { return options().name; }
  virtual void execute(StepExecution& execution) = 0;
};

}  // namespace cppbatch
