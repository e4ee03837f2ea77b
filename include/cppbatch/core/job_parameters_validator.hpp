// JobParametersValidator: checks parameters before an execution is created.
// DefaultJobParametersValidator: required keys must be present; when
// optional keys are listed, any other key is refused (Spring's rule).
#pragma once

#include <string>
#include <vector>

#include "cppbatch/common/result.hpp"
#include "cppbatch/core/job_parameters.hpp"

namespace cppbatch {

class JobParametersValidator {
 public:
  virtual ~JobParametersValidator() = default;
  // INVALID_ARGUMENT with a message naming the offending keys.
  virtual Result<void> validate(const JobParameters& parameters) const = 0;
};

class DefaultJobParametersValidator final : public JobParametersValidator {
 public:
  DefaultJobParametersValidator(std::vector<std::string> required_keys, std::vector<std::string> optional_keys = {})
      : required_(std::move(required_keys)), optional_(std::move(optional_keys)) {}
  Result<void> validate(const JobParameters& parameters) const override;

 private:
  std::vector<std::string> required_;
  std::vector<std::string> optional_;
};

}  // namespace cppbatch
