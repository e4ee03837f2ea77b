// Row codecs of the SQLite repository: domain values ↔ columns, and the
// set-based loader of job executions.
#include <unordered_map>

#include "repository/launch_rules.hpp"
#include "repository/sqlite_impl.hpp"

namespace cppbatch::internal {

void bind_time(SQLite::Statement& statement, int index, const std::optional<Timestamp>& time) {
  if (time) {
    statement.bind(index, format_timestamp(*time));
  } else {
    statement.bind(index);
  }
}

std::optional<Timestamp> column_time(SQLite::Statement& statement, int index) {
  if (statement.isColumnNull(index)) return std::nullopt;
  std::string text = statement.getColumn(index).getString();
  auto time = parse_timestamp(text);
  if (!time) {
    throw StorageFailure(fmt::format("column {} holds '{}', not a timestamp", statement.getColumnName(index), text));
  }
  return time;
}

BatchStatus column_status(SQLite::Statement& statement, int index) {
  std::string text = statement.getColumn(index).getString();
  auto status = parse_batch_status(text);
  if (!status) throw StorageFailure(fmt::format("'{}' is not a batch status", text));
  return *status;
}

StoredContext encode_context(std::string json) {
  StoredContext stored;
  if (json.size() <= kShortContextLength) {
    stored.short_context = std::move(json);
  } else {
    stored.short_context = std::string(utf8_prefix(json, kShortContextLength));
    stored.serialized_context = std::move(json);
  }
  return stored;
}

void bind_context(SQLite::Statement& statement, const StoredContext& context, int64_t id) {
  statement.bind(1, context.short_context);
  if (context.serialized_context) {
    statement.bind(2, *context.serialized_context);
  } else {
    statement.bind(2);
  }
  statement.bind(3, id);
}

ExecutionContext column_context(SQLite::Statement& statement, int short_index) {
  int serialized_index = short_index + 1;
  const char* json = nullptr;
  if (!statement.isColumnNull(serialized_index)) {
    json = statement.getColumn(serialized_index).getText();
  } else if (!statement.isColumnNull(short_index)) {
    json = statement.getColumn(short_index).getText();
  } else {
    return ExecutionContext{};
  }
  auto context = ExecutionContext::from_json(json);
  if (!context) throw StorageFailure(context.error().message());
  return std::move(context.value());
}

void write_context(Impl& impl, Sql update, Sql insert, int64_t id, std::string json) {
  StoredContext stored = encode_context(std::move(json));
  {
    Use use(impl, update);
    bind_context(*use, stored, id);
    if (use->exec() > 0) return;
  }
  Use use(impl, insert);
  bind_context(*use, stored, id);
  use->exec();
}

JobInstance read_instance(SQLite::Statement& statement) {
  JobInstance instance;
  instance.id = statement.getColumn(0).getInt64();
  instance.version = statement.getColumn(1).getInt64();
  instance.job_name = statement.getColumn(2).getString();
  instance.job_key = statement.getColumn(3).getString();
  return instance;
}

namespace {
ExitStatus column_exit(SQLite::Statement& statement, int code_index) {
  std::string code = statement.getColumn(code_index).getString();
  return ExitStatus(code.empty() ? "UNKNOWN" : std::move(code), statement.getColumn(code_index + 1).getString());
}
}  // namespace

std::unique_ptr<JobExecution> read_execution(SQLite::Statement& statement, bool with_context) {
  namespace c = execution_column;
  auto execution = std::make_unique<JobExecution>();
  execution->id = statement.getColumn(c::ID).getInt64();
  execution->version = statement.getColumn(c::VERSION).getInt64();
  execution->job_instance.id = statement.getColumn(c::INSTANCE_ID).getInt64();
  execution->job_instance.version = statement.getColumn(c::INSTANCE_VERSION).getInt64();
  execution->job_instance.job_name = statement.getColumn(c::JOB_NAME).getString();
  execution->job_instance.job_key = statement.getColumn(c::JOB_KEY).getString();
  execution->create_time = column_time(statement, c::CREATE_TIME);
  execution->start_time = column_time(statement, c::START_TIME);
  execution->end_time = column_time(statement, c::END_TIME);
  execution->last_updated = column_time(statement, c::LAST_UPDATED);
  execution->status = column_status(statement, c::STATUS);
  execution->exit_status = column_exit(statement, c::EXIT_CODE);
  if (with_context) execution->execution_context = column_context(statement, c::SHORT_CONTEXT);
  return execution;
}

StepExecution read_step(SQLite::Statement& statement, bool with_context) {
  namespace c = step_column;
  StepExecution step;
  step.id = statement.getColumn(c::ID).getInt64();
  step.version = statement.getColumn(c::VERSION).getInt64();
  step.step_name = statement.getColumn(c::STEP_NAME).getString();
  step.job_execution_id = statement.getColumn(c::JOB_EXECUTION_ID).getInt64();
  step.create_time = column_time(statement, c::CREATE_TIME);
  step.start_time = column_time(statement, c::START_TIME);
  step.end_time = column_time(statement, c::END_TIME);
  step.status = column_status(statement, c::STATUS);
  step.commit_count = statement.getColumn(c::COMMIT_COUNT).getInt64();
  step.read_count = statement.getColumn(c::READ_COUNT).getInt64();
  step.filter_count = statement.getColumn(c::FILTER_COUNT).getInt64();
  step.write_count = statement.getColumn(c::WRITE_COUNT).getInt64();
  step.read_skip_count = statement.getColumn(c::READ_SKIP_COUNT).getInt64();
  step.write_skip_count = statement.getColumn(c::WRITE_SKIP_COUNT).getInt64();
  step.process_skip_count = statement.getColumn(c::PROCESS_SKIP_COUNT).getInt64();
  step.rollback_count = statement.getColumn(c::ROLLBACK_COUNT).getInt64();
  step.exit_status = column_exit(statement, c::EXIT_CODE);
  step.last_updated = column_time(statement, c::LAST_UPDATED);
  if (with_context) step.execution_context = column_context(statement, c::SHORT_CONTEXT);
  return step;
}

void read_parameter(SQLite::Statement& statement, std::map<std::string, JobParameter>& parameters) {
  namespace c = parameter_column;
  std::string name = statement.getColumn(c::NAME).getString();
  std::string type_name = statement.getColumn(c::TYPE).getString();
  std::string text = statement.getColumn(c::VALUE).getString();
  bool identifying = statement.getColumn(c::IDENTIFYING).getString() == "Y";
  auto type = parse_parameter_type(type_name);
  if (!type) throw StorageFailure(fmt::format("parameter {} has unknown type '{}'", name, type_name));
  auto value = parse_parameter_value(*type, text);
  if (!value) throw StorageFailure(fmt::format("parameter {} holds '{}', not a {}", name, text, type_name));
  parameters.insert_or_assign(std::move(name), JobParameter(std::move(*value), identifying));
}

void bind_step_fields(SQLite::Statement& statement, const StepExecution& step, Timestamp now) {
  bind_time(statement, 1, step.start_time);
  bind_time(statement, 2, step.end_time);
  statement.bind(3, std::string(to_string(step.status)));
  statement.bind(4, step.commit_count);
  statement.bind(5, step.read_count);
  statement.bind(6, step.filter_count);
  statement.bind(7, step.write_count);
  statement.bind(8, step.exit_status.code());
  statement.bind(9, std::string(utf8_prefix(step.exit_status.description(), kMaxExitMessage)));
  statement.bind(10, step.read_skip_count);
  statement.bind(11, step.process_skip_count);
  statement.bind(12, step.write_skip_count);
  statement.bind(13, step.rollback_count);
  bind_time(statement, 14, now);
}

int64_t next_id(Impl& impl, Sql next, Sql trim) {
  impl.run(next);
  int64_t id = impl.db.getLastInsertRowid();
  Use use(impl, trim);
  use->bind(1, id);
  use->exec();
  return id;
}

std::vector<std::unique_ptr<JobExecution>> load_executions(Impl& impl, Selection selection, bool with_contexts,
                                                          const std::function<void(SQLite::Statement&)>& bind) {
  std::vector<std::unique_ptr<JobExecution>> executions;
  std::unordered_map<int64_t, JobExecution*> by_id;
  {
    Use use(impl, selection, with_contexts ? Part::EXECUTIONS_WITH_CONTEXT : Part::EXECUTIONS);
    bind(*use);
    while (use->executeStep()) {
      executions.push_back(read_execution(*use, with_contexts));
      by_id.emplace(executions.back()->id, executions.back().get());
    }
  }
  if (executions.empty()) return executions;
  {
    std::unordered_map<int64_t, std::map<std::string, JobParameter>> parameters;
    Use use(impl, selection, Part::PARAMETERS);
    bind(*use);
    while (use->executeStep()) {
      read_parameter(*use, parameters[use->getColumn(parameter_column::JOB_EXECUTION_ID).getInt64()]);
    }
    for (auto& [id, values] : parameters) {
      auto it = by_id.find(id);
      if (it != by_id.end()) it->second->job_parameters = JobParameters(std::move(values));
    }
  }
  {
    Use use(impl, selection, with_contexts ? Part::STEPS_WITH_CONTEXT : Part::STEPS);
    bind(*use);
    while (use->executeStep()) {
      auto step = std::make_unique<StepExecution>(read_step(*use, with_contexts));
      auto it = by_id.find(step->job_execution_id);
      if (it != by_id.end()) it->second->adopt(std::move(step));
    }
  }
  return executions;
}

}  // namespace cppbatch::internal
