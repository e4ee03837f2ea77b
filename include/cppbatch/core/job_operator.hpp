// JobOperator: what operators do to jobs by name and execution id — start,
// start the next instance, restart, stop, abandon. Jobs come from the
// registry (a fresh Job per launch); state from the repository, so a stop
// issued here reaches a job running in another process (it notices at its
// next chunk boundary).
//
//   JobOperator op(registry, repo);
//   auto handle = op.restart(42);
#pragma once

#include <string_view>

#include "cppbatch/core/job_launcher.hpp"
#include "cppbatch/core/job_registry.hpp"

namespace cppbatch {

class JobOperator {
 public:
  // All three must outlive the operator; null executor = synchronous.
  JobOperator(const JobRegistry& registry, JobRepository& repository, TaskExecutor* executor = nullptr);

  Result<JobExecutionHandle> start(std::string_view job_name, const JobParameters& parameters);
  // Parameters from the job's incrementer applied to the last instance's
  // parameters, then `overrides` on top (Spring's getNextJobParameters).
  // INVALID_ARGUMENT if the job has no incrementer.
  Result<JobExecutionHandle> start_next_instance(std::string_view job_name, const JobParameters& overrides = {});
  // Relaunches the instance of that execution with its parameters; the
  // steps resume where they stopped. NOT_FOUND, ALREADY_COMPLETE...
  Result<JobExecutionHandle> restart(int64_t execution_id);
  // Marks a running execution STOPPING. ILLEGAL_STATE if not running.
  Result<void> stop(int64_t execution_id);
  // Marks a stopped/failed execution ABANDONED (never restarted).
  // ILLEGAL_STATE if it is COMPLETED, STARTING or STARTED.
  Result<void> abandon(int64_t execution_id);

  // The parameters start_next_instance would use.
  Result<JobParameters> next_parameters(const Job& job, const JobParameters& overrides);

 private:
  const JobRegistry& registry_;
  JobRepository& repository_;
  JobLauncher launcher_;
};

}  // namespace cppbatch
