// The SQL the SQLite repository runs, one enum value per statement, with
// "%PREFIX%" standing for the table prefix. Every statement is prepared
// once per connection (SqliteJobRepository::Impl::statement) and reused.
// Internal; tests read the texts to check query plans.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace cppbatch::internal {

enum class Sql : size_t {
  BEGIN_IMMEDIATE,
  BEGIN_DEFERRED,
  COMMIT,
  ROLLBACK,
  // ids (Spring's SQLite incrementer: insert a row, take its id, trim)
  NEXT_JOB_ID,
  TRIM_JOB_SEQ,
  NEXT_JOB_EXECUTION_ID,
  TRIM_JOB_EXECUTION_SEQ,
  NEXT_STEP_EXECUTION_ID,
  TRIM_STEP_EXECUTION_SEQ,
  // instances
  FIND_INSTANCE,
  GET_INSTANCE,
  INSERT_INSTANCE,
  JOB_NAMES,
  INSTANCES_PAGE,
  // launch
  RUNNING_WITH_LEASES,
  NEWEST_BLOCKING,  // UNKNOWN, COMPLETED, ABANDONED
  NEWEST_UNKNOWN,
  LAST_JOB_CONTEXT,
  INSERT_EXECUTION,
  INSERT_PARAMETER,
  MARK_EXECUTION_FAILED,
  MARK_STEPS_FAILED,
  // job execution updates
  STATUS_VERSION,
  UPDATE_EXECUTION,
  INSERT_JOB_CONTEXT,
  UPDATE_JOB_CONTEXT,
  // step executions
  INSERT_STEP,
  UPDATE_STEP,
  STEP_VERSION,
  JOB_STATUS_OF_STEP,
  INSERT_STEP_CONTEXT,
  UPDATE_STEP_CONTEXT,
  LAST_STEP,
  STEP_COUNT,
  // leases
  PUT_LEASE,
  BEAT_LEASE,
  RELEASE_LEASE,
  DELETE_LEASE,
  GET_LEASE,
  // retention (delete_job_executions: one statement per table, children first)
  EXECUTIONS_CREATED_BEFORE,
  STATUS_INSTANCE,
  DELETE_STEP_CONTEXTS,
  DELETE_STEPS,
  DELETE_JOB_CONTEXT,
  DELETE_PARAMETERS,
  DELETE_EXECUTION,
  DELETE_INSTANCE_IF_EMPTY,
  // dead letters (the listings are built per query: sqlite_dead_letters.cpp)
  INSERT_DEAD_LETTER,
  GET_DEAD_LETTER,
  UPDATE_DEAD_LETTER,
  DEAD_LETTER_VERSION,
  kCount
};

// Listings load job executions in a few set-based queries (no query per
// row): a Selection of execution ids, and for it each Part.
enum class Selection : size_t {
  BY_ID,             // ?1 = execution id
  BY_INSTANCE,       // ?1 = instance id
  LAST_OF_INSTANCE,  // ?1 = instance id
  RECENT,            // ?1 = limit (negative: all)
  RECENT_OF_JOB,     // ?1 = job name, ?2 = limit
  RUNNING,           // no parameter
  RUNNING_OF_JOB,    // ?1 = job name
  kCount
};

enum class Part : size_t {
  EXECUTIONS,               // kExecutionColumns, newest first
  EXECUTIONS_WITH_CONTEXT,  // kExecutionColumns + SHORT_CONTEXT, SERIALIZED_CONTEXT
  PARAMETERS,               // kParameterColumns
  STEPS,                    // kStepColumns, by id
  STEPS_WITH_CONTEXT,       // kStepColumns + SHORT_CONTEXT, SERIALIZED_CONTEXT
  kCount
};

// Column positions of the execution, step and parameter rows.
namespace execution_column {
enum : int {
  ID, VERSION, INSTANCE_ID, CREATE_TIME, START_TIME, END_TIME, STATUS, EXIT_CODE, EXIT_MESSAGE, LAST_UPDATED,
  INSTANCE_VERSION, JOB_NAME, JOB_KEY, SHORT_CONTEXT, SERIALIZED_CONTEXT
};
}  // namespace execution_column
namespace step_column {
enum : int {
  ID, VERSION, STEP_NAME, JOB_EXECUTION_ID, CREATE_TIME, START_TIME, END_TIME, STATUS, COMMIT_COUNT, READ_COUNT,
  FILTER_COUNT, WRITE_COUNT, READ_SKIP_COUNT, WRITE_SKIP_COUNT, PROCESS_SKIP_COUNT, ROLLBACK_COUNT, EXIT_CODE,
  EXIT_MESSAGE, LAST_UPDATED, SHORT_CONTEXT, SERIALIZED_CONTEXT
};
}  // namespace step_column
namespace dead_letter_column {
enum : int {
  ID, VERSION, JOB_NAME, JOB_INSTANCE_ID, JOB_EXECUTION_ID, STEP_NAME, STEP_EXECUTION_ID, PHASE, ERROR_TYPE,
  ERROR_MESSAGE, SOURCE, PAYLOAD, STATUS, ATTEMPTS, LAST_ERROR, CREATE_TIME, LAST_UPDATED
};
}  // namespace dead_letter_column
// The columns of a dead-letter row, in dead_letter_column order.
extern const std::string_view kDeadLetterColumns;
namespace parameter_column {
enum : int { JOB_EXECUTION_ID, NAME, TYPE, VALUE, IDENTIFYING };
}  // namespace parameter_column

// Statement texts with the prefix substituted.
std::string sql_text(Sql sql, std::string_view prefix);
std::string sql_text(Selection selection, Part part, std::string_view prefix);

// True for the statements run by create_job_execution, update(), add(),
// heartbeat() and, per execution, delete_job_executions(): they must use
// an index (or the primary key) and never scan a table, so their cost does
// not grow with the history.
bool on_hot_path(Sql sql);

// Replaces every "%PREFIX%" in `text`.
std::string with_prefix(std::string_view text, std::string_view prefix);

}  // namespace cppbatch::internal
