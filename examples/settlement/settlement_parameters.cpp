#include "settlement/settlement_parameters.hpp"

#include <fmt/format.h>

#include <charconv>
#include <stdexcept>

#include "cppbatch/core/job_execution.hpp"

namespace settlement {

namespace {

using cppbatch::Error;
using cppbatch::ErrorCode;

std::optional<int64_t> parse_long(std::string_view text) {
  int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

cppbatch::Result<cppbatch::Date> date_of(const cppbatch::JobParameters& parameters) {
  if (auto date = parameters.get_date("date")) return *date;
  if (auto text = parameters.get_string("date")) {
    if (auto date = cppbatch::parse_date(*text)) return *date;
    return Error(ErrorCode::INVALID_ARGUMENT,
                 fmt::format("job parameter 'date': '{}' is not a valid date (YYYY-MM-DD)", *text));
  }
  if (!parameters.contains("date")) return Error(ErrorCode::INVALID_ARGUMENT, "job parameter 'date' is required");
  return Error(ErrorCode::INVALID_ARGUMENT, "job parameter 'date' must be a date (date=YYYY-MM-DD,date)");
}

// A long parameter (or a string holding one) in [0, limit); `fallback` when absent.
cppbatch::Result<int64_t> whole_number(const cppbatch::JobParameters& parameters, const char* name, int64_t fallback,
                                       int64_t limit) {
  const cppbatch::JobParameter* parameter = parameters.find(name);
  if (parameter == nullptr) return fallback;
  std::optional<int64_t> value = parameters.get_long(name);
  if (!value) {
    if (auto text = parameters.get_string(name)) value = parse_long(*text);
  }
  if (!value || *value < 0 || *value >= limit) {
    return Error(ErrorCode::INVALID_ARGUMENT, fmt::format("job parameter '{}': '{}' is not a whole number in [0, {})",
                                                          name, parameter->value_text(), limit));
  }
  return *value;
}

cppbatch::Result<std::filesystem::path> workdir_of(const cppbatch::JobParameters& parameters) {
  if (!parameters.contains("workdir")) return std::filesystem::current_path();
  auto text = parameters.get_string("workdir");
  if (!text || text->empty()) {
    return Error(ErrorCode::INVALID_ARGUMENT, "job parameter 'workdir' must be a non-empty string");
  }
  return std::filesystem::path(*text);
}

}  // namespace

cppbatch::Result<SettlementParameters> SettlementParameters::from(const cppbatch::JobParameters& parameters) {
  auto date = date_of(parameters);
  if (!date) return date.error();
  auto count = whole_number(parameters, "count", kDefaultCount, kIdsPerDate);
  if (!count) return count.error();
  auto faults = whole_number(parameters, "faults", kDefaultFaultEvery, kIdsPerDate);
  if (!faults) return faults.error();
  auto workdir = workdir_of(parameters);
  if (!workdir) return workdir.error();
  SettlementParameters resolved;
  resolved.date = *date;
  resolved.date_text = cppbatch::format_date(*date);
  resolved.count = *count;
  resolved.fault_every = *faults;
  resolved.workdir = std::move(*workdir);
  return resolved;
}

cppbatch::Result<void> SettlementParametersValidator::validate(const cppbatch::JobParameters& parameters) const {
  if (auto keys = keys_.validate(parameters); !keys) return keys;
  auto resolved = SettlementParameters::from(parameters);
  if (!resolved) return resolved.error();
  return {};
}

void ParameterScope::before_step(cppbatch::StepExecution& execution) {
  static const cppbatch::JobParameters kNone;
  const cppbatch::JobParameters& parameters =
      execution.job_execution != nullptr ? execution.job_execution->job_parameters : kNone;
  auto resolved = SettlementParameters::from(parameters);
  if (!resolved) throw std::invalid_argument(resolved.error().message());
  bound_ = std::move(*resolved);
}

const SettlementParameters& ParameterScope::get() const {
  if (!bound_) throw std::logic_error("settlement parameters used before the step started");
  return *bound_;
}

}  // namespace settlement
