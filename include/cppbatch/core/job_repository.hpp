// JobRepository: the persistent truth about jobs, instances, executions and
// checkpoints. Every status change is stored before it is acted on.
//
// Contracts shared by every implementation (checked by the conformance
// suite in tests/conformance):
// - create_job_execution applies Spring Batch's launch rules: a running
//   execution of the instance → ALREADY_RUNNING; a COMPLETED or ABANDONED
//   one (with identifying parameters) → ALREADY_COMPLETE; UNKNOWN →
//   NOT_RESTARTABLE. Before refusing as running it looks for dead owners:
//   an execution whose lease shows its process gone (same host, pid dead)
//   or whose lease expired is marked FAILED (exit description says why)
//   and the launch proceeds. Two processes creating the same instance at
//   once: exactly one succeeds.
// - update(...) checks VERSION (0 rows → CONFLICT) and bumps it.
// - update(StepExecution&) stores counters, status and, when dirty, the
//   step's context in one transaction (joining the transaction of
//   transaction_manager() when one is open on this thread), and sets
//   terminate_only when the stored job execution is STOPPING.
// - update(JobExecution&) keeps a STOPPING stored by another process: if
//   the stored status is STOPPING, the update adopts the stored VERSION (so
//   an operator's stop never causes a CONFLICT) and an in-memory
//   STARTING/STARTED becomes STOPPING; a final status is written as is.
// - When a transaction the repository joined rolls back, the caller
//   restores its own copy of the step execution (the engine does).
// - heartbeat() returns CONFLICT once this process no longer holds the
//   lease (the execution was declared dead elsewhere).
// - delete_job_executions() removes executions whole, in one transaction,
//   and never a running one (retention: JobOperator::prune).
// Thread-safe.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "cppbatch/common/clock.hpp"
#include "cppbatch/common/result.hpp"
#include "cppbatch/core/dead_letter_store.hpp"
#include "cppbatch/core/job_explorer.hpp"
#include "cppbatch/core/transaction_manager.hpp"

namespace cppbatch {

// How long an execution's owner may go without a heartbeat before another
// process may declare it dead. Owners beat every lease / 4.
struct LeaseOptions {
  std::chrono::milliseconds lease_duration{std::chrono::seconds{60}};
};

// A job execution and its instance, as retention selects them.
struct ExecutionKey {
  int64_t execution_id = 0;
  int64_t instance_id = 0;
  bool operator==(const ExecutionKey& other) const = default;
};

// What delete_job_executions removed, or in a dry run would remove.
struct ExecutionDeletion {
  std::vector<int64_t> job_executions;   // ascending
  std::vector<int64_t> job_instances;    // left without any execution, so deleted too; ascending
  int64_t step_executions = 0;           // step execution rows (each with its context row)
  std::vector<int64_t> skipped_running;  // running when asked (STARTING, STARTED, STOPPING): kept; ascending
};

class JobRepository : public JobExplorer {
 public:
  // The last execution of the instance (job name + identifying parameters
  // of `parameters`), with step executions and contexts; nullopt if none.
  virtual Result<std::unique_ptr<JobExecution>> last_job_execution(std::string_view job_name,
                                                                   const JobParameters& parameters) = 0;
  // Creates the instance if needed and a new STARTING execution owned by
  // this process (lease taken). The new execution's context is the last
  // execution's context. See the launch rules above.
  virtual Result<std::unique_ptr<JobExecution>> create_job_execution(std::string_view job_name,
                                                                     const JobParameters& parameters) = 0;
  virtual Result<void> update(JobExecution& execution) = 0;
  virtual Result<void> update_execution_context(JobExecution& execution) = 0;

  // Persists a new step execution of `step.job_execution` (id assigned,
  // version 0, context saved).
  virtual Result<void> add(StepExecution& step) = 0;
  virtual Result<void> update(StepExecution& step) = 0;
  virtual Result<void> update_execution_context(StepExecution& step) = 0;
  // The most recent execution of that step in the instance (by id), with
  // context; nullopt if the step never ran in it.
  virtual Result<std::optional<StepExecution>> last_step_execution(const JobInstance& instance,
                                                                   std::string_view step_name) = 0;
  // How many times that step ran in the instance.
  virtual Result<int64_t> step_execution_count(const JobInstance& instance, std::string_view step_name) = 0;

  // Renews this process's lease on a running execution.
  virtual Result<void> heartbeat(const JobExecution& execution) = 0;
  // Releases the lease once the execution has ended.
  virtual Result<void> release(const JobExecution& execution) = 0;

  // --- retention (JobOperator::prune) ---
  // Executions of `job_name` (every job when empty) whose CREATE_TIME is
  // before `cutoff`, running ones included, ordered by instance id then
  // execution id: a caller deleting them in batches cut at instance
  // boundaries hands each instance's executions over in one call.
  virtual Result<std::vector<ExecutionKey>> job_executions_created_before(std::string_view job_name,
                                                                          Timestamp cutoff) = 0;
  // Deletes the executions `execution_ids` with every row that belongs to
  // them: parameters, job context, step executions and their contexts,
  // lease; then each of their instances left without an execution. One
  // transaction for the whole call: after a failure (STORAGE) nothing of
  // it is deleted. An execution that is running at that moment is kept and
  // reported in skipped_running (a dead owner's execution too: a restart
  // marks it FAILED first); ids not stored are ignored. `dry_run`: the same
  // work, rolled back, so the result says exactly what would go.
  // ILLEGAL_STATE when called inside an open transaction_manager()
  // transaction (its rows could not be rolled back alone).
  virtual Result<ExecutionDeletion> delete_job_executions(const std::vector<int64_t>& execution_ids,
                                                          bool dry_run) = 0;

  // The manager whose transaction the repository's writes join.
  virtual TransactionManager& transaction_manager() = 0;
  // The dead-letter table in the repository's database; its writes join
  // transaction_manager()'s transaction. Lives as long as the repository.
  virtual DeadLetterStore& dead_letters() = 0;
  virtual const LeaseOptions& lease_options() const = 0;
  // The source of every timestamp this repository stores; steps, jobs and
  // the operator default to it so one injected clock governs a test.
  virtual Clock& clock() const = 0;
};

}  // namespace cppbatch
