// SqliteJobRepository::create_job_execution: Spring Batch 5's launch rules
// plus dead-owner detection, in one BEGIN IMMEDIATE transaction so that of
// two processes launching one instance exactly one wins. Every query is by
// instance id through an index, with LIMIT where it can: the cost of a
// launch does not grow with the history.
#include "cppbatch/common/logging.hpp"
#include "cppbatch/common/process.hpp"
#include "repository/launch_rules.hpp"
#include "repository/sqlite_impl.hpp"

namespace cppbatch {

using internal::guarded;
using internal::Impl;
using internal::Sql;
using internal::Use;

namespace {

struct RunningExecution {
  int64_t id = 0;
  std::optional<Timestamp> last_updated;
  std::optional<ExecutionLease> lease;
};

std::optional<JobInstance> find_instance(Impl& impl, std::string_view job_name, const std::string& job_key) {
  Use use(impl, Sql::FIND_INSTANCE);
  use->bind(1, std::string(job_name));
  use->bind(2, job_key);
  if (!use->executeStep()) return std::nullopt;
  return internal::read_instance(*use);
}

std::vector<RunningExecution> running_executions(Impl& impl, int64_t instance_id) {
  std::vector<RunningExecution> out;
  Use use(impl, Sql::RUNNING_WITH_LEASES);
  use->bind(1, instance_id);
  while (use->executeStep()) {
    RunningExecution running;
    running.id = use->getColumn(0).getInt64();
    running.last_updated = internal::column_time(*use, 1);
    if (!running.last_updated) running.last_updated = internal::column_time(*use, 2);
    if (!use->isColumnNull(3)) {
      running.lease = ExecutionLease{use->getColumn(3).getString(), static_cast<long>(use->getColumn(4).getInt64()),
                                     internal::column_time(*use, 5).value()};
    }
    out.push_back(std::move(running));
  }
  return out;
}

// Marks a running execution whose owner is dead FAILED, with its running
// steps, and drops its lease.
void mark_dead(Impl& impl, const JobInstance& instance, int64_t execution_id, const std::string& reason,
               Timestamp now) {
  std::string message(internal::utf8_prefix(reason, internal::kMaxExitMessage));
  for (Sql sql : {Sql::MARK_EXECUTION_FAILED, Sql::MARK_STEPS_FAILED}) {
    Use use(impl, sql);
    use->bind(1, message);
    internal::bind_time(*use, 2, now);
    use->bind(3, execution_id);
    use->exec();
  }
  Use use(impl, Sql::DELETE_LEASE);
  use->bind(1, execution_id);
  use->exec();
  logger().warn("Job execution {} of {} marked FAILED: {}", execution_id, internal::describe(instance), reason);
}

std::optional<BatchStatus> newest_blocking_status(Impl& impl, int64_t instance_id, const JobParameters& parameters) {
  bool identifying = !parameters.identifying().empty();
  Use use(impl, identifying ? Sql::NEWEST_BLOCKING : Sql::NEWEST_UNKNOWN);
  use->bind(1, instance_id);
  if (!use->executeStep()) return std::nullopt;
  return internal::column_status(*use, 0);
}

internal::StoredContext last_context(Impl& impl, int64_t instance_id) {
  internal::StoredContext context{"{}", std::nullopt};
  Use use(impl, Sql::LAST_JOB_CONTEXT);
  use->bind(1, instance_id);
  if (use->executeStep()) {
    context.short_context = use->getColumn(0).getString();
    if (!use->isColumnNull(1)) context.serialized_context = use->getColumn(1).getString();
  }
  return context;
}

JobInstance insert_instance(Impl& impl, std::string_view job_name, const std::string& job_key) {
  JobInstance instance{internal::next_id(impl, Sql::NEXT_JOB_ID, Sql::TRIM_JOB_SEQ), 0, std::string(job_name),
                       job_key};
  Use use(impl, Sql::INSERT_INSTANCE);
  use->bind(1, instance.id);
  use->bind(2, instance.job_name);
  use->bind(3, instance.job_key);
  use->exec();
  return instance;
}

void insert_execution(Impl& impl, const JobExecution& execution, const internal::StoredContext& context) {
  {
    Use use(impl, Sql::INSERT_EXECUTION);
    use->bind(1, execution.id);
    use->bind(2, execution.job_instance.id);
    use->bind(3, std::string(to_string(execution.status)));
    use->bind(4, execution.exit_status.code());
    use->bind(5, execution.exit_status.description());
    internal::bind_time(*use, 6, execution.create_time);
    use->exec();
  }
  for (const auto& [name, parameter] : execution.job_parameters.parameters()) {
    Use use(impl, Sql::INSERT_PARAMETER);
    use->bind(1, execution.id);
    use->bind(2, name);
    use->bind(3, std::string(parameter.type_name()));
    use->bind(4, parameter.value_text());
    use->bind(5, parameter.identifying() ? "Y" : "N");
    use->exec();
  }
  {
    Use use(impl, Sql::INSERT_JOB_CONTEXT);
    internal::bind_context(*use, context, execution.id);
    use->exec();
  }
  Use use(impl, Sql::PUT_LEASE);
  use->bind(1, execution.id);
  use->bind(2, host_name());
  use->bind(3, static_cast<int64_t>(current_pid()));
  internal::bind_time(*use, 4, execution.create_time);
  use->exec();
}

}  // namespace

Result<std::unique_ptr<JobExecution>> SqliteJobRepository::create_job_execution(std::string_view job_name,
                                                                                const JobParameters& parameters) {
  return guarded(*impl_, "create_job_execution", [&]() -> Result<std::unique_ptr<JobExecution>> {
    Impl& impl = *impl_;
    internal::WriteTransaction tx(impl);
    Timestamp now = impl.now();
    std::string job_key = parameters.job_key();
    internal::StoredContext context{"{}", std::nullopt};
    std::optional<JobInstance> instance = find_instance(impl, job_name, job_key);
    if (instance) {
      bool alive = false;
      for (const RunningExecution& running : running_executions(impl, instance->id)) {
        auto reason = internal::dead_owner_reason(running.lease, running.last_updated, now,
                                                  impl.options.lease.lease_duration);
        if (reason) {
          mark_dead(impl, *instance, running.id, *reason, now);
        } else {
          alive = true;
        }
      }
      if (alive) {
        tx.commit();  // keeps any execution just found dead
        return internal::already_running(*instance);
      }
      if (auto refusal = internal::refuse_finished(newest_blocking_status(impl, instance->id, parameters),
                                                   parameters)) {
        tx.commit();
        return *refusal;
      }
      context = last_context(impl, instance->id);
    } else {
      instance = insert_instance(impl, job_name, job_key);
    }

    auto execution = std::make_unique<JobExecution>();
    execution->id = internal::next_id(impl, Sql::NEXT_JOB_EXECUTION_ID, Sql::TRIM_JOB_EXECUTION_SEQ);
    execution->version = 0;
    execution->job_instance = *instance;
    execution->job_parameters = parameters;
    execution->status = BatchStatus::STARTING;
    execution->exit_status = ExitStatus::unknown();
    execution->create_time = now;
    execution->last_updated = now;
    auto parsed = ExecutionContext::from_json(context.serialized_context ? *context.serialized_context
                                                                         : context.short_context);
    if (!parsed) throw internal::StorageFailure(parsed.error().message());
    execution->execution_context = std::move(parsed.value());
    insert_execution(impl, *execution, context);
    tx.commit();
    return execution;
  });
}

Result<std::unique_ptr<JobExecution>> SqliteJobRepository::last_job_execution(std::string_view job_name,
                                                                              const JobParameters& parameters) {
  return guarded(*impl_, "last_job_execution", [&]() -> Result<std::unique_ptr<JobExecution>> {
    internal::ReadTransaction tx(*impl_);
    auto instance = find_instance(*impl_, job_name, parameters.job_key());
    if (!instance) return std::unique_ptr<JobExecution>{};
    auto executions = internal::load_executions(*impl_, internal::Selection::LAST_OF_INSTANCE, true,
                                                [&](SQLite::Statement& s) { s.bind(1, instance->id); });
    if (executions.empty()) return std::unique_ptr<JobExecution>{};
    return std::move(executions.front());
  });
}

}  // namespace cppbatch
