// SqliteJobRepository: read-only queries (JobExplorer) and the step
// look-ups of restarts. Multi-statement reads run in one read transaction
// so they see one snapshot; listings load executions, parameters and steps
// with one query each (no query per row).
#include "repository/sqlite_impl.hpp"

namespace cppbatch {

using internal::guarded;
using internal::Impl;
using internal::ReadTransaction;
using internal::Selection;
using internal::Sql;
using internal::Use;

namespace {

// SQLite's LIMIT: negative means no limit.
int64_t sql_limit(int64_t limit) { return limit < 0 ? -1 : limit; }

}  // namespace

Result<std::vector<std::string>> SqliteJobRepository::job_names() {
  return guarded(*impl_, "job_names", [&]() -> Result<std::vector<std::string>> {
    std::lock_guard lock(impl_->mutex);
    std::vector<std::string> names;
    Use use(*impl_, Sql::JOB_NAMES);
    while (use->executeStep()) names.push_back(use->getColumn(0).getString());
    return names;
  });
}

Result<std::vector<JobInstance>> SqliteJobRepository::job_instances(std::string_view job_name, int64_t start,
                                                                    int64_t count) {
  return guarded(*impl_, "job_instances", [&]() -> Result<std::vector<JobInstance>> {
    std::lock_guard lock(impl_->mutex);
    std::vector<JobInstance> instances;
    Use use(*impl_, Sql::INSTANCES_PAGE);
    use->bind(1, std::string(job_name));
    use->bind(2, sql_limit(count));
    use->bind(3, std::max<int64_t>(start, 0));
    while (use->executeStep()) instances.push_back(internal::read_instance(*use));
    return instances;
  });
}

Result<JobInstance> SqliteJobRepository::job_instance(int64_t instance_id) {
  return guarded(*impl_, "job_instance", [&]() -> Result<JobInstance> {
    std::lock_guard lock(impl_->mutex);
    Use use(*impl_, Sql::GET_INSTANCE);
    use->bind(1, instance_id);
    if (!use->executeStep()) {
      return Error(ErrorCode::NOT_FOUND, fmt::format("No job instance with id={}", instance_id));
    }
    return internal::read_instance(*use);
  });
}

Result<std::optional<JobInstance>> SqliteJobRepository::find_job_instance(std::string_view job_name,
                                                                          const JobParameters& parameters) {
  return guarded(*impl_, "find_job_instance", [&]() -> Result<std::optional<JobInstance>> {
    std::lock_guard lock(impl_->mutex);
    Use use(*impl_, Sql::FIND_INSTANCE);
    use->bind(1, std::string(job_name));
    use->bind(2, parameters.job_key());
    if (!use->executeStep()) return std::optional<JobInstance>{};
    return std::optional<JobInstance>{internal::read_instance(*use)};
  });
}

Result<std::unique_ptr<JobExecution>> SqliteJobRepository::job_execution(int64_t execution_id) {
  return guarded(*impl_, "job_execution", [&]() -> Result<std::unique_ptr<JobExecution>> {
    ReadTransaction tx(*impl_);
    auto executions = internal::load_executions(*impl_, Selection::BY_ID, /*with_contexts=*/true,
                                                [&](SQLite::Statement& s) { s.bind(1, execution_id); });
    if (executions.empty()) {
      return Error(ErrorCode::NOT_FOUND, fmt::format("No job execution with id={}", execution_id));
    }
    return std::move(executions.front());
  });
}

Result<std::vector<std::unique_ptr<JobExecution>>> SqliteJobRepository::job_executions(const JobInstance& instance) {
  return guarded(*impl_, "job_executions", [&]() -> Result<std::vector<std::unique_ptr<JobExecution>>> {
    ReadTransaction tx(*impl_);
    return internal::load_executions(*impl_, Selection::BY_INSTANCE, /*with_contexts=*/true,
                                     [&](SQLite::Statement& s) { s.bind(1, instance.id); });
  });
}

Result<std::vector<std::unique_ptr<JobExecution>>> SqliteJobRepository::find_job_executions(
    const ExecutionQuery& query) {
  return guarded(*impl_, "find_job_executions", [&]() -> Result<std::vector<std::unique_ptr<JobExecution>>> {
    ReadTransaction tx(*impl_);
    int64_t limit = query.limit > 0 ? query.limit : -1;
    if (query.job_name.empty()) {
      return internal::load_executions(*impl_, Selection::RECENT, /*with_contexts=*/false,
                                       [&](SQLite::Statement& s) { s.bind(1, limit); });
    }
    return internal::load_executions(*impl_, Selection::RECENT_OF_JOB, /*with_contexts=*/false,
                                     [&](SQLite::Statement& s) {
                                       s.bind(1, query.job_name);
                                       s.bind(2, limit);
                                     });
  });
}

Result<std::vector<std::unique_ptr<JobExecution>>> SqliteJobRepository::running_job_executions(
    std::string_view job_name) {
  return guarded(*impl_, "running_job_executions", [&]() -> Result<std::vector<std::unique_ptr<JobExecution>>> {
    ReadTransaction tx(*impl_);
    if (job_name.empty()) {
      return internal::load_executions(*impl_, Selection::RUNNING, /*with_contexts=*/true,
                                       [](SQLite::Statement&) {});
    }
    std::string name(job_name);
    return internal::load_executions(*impl_, Selection::RUNNING_OF_JOB, /*with_contexts=*/true,
                                     [&](SQLite::Statement& s) { s.bind(1, name); });
  });
}

Result<std::optional<StepExecution>> SqliteJobRepository::last_step_execution(const JobInstance& instance,
                                                                              std::string_view step_name) {
  return guarded(*impl_, "last_step_execution", [&]() -> Result<std::optional<StepExecution>> {
    std::lock_guard lock(impl_->mutex);
    Use use(*impl_, Sql::LAST_STEP);
    use->bind(1, instance.id);
    use->bind(2, std::string(step_name));
    if (!use->executeStep()) return std::optional<StepExecution>{};
    return std::optional<StepExecution>{internal::read_step(*use, /*with_context=*/true)};
  });
}

Result<int64_t> SqliteJobRepository::step_execution_count(const JobInstance& instance, std::string_view step_name) {
  return guarded(*impl_, "step_execution_count", [&]() -> Result<int64_t> {
    std::lock_guard lock(impl_->mutex);
    Use use(*impl_, Sql::STEP_COUNT);
    use->bind(1, instance.id);
    use->bind(2, std::string(step_name));
    use->executeStep();
    return use->getColumn(0).getInt64();
  });
}

}  // namespace cppbatch
