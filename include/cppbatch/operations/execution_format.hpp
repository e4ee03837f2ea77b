// Text forms of executions for operators: throughput and job parameters
// the way the CLI, the progress reporter and logs print them (durations and
// times: common/time_format.hpp; how long an execution ran:
// step_elapsed/execution_elapsed in core). Pure functions; thread-safe.
//
//   format_rate(items_per_second(step, step_elapsed(step, now)));  // "1234"
//   format_parameter_cli("date", JobParameter(*parse_date("2026-01-02")));
//                                                               // "date=2026-01-02,date"
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "cppbatch/common/time_format.hpp"
#include "cppbatch/core/job_execution.hpp"
#include "cppbatch/core/job_parameters.hpp"
#include "cppbatch/core/step_execution.hpp"

namespace cppbatch {

// Items per second of a step over `duration`: the larger of its read and
// write counts divided by the time; nullopt when the time is zero or
// unknown.
std::optional<double> items_per_second(const StepExecution& step, std::optional<std::chrono::milliseconds> duration);
// "1234", "0.5", or "-" when unknown.
std::string format_rate(std::optional<double> rate);

// The CLI type name of a parameter type: string, long, double, date,
// datetime.
std::string_view cli_type_name(ParameterType type);
// The parameter in the form `cppbatch run` accepts, shortest form first:
// "name=value" (identifying string), "count=10,long", "count=10,long,false".
std::string format_parameter_cli(std::string_view name, const JobParameter& parameter);
// Every parameter in CLI form, separated by spaces (empty if none).
std::string format_parameters_cli(const JobParameters& parameters);

}  // namespace cppbatch
