// JobParametersIncrementer: computes the parameters of the next instance
// (`cppbatch run JOB --next`). RunIdIncrementer adds run.id = previous + 1.
#pragma once

#include <string>

#include "cppbatch/core/job_parameters.hpp"

namespace cppbatch {

class JobParametersIncrementer {
 public:
  virtual ~JobParametersIncrementer() = default;
  // `previous` are the parameters of the last instance's last execution
  // (empty if the job never ran). Throws std::invalid_argument when they
  // cannot be incremented (e.g. run.id=abc).
  virtual JobParameters next(const JobParameters& previous) const = 0;
};

class RunIdIncrementer final : public JobParametersIncrementer {
 public:
  explicit RunIdIncrementer(std::string key = "run.id") : key_(std::move(key)) {}
  JobParameters next(const JobParameters& previous) const override;

 private:
  std::string key_;
};

}  // namespace cppbatch
