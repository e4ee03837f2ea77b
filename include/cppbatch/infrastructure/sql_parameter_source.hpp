// SqlParameterSource: a named SQL parameter whose value is looked up when a
// reader opens — from the running job's parameters or from the step's
// ExecutionContext — Spring's #{jobParameters['min_year']} and
// #{stepExecutionContext['min_year']} in a step-scoped reader's query.
//
//   auto scope = std::make_shared<JobParametersScope>();   // a listener of the step
//   SqliteCursorReader<Game> reader(
//       {.database_path = "football.db",
//        .sql = "SELECT * FROM games WHERE year >= :min_year AND team = :team ORDER BY id",
//        .parameter_sources = {job_parameter(":min_year", scope),             // JobParameters "min_year"
//                              context_value(":team", "partition.team")}},    // the step's context
//       map_game);
//
// Every SQL reader (SQLite and PostgreSQL, cursor and paging) resolves its
// parameter_sources at open() and binds them after its fixed bindings. A
// missing value fails open() with std::invalid_argument naming the
// parameter and where it was looked for. Dates and date-times are bound as
// ISO text (SQLite has no date type; PostgreSQL converts the text).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "cppbatch/core/execution_context.hpp"
#include "cppbatch/core/job_parameters.hpp"
#include "cppbatch/core/job_parameters_scope.hpp"
#include "cppbatch/infrastructure/sql_binding.hpp"

namespace cppbatch {

struct SqlParameterSource {
  // ":name" (as SqlBinding::name).
  std::string name{};
  // Called at open() with the step's ExecutionContext; throws
  // std::invalid_argument when the value is missing.
  std::function<SqlValue(const ExecutionContext&)> resolve{};
};

// The job parameter `parameter` (default: `name` without its prefix) of the
// running job, read from `scope` when the reader opens.
SqlParameterSource job_parameter(std::string name, std::shared_ptr<const JobParametersScope> scope,
                                 std::string parameter = {});
// The same from fixed JobParameters (tests, or a reader built per run).
SqlParameterSource job_parameter(std::string name, JobParameters parameters, std::string parameter = {});
// The value under `key` (default: `name` without its prefix) in the
// ExecutionContext the reader is opened with.
SqlParameterSource context_value(std::string name, std::string key = {});

// `bindings` followed by every source resolved against `context`.
std::vector<SqlBinding> resolve_bindings(const std::vector<SqlBinding>& bindings,
                                         const std::vector<SqlParameterSource>& sources,
                                         const ExecutionContext& context);

// A job parameter's value as an SQL value (dates as ISO text).
SqlValue to_sql_value(const JobParameter::Value& value);

}  // namespace cppbatch
