#include "cppbatch/operations/execution_format.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace cppbatch {

std::optional<std::chrono::milliseconds> elapsed(std::optional<Timestamp> start, std::optional<Timestamp> end,
                                                 Timestamp now) {
  if (!start) return std::nullopt;
  Timestamp until = end ? *end : now;
  auto duration = std::chrono::duration_cast<std::chrono::milliseconds>(until - *start);
  return std::max(duration, std::chrono::milliseconds{0});
}

std::optional<std::chrono::milliseconds> step_elapsed(const StepExecution& step, Timestamp now) {
  std::optional<Timestamp> end = step.end_time;
  if (!end && !is_running(step.status)) end = step.last_updated;
  return elapsed(step.start_time, end, now);
}

std::optional<std::chrono::milliseconds> execution_elapsed(const JobExecution& execution, Timestamp now) {
  std::optional<Timestamp> end = execution.end_time;
  if (!end && !execution.is_running()) end = execution.last_updated;
  return elapsed(execution.start_time, end, now);
}

std::string format_duration(std::chrono::milliseconds duration) {
  const int64_t ms = duration.count();
  if (ms < 10'000) return fmt::format("{:.3f}s", static_cast<double>(ms) / 1000.0);
  if (ms < 60'000) return fmt::format("{:.1f}s", static_cast<double>(ms) / 1000.0);
  const int64_t seconds = ms / 1000;
  if (seconds < 3600) return fmt::format("{}m{:02}s", seconds / 60, seconds % 60);
  return fmt::format("{}h{:02}m{:02}s", seconds / 3600, (seconds / 60) % 60, seconds % 60);
}

std::string format_duration(std::optional<std::chrono::milliseconds> duration) {
  return duration ? format_duration(*duration) : std::string("-");
}

std::optional<double> items_per_second(const StepExecution& step, std::optional<std::chrono::milliseconds> duration) {
  if (!duration || duration->count() <= 0) return std::nullopt;
  const auto items = static_cast<double>(std::max(step.read_count, step.write_count));
  return items * 1000.0 / static_cast<double>(duration->count());
}

std::string format_rate(std::optional<double> rate) {
  if (!rate) return "-";
  if (*rate >= 10.0) return fmt::format("{}", std::llround(*rate));
  return fmt::format("{:.1f}", *rate);
}

std::string format_time_short(std::optional<Timestamp> time) {
  if (!time) return "-";
  return format_timestamp(*time).substr(0, 19);
}

std::string format_time_iso(std::optional<Timestamp> time) {
  if (!time) return "";
  std::string text = format_timestamp(*time);
  std::replace(text.begin(), text.end(), ' ', 'T');
  return text + "Z";
}

std::string_view cli_type_name(ParameterType type) {
  switch (type) {
    case ParameterType::STRING: return "string";
    case ParameterType::LONG: return "long";
    case ParameterType::DOUBLE: return "double";
    case ParameterType::DATE: return "date";
    case ParameterType::DATE_TIME: return "datetime";
  }
  return "string";
}

std::string format_parameter_cli(std::string_view name, const JobParameter& parameter) {
  std::string text = fmt::format("{}={}", name, parameter.value_text());
  // A string containing a comma keeps an explicit type so that parsing it
  // back cannot mistake the value's tail for a type.
  const bool plain_string = parameter.type() == ParameterType::STRING &&
                            parameter.value_text().find(',') == std::string::npos;
  if (!plain_string || !parameter.identifying()) text += fmt::format(",{}", cli_type_name(parameter.type()));
  if (!parameter.identifying()) text += ",false";
  return text;
}

std::string format_parameters_cli(const JobParameters& parameters) {
  std::string text;
  for (const auto& [name, parameter] : parameters.parameters()) {
    if (!text.empty()) text += ' ';
    text += format_parameter_cli(name, parameter);
  }
  return text;
}

}  // namespace cppbatch
