// Job: a named, restartable unit of batch work made of steps. The engine
// hands a job a persisted JobExecution; execute() runs the steps, records
// the outcome and persists it. Never throws.
#pragma once

#include <memory>
#include <string>

#include "cppbatch/core/job_execution.hpp"
#include "cppbatch/core/job_parameters_incrementer.hpp"
#include "cppbatch/core/job_parameters_validator.hpp"

namespace cppbatch {

class Job {
 public:
  virtual ~Job() = default;
  Job() = default;
  Job(const Job&) = delete;
  Job& operator=(const Job&) = delete;

  virtual const std::string& name() const = 0;
  // False: an instance that already has an execution is never run again.
  virtual bool restartable() const = 0;
  // Null when the job accepts any parameters.
  virtual const JobParametersValidator* validator() const = 0;
  // Null when the job has no incrementer (then --next is refused).
  virtual const JobParametersIncrementer* incrementer() const = 0;
  virtual void execute(JobExecution& execution) = 0;
};

}  // namespace cppbatch
