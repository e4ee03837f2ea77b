// Text forms of executions for operators: durations, throughput, times and
// job parameters the way the CLI, the progress reporter and logs print
// them. Pure functions; thread-safe.
//
//   format_duration(std::chrono::milliseconds{65'000});        // "1m05s"
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

// From `start` to `end`, or to `now` when there is no end yet; nullopt
// when there is no start (never clamped below zero).
std::optional<std::chrono::milliseconds> elapsed(std::optional<Timestamp> start, std::optional<Timestamp> end,
                                                 Timestamp now);

// How long a step or job execution ran: to its end time; while it runs, to
// `now`; when it ended without an end time (its owner died), to its last
// update. nullopt if it never started.
std::optional<std::chrono::milliseconds> step_elapsed(const StepExecution& step, Timestamp now);
std::optional<std::chrono::milliseconds> execution_elapsed(const JobExecution& execution, Timestamp now);

// "0.042s", "12.3s", "4m05s", "1h02m03s".
std::string format_duration(std::chrono::milliseconds duration);
// format_duration, or "-" when unknown.
std::string format_duration(std::optional<std::chrono::milliseconds> duration);

// Items per second of a step over `duration`: the larger of its read and
// write counts divided by the time; nullopt when the time is zero or
// unknown.
std::optional<double> items_per_second(const StepExecution& step, std::optional<std::chrono::milliseconds> duration);
// "1234", "0.5", or "-" when unknown.
std::string format_rate(std::optional<double> rate);

// "2026-01-02 10:00:00" (UTC, seconds), or "-" when absent.
std::string format_time_short(std::optional<Timestamp> time);
// "2026-01-02T10:00:00.123456Z" (UTC, ISO-8601), or "" when absent.
std::string format_time_iso(std::optional<Timestamp> time);

// The CLI type name of a parameter type: string, long, double, date,
// datetime.
std::string_view cli_type_name(ParameterType type);
// The parameter in the form `cppbatch run` accepts, shortest form first:
// "name=value" (identifying string), "count=10,long", "count=10,long,false".
std::string format_parameter_cli(std::string_view name, const JobParameter& parameter);
// Every parameter in CLI form, separated by spaces (empty if none).
std::string format_parameters_cli(const JobParameters& parameters);

}  // namespace cppbatch
