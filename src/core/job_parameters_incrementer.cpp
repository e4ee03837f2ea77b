#include "cppbatch/core/job_parameters_incrementer.hpp"

namespace cppbatch {

JobParameters RunIdIncrementer::next(const JobParameters& previous) const {
  int64_t id = previous.get_long(key_).value_or(0) + 1;
  return JobParametersBuilder(previous).add_long(key_, id).build();
}

}  // namespace cppbatch
