// ChunkContext: what a tasklet or chunk listener sees of the chunk being
// run: the step execution (and through it the job execution and its
// parameters). Valid for the duration of one chunk.
#pragma once

#include "cppbatch/core/job_execution.hpp"
#include "cppbatch/core/step_execution.hpp"

namespace cppbatch {

class ChunkContext {
 public:
  explicit ChunkContext(StepExecution& step_execution) : step_execution_(&step_execution) {}

  StepExecution& step_execution() const { return *step_execution_; }
  // Never null while the step runs inside a job.
  JobExecution* job_execution() const { return step_execution_->job_execution; }
  // Parameters of the running job (empty outside a job).
  const JobParameters& job_parameters() const;
  bool complete() const { return complete_; }
  void set_complete() { complete_ = true; }

 private:
  StepExecution* step_execution_;
  bool complete_ = false;
};

}  // namespace cppbatch
