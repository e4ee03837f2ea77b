// InMemoryJobRepository: a JobRepository kept in this process's memory, for
// unit tests and throw-away runs. It applies exactly the rules of the
// persistent backends (launch refusals, leases and dead-owner detection,
// optimistic VERSION checks, 2500-byte EXIT_MESSAGE limit) so a test
// against it means what it means against SQLite; nothing survives the
// object.
//
// Stores deep copies: what a caller holds is never shared with the store.
// Thread-safe: one recursive mutex guards the state. transaction_manager()
// gives real transactions, like the SQL backends': begin() takes the mutex
// for the calling thread and starts an undo log, rollback() restores what
// the transaction changed, commit() keeps it; other threads wait meanwhile.
//
//   testing::ManualClock clock;
//   InMemoryJobRepository repo(LeaseOptions{}, clock);
//   auto execution = repo.create_job_execution("settlement", params);
//   if (!execution) return execution.error();
#pragma once

#include <memory>

#include "cppbatch/common/clock.hpp"
#include "cppbatch/core/job_repository.hpp"
#include "cppbatch/repository/execution_lease.hpp"

namespace cppbatch {

class InMemoryJobRepository final : public JobRepository {
 public:
  // `clock` must outlive the repository (heartbeats, leases, timestamps).
  explicit InMemoryJobRepository(LeaseOptions lease = {}, Clock& clock = system_clock());
  ~InMemoryJobRepository() override;
  InMemoryJobRepository(const InMemoryJobRepository&) = delete;
  InMemoryJobRepository& operator=(const InMemoryJobRepository&) = delete;

  // JobExplorer
  Result<std::vector<std::string>> job_names() override;
  Result<std::vector<JobInstance>> job_instances(std::string_view job_name, int64_t start, int64_t count) override;
  Result<JobInstance> job_instance(int64_t instance_id) override;
  Result<std::optional<JobInstance>> find_job_instance(std::string_view job_name,
                                                       const JobParameters& parameters) override;
  Result<std::unique_ptr<JobExecution>> job_execution(int64_t execution_id) override;
  Result<std::vector<std::unique_ptr<JobExecution>>> job_executions(const JobInstance& instance) override;
  Result<std::vector<std::unique_ptr<JobExecution>>> find_job_executions(const ExecutionQuery& query) override;
  Result<std::vector<std::unique_ptr<JobExecution>>> running_job_executions(std::string_view job_name) override;

  // JobRepository
  Result<std::unique_ptr<JobExecution>> last_job_execution(std::string_view job_name,
                                                           const JobParameters& parameters) override;
  Result<std::unique_ptr<JobExecution>> create_job_execution(std::string_view job_name,
                                                             const JobParameters& parameters) override;
  Result<void> update(JobExecution& execution) override;
  Result<void> update_execution_context(JobExecution& execution) override;
  Result<void> add(StepExecution& step) override;
  Result<void> update(StepExecution& step) override;
  Result<void> update_execution_context(StepExecution& step) override;
  Result<std::optional<StepExecution>> last_step_execution(const JobInstance& instance,
                                                           std::string_view step_name) override;
  Result<int64_t> step_execution_count(const JobInstance& instance, std::string_view step_name) override;
  Result<void> heartbeat(const JobExecution& execution) override;
  Result<void> release(const JobExecution& execution) override;
  Result<std::vector<ExecutionKey>> job_executions_created_before(std::string_view job_name,
                                                                  Timestamp cutoff) override;
  Result<ExecutionDeletion> delete_job_executions(const std::vector<int64_t>& execution_ids, bool dry_run) override;
  TransactionManager& transaction_manager() override;
  DeadLetterStore& dead_letters() override;
  const LeaseOptions& lease_options() const override;
  Clock& clock() const override;

  // The lease held on an execution; nullopt if none (never leased,
  // released, or taken away when found dead).
  Result<std::optional<ExecutionLease>> lease(int64_t execution_id);

  // Test hook: replaces the lease of a stored execution, e.g. with the pid
  // of an exited child process to simulate an owner that died. (The SQLite
  // backend's tests write the lease row with SQL instead.)
  void set_lease_for_testing(int64_t execution_id, ExecutionLease lease);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cppbatch
