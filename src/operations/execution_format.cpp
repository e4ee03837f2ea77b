#include "cppbatch/operations/execution_format.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace cppbatch {

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
