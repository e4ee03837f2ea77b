#include "cppbatch/core/job_parameters_validator.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

namespace cppbatch {

Result<void> DefaultJobParametersValidator::validate(const JobParameters& parameters) const {
  std::vector<std::string> missing;
  for (const auto& key : required_) {
    if (!parameters.contains(key)) missing.push_back(key);
  }
  if (!missing.empty()) {
    return Error(ErrorCode::INVALID_ARGUMENT,
                 fmt::format("The JobParameters do not contain required keys: [{}]", fmt::join(missing, ", ")));
  }
  if (!optional_.empty()) {
    std::vector<std::string> unexpected;
    for (const auto& [name, value] : parameters.parameters()) {
      bool known = std::find(required_.begin(), required_.end(), name) != required_.end() ||
                   std::find(optional_.begin(), optional_.end(), name) != optional_.end();
      if (!known) unexpected.push_back(name);
    }
    if (!unexpected.empty()) {
      return Error(ErrorCode::INVALID_ARGUMENT,
                   fmt::format("The JobParameters contains keys that are not explicitly optional or required: [{}]",
                               fmt::join(unexpected, ", ")));
    }
  }
  return {};
}

}  // namespace cppbatch
