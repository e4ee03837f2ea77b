// JobExecutionListener: callbacks around a job execution. after_job runs
// whatever the outcome and may change the execution's exit status. No-op
// defaults; called on the job's thread; exceptions thrown are logged and
// turn the execution FAILED.
#pragma once

#include "cppbatch/core/job_execution.hpp"

namespace cppbatch {

class JobExecutionListener {
 public:
  virtual ~JobExecutionListener() = default;
  virtual void before_job(JobExecution& execution) { (void)execution; }
  virtual void after_job(JobExecution& execution) { (void)execution; }
};

}  // namespace cppbatch
