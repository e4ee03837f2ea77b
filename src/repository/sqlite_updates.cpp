// SqliteJobRepository: writes of job and step executions and of contexts.
// Every UPDATE of an execution row checks and bumps VERSION; the in-memory
// record changes only once the write succeeded.
#include "repository/launch_rules.hpp"
#include "repository/sqlite_impl.hpp"

namespace cppbatch {

using internal::guarded;
using internal::Impl;
using internal::Sql;
using internal::Use;
using internal::WriteTransaction;

namespace {

struct StoredState {
  BatchStatus status;
  int64_t version;
};

std::optional<StoredState> job_state(Impl& impl, int64_t execution_id) {
  Use use(impl, Sql::STATUS_VERSION);
  use->bind(1, execution_id);
  if (!use->executeStep()) return std::nullopt;
  return StoredState{internal::column_status(*use, 0), use->getColumn(1).getInt64()};
}

std::optional<int64_t> step_version(Impl& impl, int64_t step_id) {
  Use use(impl, Sql::STEP_VERSION);
  use->bind(1, step_id);
  if (!use->executeStep()) return std::nullopt;
  return use->getColumn(0).getInt64();
}

Error not_stored(std::string_view what, int64_t id) {
  return Error(ErrorCode::NOT_FOUND, fmt::format("No {} with id={} is stored", what, id));
}

}  // namespace

Result<void> SqliteJobRepository::update(JobExecution& execution) {
  return guarded(*impl_, "update(JobExecution)", [&]() -> Result<void> {
    Impl& impl = *impl_;
    WriteTransaction tx(impl);
    auto stored = job_state(impl, execution.id);
    if (!stored) return not_stored("job execution", execution.id);
    BatchStatus status = execution.status;
    int64_t version = execution.version;
    if (stored->status == BatchStatus::STOPPING) {  // a stop request by another process: absorb it
      if (status == BatchStatus::STARTING || status == BatchStatus::STARTED) status = BatchStatus::STOPPING;
      version = stored->version;
    }
    if (version != stored->version) {
      return internal::version_conflict("job execution", execution.id, execution.version, stored->version);
    }
    Timestamp now = impl.now();
    {
      Use use(impl, Sql::UPDATE_EXECUTION);
      internal::bind_time(*use, 1, execution.start_time);
      internal::bind_time(*use, 2, execution.end_time);
      use->bind(3, std::string(to_string(status)));
      use->bind(4, execution.exit_status.code());
      use->bind(5, std::string(internal::utf8_prefix(execution.exit_status.description(), internal::kMaxExitMessage)));
      internal::bind_time(*use, 6, execution.create_time);
      internal::bind_time(*use, 7, now);
      use->bind(8, execution.id);
      use->bind(9, version);
      if (use->exec() == 0) {
        auto current = job_state(impl, execution.id);
        return internal::version_conflict("job execution", execution.id, version,
                                          current ? std::optional<int64_t>{current->version} : std::nullopt);
      }
    }
    tx.commit();
    execution.status = status;
    execution.version = version + 1;
    execution.last_updated = now;
    return {};
  });
}

Result<void> SqliteJobRepository::update_execution_context(JobExecution& execution) {
  return guarded(*impl_, "update_execution_context(JobExecution)", [&]() -> Result<void> {
    auto json = internal::context_json(execution.execution_context, fmt::format("job execution {}", execution.id));
    if (!json) return json.error();
    WriteTransaction tx(*impl_);
    if (!job_state(*impl_, execution.id)) return not_stored("job execution", execution.id);
    internal::write_context(*impl_, Sql::UPDATE_JOB_CONTEXT, Sql::INSERT_JOB_CONTEXT, execution.id,
                            std::move(json.value()));
    tx.commit();
    execution.execution_context.clear_dirty();
    return {};
  });
}

Result<void> SqliteJobRepository::add(StepExecution& step) {
  return guarded(*impl_, "add(StepExecution)", [&]() -> Result<void> {
    if (step.id != 0) {
      return Error(ErrorCode::INVALID_ARGUMENT,
                   fmt::format("step execution {} is already stored (id={})", step.step_name, step.id));
    }
    int64_t job_execution_id = step.job_execution ? step.job_execution->id : step.job_execution_id;
    auto json = internal::context_json(step.execution_context, "step execution " + step.step_name);
    if (!json) return json.error();
    Impl& impl = *impl_;
    WriteTransaction tx(impl);
    if (!job_state(impl, job_execution_id)) {
      return Error(ErrorCode::NOT_FOUND, fmt::format("cannot add step execution {}: no job execution with id={}",
                                                     step.step_name, job_execution_id));
    }
    Timestamp now = impl.now();
    Timestamp create_time =
        step.create_time ? std::chrono::floor<std::chrono::microseconds>(*step.create_time) : now;
    int64_t id = internal::next_id(impl, Sql::NEXT_STEP_EXECUTION_ID, Sql::TRIM_STEP_EXECUTION_SEQ);
    {
      Use use(impl, Sql::INSERT_STEP);
      internal::bind_step_fields(*use, step, now);
      use->bind(15, id);
      use->bind(16, step.step_name);
      use->bind(17, job_execution_id);
      internal::bind_time(*use, 18, create_time);
      use->exec();
    }
    {
      Use use(impl, Sql::INSERT_STEP_CONTEXT);
      internal::bind_context(*use, internal::encode_context(std::move(json.value())), id);
      use->exec();
    }
    tx.commit();
    step.id = id;
    step.version = 0;
    step.job_execution_id = job_execution_id;
    step.create_time = create_time;
    step.last_updated = now;
    step.execution_context.clear_dirty();
    return {};
  });
}

Result<void> SqliteJobRepository::update(StepExecution& step) {
  return guarded(*impl_, "update(StepExecution)", [&]() -> Result<void> {
    bool dirty = step.execution_context.dirty();
    std::string json;
    if (dirty) {
      auto encoded = internal::context_json(step.execution_context, "step execution " + step.step_name);
      if (!encoded) return encoded.error();
      json = std::move(encoded.value());
    }
    Impl& impl = *impl_;
    WriteTransaction tx(impl);  // joins the chunk transaction when one is open
    Timestamp now = impl.now();
    {
      Use use(impl, Sql::UPDATE_STEP);
      internal::bind_step_fields(*use, step, now);
      use->bind(15, step.id);
      use->bind(16, step.version);
      if (use->exec() == 0) {
        use->tryReset();
        return internal::version_conflict("step execution", step.id, step.version, step_version(impl, step.id));
      }
    }
    if (dirty) internal::write_context(impl, Sql::UPDATE_STEP_CONTEXT, Sql::INSERT_STEP_CONTEXT, step.id, std::move(json));
    bool stopping = false;
    {
      Use use(impl, Sql::JOB_STATUS_OF_STEP);
      use->bind(1, step.id);
      if (use->executeStep()) stopping = internal::column_status(*use, 0) == BatchStatus::STOPPING;
    }
    tx.commit();
    ++step.version;
    step.last_updated = now;
    if (dirty) step.execution_context.clear_dirty();
    if (stopping) step.terminate_only = true;
    return {};
  });
}

Result<void> SqliteJobRepository::update_execution_context(StepExecution& step) {
  return guarded(*impl_, "update_execution_context(StepExecution)", [&]() -> Result<void> {
    auto json = internal::context_json(step.execution_context, "step execution " + step.step_name);
    if (!json) return json.error();
    WriteTransaction tx(*impl_);
    if (!step_version(*impl_, step.id)) return not_stored("step execution", step.id);
    internal::write_context(*impl_, Sql::UPDATE_STEP_CONTEXT, Sql::INSERT_STEP_CONTEXT, step.id,
                            std::move(json.value()));
    tx.commit();
    step.execution_context.clear_dirty();
    return {};
  });
}

}  // namespace cppbatch
