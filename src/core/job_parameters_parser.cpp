#include "cppbatch/core/job_parameters_parser.hpp"

#include <fmt/format.h>

namespace cppbatch {

Result<std::pair<std::string, JobParameter>> parse_job_parameter(std::string_view argument) {
  size_t eq = argument.find('=');
  if (eq == std::string_view::npos || eq == 0) {
    return Error(ErrorCode::INVALID_ARGUMENT,
                 fmt::format("bad job parameter '{}': expected name=value[,type[,identifying]]", argument));
  }
  std::string name(argument.substr(0, eq));
  std::string_view rest = argument.substr(eq + 1);
  // The value runs to the last ",type" or ",type,identifying" suffix whose
  // type is recognised, so values may themselves contain commas.
  std::string_view value = rest;
  ParameterType type = ParameterType::STRING;
  bool identifying = true;
  size_t c1 = rest.rfind(',');
  if (c1 != std::string_view::npos) {
    std::string_view last = rest.substr(c1 + 1);
    std::string_view before = rest.substr(0, c1);
    if (last == "true" || last == "false") {
      size_t c2 = before.rfind(',');
      std::string_view type_text = c2 == std::string_view::npos ? std::string_view{} : before.substr(c2 + 1);
      auto parsed = parse_parameter_type(type_text);
      if (!parsed && c2 == std::string_view::npos) {
        return Error(ErrorCode::INVALID_ARGUMENT,
                     fmt::format("bad job parameter '{}': '{}' must follow a type (name=value,type,{}); for a "
                                 "string value ending in ',{}' write name=value,string",
                                 argument, last, last, last));
      }
      if (!parsed) {
        return Error(ErrorCode::INVALID_ARGUMENT,
                     fmt::format("bad job parameter '{}': unknown type '{}' (expected string, long, double, "
                                 "date, datetime or a java.lang/java.time class name)",
                                 argument, type_text));
      }
      type = *parsed;
      identifying = last == "true";
      value = before.substr(0, c2);
    } else if (auto parsed = parse_parameter_type(last)) {
      type = *parsed;
      value = before;
    }
  }
  auto parsed_value = parse_parameter_value(type, value);
  if (!parsed_value) {
    static constexpr const char* kNames[] = {"string", "long", "double", "date (YYYY-MM-DD)",
                                             "datetime (YYYY-MM-DDTHH:MM:SS)"};
    return Error(ErrorCode::INVALID_ARGUMENT,
                 fmt::format("bad job parameter '{}': '{}' is not a valid {}", argument, value,
                             kNames[static_cast<int>(type)]));
  }
  return std::pair<std::string, JobParameter>(std::move(name), JobParameter(std::move(*parsed_value), identifying));
}

Result<JobParameters> parse_job_parameters(const std::vector<std::string>& arguments) {
  JobParametersBuilder builder;
  std::vector<std::string> seen;
  for (const auto& argument : arguments) {
    auto parsed = parse_job_parameter(argument);
    if (!parsed) return parsed.error();
    for (const auto& name : seen) {
      if (name == parsed->first) {
        return Error(ErrorCode::INVALID_ARGUMENT, fmt::format("job parameter '{}' given twice", name));
      }
    }
    seen.push_back(parsed->first);
    builder.add(parsed->first, parsed->second);
  }
  return builder.build();
}

}  // namespace cppbatch
