#include "cppbatch/operations/execution_json.hpp"

#include "cppbatch/operations/execution_format.hpp"

namespace cppbatch {

namespace {

nlohmann::json time_or_null(std::optional<Timestamp> time) {
  if (!time) return nullptr;
  return format_time_iso(time);
}

nlohmann::json millis_or_null(std::optional<std::chrono::milliseconds> duration) {
  if (!duration) return nullptr;
  return duration->count();
}

nlohmann::json value_to_json(const JobParameter& parameter) {
  switch (parameter.type()) {
    case ParameterType::LONG: return std::get<int64_t>(parameter.value());
    case ParameterType::DOUBLE: return std::get<double>(parameter.value());
    default: return parameter.value_text();
  }
}

}  // namespace

nlohmann::json parameters_to_json(const JobParameters& parameters) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [name, parameter] : parameters.parameters()) {
    out[name] = {{"value", value_to_json(parameter)},
                 {"type", std::string(cli_type_name(parameter.type()))},
                 {"identifying", parameter.identifying()}};
  }
  return out;
}

nlohmann::json step_execution_to_json(const StepExecution& step, Timestamp now) {
  auto duration = step_elapsed(step, now);
  auto rate = items_per_second(step, duration);
  return {
      {"id", step.id},
      {"name", step.step_name},
      {"status", std::string(to_string(step.status))},
      {"exit_code", step.exit_status.code()},
      {"exit_description", step.exit_status.description()},
      {"read_count", step.read_count},
      {"write_count", step.write_count},
      {"filter_count", step.filter_count},
      {"commit_count", step.commit_count},
      {"rollback_count", step.rollback_count},
      {"read_skip_count", step.read_skip_count},
      {"process_skip_count", step.process_skip_count},
      {"write_skip_count", step.write_skip_count},
      {"skip_count", step.skip_count()},
      {"start_time", time_or_null(step.start_time)},
      {"end_time", time_or_null(step.end_time)},
      {"duration_ms", millis_or_null(duration)},
      {"items_per_second", rate ? nlohmann::json(*rate) : nlohmann::json(nullptr)},
  };
}

nlohmann::json execution_to_json(const JobExecution& execution, ExecutionJson detail, Timestamp now) {
  nlohmann::json out = {
      {"id", execution.id},
      {"job", execution.job_name()},
      {"instance_id", execution.job_instance.id},
      {"status", std::string(to_string(execution.status))},
      {"exit_code", execution.exit_status.code()},
      {"exit_description", execution.exit_status.description()},
      {"create_time", time_or_null(execution.create_time)},
      {"start_time", time_or_null(execution.start_time)},
      {"end_time", time_or_null(execution.end_time)},
      {"last_updated", time_or_null(execution.last_updated)},
      {"duration_ms", millis_or_null(execution_elapsed(execution, now))},
      {"parameters", parameters_to_json(execution.job_parameters)},
  };
  if (detail == ExecutionJson::WITH_STEPS) {
    nlohmann::json steps = nlohmann::json::array();
    for (const auto& step : execution.step_executions) steps.push_back(step_execution_to_json(*step, now));
    out["steps"] = std::move(steps);
  }
  return out;
}

}  // namespace cppbatch
