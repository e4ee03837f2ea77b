// SqliteJobRepository: retention — selecting old executions and deleting
// them whole, one transaction per call.
#include <algorithm>
#include <array>
#include <set>

#include "repository/sqlite_impl.hpp"

namespace cppbatch {

using internal::guarded;
using internal::Impl;
using internal::Sql;
using internal::Use;
using internal::WriteTransaction;

namespace {

// The statements deleting one execution's rows (?1 = JOB_EXECUTION_ID),
// children before parents, so nothing depends on ON DELETE CASCADE. A table
// added to the schema with rows keyed by a job or step execution gets its
// DELETE here, before DELETE_STEPS. Dead letters are kept on purpose: a
// skipped item outlives the execution that skipped it (docs/cli.md, prune).
constexpr std::array kExecutionRowDeletes = {Sql::DELETE_STEP_CONTEXTS, Sql::DELETE_STEPS,  Sql::DELETE_JOB_CONTEXT,
                                             Sql::DELETE_PARAMETERS,    Sql::DELETE_LEASE,  Sql::DELETE_EXECUTION};

int delete_rows(Impl& impl, Sql sql, int64_t id) {
  Use use(impl, sql);
  use->bind(1, id);
  return use->exec();
}

}  // namespace

Result<std::vector<ExecutionKey>> SqliteJobRepository::job_executions_created_before(std::string_view job_name,
                                                                                    Timestamp cutoff) {
  return guarded(*impl_, "job_executions_created_before", [&]() -> Result<std::vector<ExecutionKey>> {
    std::lock_guard lock(impl_->mutex);
    std::vector<ExecutionKey> keys;
    Use use(*impl_, Sql::EXECUTIONS_CREATED_BEFORE);
    internal::bind_time(*use, 1, std::chrono::floor<std::chrono::microseconds>(cutoff));
    use->bind(2, std::string(job_name));
    while (use->executeStep()) keys.push_back({use->getColumn(0).getInt64(), use->getColumn(1).getInt64()});
    return keys;
  });
}

Result<ExecutionDeletion> SqliteJobRepository::delete_job_executions(const std::vector<int64_t>& execution_ids,
                                                                     bool dry_run) {
  return guarded(*impl_, "delete_job_executions", [&]() -> Result<ExecutionDeletion> {
    Impl& impl = *impl_;
    std::lock_guard lock(impl.mutex);
    if (impl.in_transaction()) {
      return Error(ErrorCode::ILLEGAL_STATE, "job executions cannot be deleted inside an open transaction");
    }
    WriteTransaction tx(impl);
    ExecutionDeletion deletion;
    std::set<int64_t> instances;
    for (int64_t id : std::set<int64_t>(execution_ids.begin(), execution_ids.end())) {
      BatchStatus status{};
      {
        Use use(impl, Sql::STATUS_INSTANCE);
        use->bind(1, id);
        if (!use->executeStep()) continue;
        status = internal::column_status(*use, 0);
        instances.insert(use->getColumn(1).getInt64());
      }
      if (is_running(status)) {
        deletion.skipped_running.push_back(id);
        continue;
      }
      for (Sql sql : kExecutionRowDeletes) {
        int rows = delete_rows(impl, sql, id);
        if (sql == Sql::DELETE_STEPS) deletion.step_executions += rows;
      }
      deletion.job_executions.push_back(id);
    }
    for (int64_t instance_id : instances) {
      if (delete_rows(impl, Sql::DELETE_INSTANCE_IF_EMPTY, instance_id) > 0) {
        deletion.job_instances.push_back(instance_id);
      }
    }
    if (!dry_run) tx.commit();  // a dry run's transaction rolls back when tx goes
    return deletion;
  });
}

}  // namespace cppbatch
