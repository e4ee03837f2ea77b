// JobOperator: what operators do to jobs by name and execution id — start,
// start the next instance, restart, stop, abandon; look executions up
// (Spring's JobOperator queries); and delete old history (prune). Jobs come
// from the registry (a fresh Job per launch); state from the repository, so
// a stop issued here reaches a job running in another process (it notices
// at its next chunk boundary).
//
//   JobOperator op(registry, repo);
//   auto handle = op.restart(42);
//   auto line = op.get_summary(42);   // "Execution 42 of job 'settlement' ..."
//   auto pruned = op.prune({.created_before = now - std::chrono::days{30}});
//
// Where Spring returns ids (getJobInstances, getRunningExecutions,
// getExecutions), the queries here return the objects; their ids are
// Spring's answer. Thread-safe as its repository and registry are.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cppbatch/core/job_launcher.hpp"
#include "cppbatch/core/job_registry.hpp"

namespace cppbatch {

// What prune() deletes.
struct PruneOptions {
  // Executions whose create time is before this instant go (with all their
  // rows, and their instance once it has no execution left).
  Timestamp created_before{};
  // Only this job's executions; empty (default): every job's.
  std::string job_name{};
  // Report what would be deleted without deleting anything. Default false.
  bool dry_run = false;
  // Executions deleted per transaction (default 100; at least 1). Batches
  // are cut at instance boundaries, so one instance's executions always go
  // together and a batch may hold more when an instance has more.
  int64_t batch_size = 100;
};

// What prune() deleted (or, in a dry run, would delete). Ids ascending.
struct PruneReport {
  std::vector<int64_t> job_executions;
  std::vector<int64_t> job_instances;    // left without executions, so deleted
  int64_t step_executions = 0;
  std::vector<int64_t> skipped_running;  // running: never deleted
  int64_t transactions = 0;              // batches committed (or rolled back in a dry run)
};

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
  // Marks a running execution STOPPING, and the child executions of its
  // running JobSteps too (retrying when the job updated its execution at
  // the same moment). ILLEGAL_STATE if not running.
  Result<void> stop(int64_t execution_id);
  // Marks a stopped/failed execution ABANDONED (never restarted).
  // ILLEGAL_STATE if it is COMPLETED, STARTING or STARTED.
  Result<void> abandon(int64_t execution_id);

  // The parameters start_next_instance would use.
  Result<JobParameters> next_parameters(const Job& job, const JobParameters& overrides);

  // --- queries (NOT_FOUND names what is missing) ---------------------------
  // JobExecution::summary of the execution, at the repository clock's now.
  Result<std::string> get_summary(int64_t execution_id);
  // Step execution id → StepExecution::summary(), in the order the steps
  // started (ids ascend with it).
  Result<std::map<int64_t, std::string>> get_step_execution_summaries(int64_t execution_id);
  // Running executions (STARTING, STARTED, STOPPING) of the job, newest
  // first; every job's when `job_name` is empty. NOT_FOUND when the job is
  // neither registered nor in the repository.
  Result<std::vector<std::unique_ptr<JobExecution>>> get_running_executions(std::string_view job_name);
  // Instances of the job, newest first, skipping `start`, at most `count`.
  // NOT_FOUND as above; INVALID_ARGUMENT when start or count is negative.
  Result<std::vector<JobInstance>> get_job_instances(std::string_view job_name, int64_t start, int64_t count);
  // The registered job names, sorted (Spring: the registry's names; jobs
  // known only from history are in the repository's job_names()).
  std::vector<std::string> get_job_names() const;
  Result<JobParameters> get_parameters(int64_t execution_id);
  // Executions of the instance, newest first, with their step executions.
  Result<std::vector<std::unique_ptr<JobExecution>>> get_executions(int64_t instance_id);

  // --- retention ------------------------------------------------------------
  // Deletes the executions created before options.created_before (of one
  // job or all) with every row that belongs to them, and each instance left
  // without an execution, one transaction per batch: if it fails midway,
  // the batches before are gone, the failing one is untouched, and running
  // it again finishes the work. Running executions are never deleted; they
  // are reported in skipped_running. Deleting an instance's executions
  // forgets that it ran: its parameters may launch again afresh.
  // INVALID_ARGUMENT for batch_size < 1; NOT_FOUND for a job_name neither
  // registered nor in the repository; STORAGE naming how far it got.
  Result<PruneReport> prune(const PruneOptions& options);

 private:
  // NOT_FOUND unless the job is registered or has history.
  Result<void> require_known_job(std::string_view job_name);

  const JobRegistry& registry_;
  JobRepository& repository_;
  JobLauncher launcher_;
};

}  // namespace cppbatch
