#include "cppbatch/core/job_execution.hpp"

#include <fmt/format.h>

namespace cppbatch {

StepExecution& JobExecution::create_step_execution(std::string step_name) {
  auto step = std::make_unique<StepExecution>();
  step->step_name = std::move(step_name);
  return adopt(std::move(step));
}

StepExecution& JobExecution::adopt(std::unique_ptr<StepExecution> step) {
  step->job_execution = this;
  step->job_execution_id = id;
  step_executions.push_back(std::move(step));
  return *step_executions.back();
}

StepExecution* JobExecution::find_step_execution(std::string_view step_name) {
  for (auto& step : step_executions) {
    if (step->step_name == step_name) return step.get();
  }
  return nullptr;
}

std::unique_ptr<JobExecution> JobExecution::clone() const {
  auto copy = std::make_unique<JobExecution>();
  copy->id = id;
  copy->version = version;
  copy->job_instance = job_instance;
  copy->job_parameters = job_parameters;
  copy->status = status;
  copy->exit_status = exit_status;
  copy->create_time = create_time;
  copy->start_time = start_time;
  copy->end_time = end_time;
  copy->last_updated = last_updated;
  copy->execution_context = execution_context;
  copy->failures = failures;
  for (const auto& step : step_executions) {
    copy->adopt(std::make_unique<StepExecution>(*step));
  }
  return copy;
}

namespace {

// "COMPLETED", "COMPLETED, exit NOOP", "FAILED (disk full)".
std::string outcome(BatchStatus status, const ExitStatus& exit_status) {
  std::string text(to_string(status));
  if (exit_status.code() != text) text += ", exit " + exit_status.code();
  std::string_view description = exit_status.description();
  if (!description.empty()) text += fmt::format(" ({})", description.substr(0, description.find_first_of("\r\n")));
  return text;
}

}  // namespace

std::string JobExecution::summary(Timestamp now) const {
  std::string text = fmt::format("Execution {} of job '{}' (instance {}): {}; ", id, job_name(), job_instance.id,
                                 outcome(status, exit_status));
  const std::string duration = format_duration(execution_elapsed(*this, now));
  if (!start_time) {
    text += fmt::format("created {} UTC, not started", format_time_short(create_time));
  } else if (end_time) {
    text += fmt::format("started {} UTC, ended {} UTC after {}", format_time_short(start_time),
                        format_time_short(end_time), duration);
  } else if (is_running()) {
    text += fmt::format("started {} UTC, running for {}", format_time_short(start_time), duration);
  } else {
    text += fmt::format("started {} UTC, no end time (last updated {} UTC)", format_time_short(start_time),
                        format_time_short(last_updated));
  }
  text += job_parameters.empty() ? "; no parameters" : "; parameters " + job_parameters.to_string();
  if (step_executions.empty()) return text + "; no step ran";
  text += "; steps";
  const char* separator = " ";
  for (const auto& step : step_executions) {
    text += fmt::format("{}{} {}", separator, step->step_name, to_string(step->status));
    separator = ", ";
  }
  return text;
}

std::optional<std::chrono::milliseconds> execution_elapsed(const JobExecution& execution, Timestamp now) {
  std::optional<Timestamp> end = execution.end_time;
  if (!end && !execution.is_running()) end = execution.last_updated;
  return elapsed(execution.start_time, end, now);
}

}  // namespace cppbatch
