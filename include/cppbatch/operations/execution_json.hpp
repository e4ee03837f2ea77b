// JSON views of executions for machines: what `cppbatch ... --json`
// prints, and what an HTTP API can serve. The shapes are documented in
// docs/cli.md; field names are snake_case and stable.
//
//   nlohmann::json j = execution_to_json(*execution, ExecutionJson::WITH_STEPS);
//   std::cout << j.dump(2);
#pragma once

#include <nlohmann/json.hpp>

#include "cppbatch/common/time_format.hpp"
#include "cppbatch/core/job_execution.hpp"
#include "cppbatch/core/job_parameters.hpp"
#include "cppbatch/core/step_execution.hpp"

namespace cppbatch {

enum class ExecutionJson { SUMMARY, WITH_STEPS };

// {"name": {"value": 10, "type": "long", "identifying": true}, ...}: long
// and double values are JSON numbers, the others strings in ISO form.
nlohmann::json parameters_to_json(const JobParameters& parameters);

// id, job, instance_id, status, exit_code, exit_description, create_time,
// start_time, end_time, last_updated (ISO-8601 UTC or null), duration_ms
// (null while unknown; up to `now` while running), parameters, and with
// WITH_STEPS a "steps" array of step_execution_to_json.
nlohmann::json execution_to_json(const JobExecution& execution, ExecutionJson detail, Timestamp now);

// id, name, status, exit_code, exit_description, read_count, write_count,
// filter_count, commit_count, rollback_count, read_skip_count,
// process_skip_count, write_skip_count, skip_count, start_time, end_time,
// duration_ms, items_per_second (null when unknown).
nlohmann::json step_execution_to_json(const StepExecution& step, Timestamp now);

}  // namespace cppbatch
