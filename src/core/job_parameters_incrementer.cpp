#include "cppbatch/core/job_parameters_incrementer.hpp"

#include <stdexcept>

namespace cppbatch {

JobParameters RunIdIncrementer::next(const JobParameters& previous) const {
  int64_t id = 1;
  if (const JobParameter* last = previous.find(key_)) {
    // Spring: Long.parseLong(value.toString()) + 1, so a run.id given as
    // text still counts on.
    auto parsed = parse_parameter_value(ParameterType::LONG, last->value_text());
    if (!parsed) throw std::invalid_argument("Invalid value for parameter " + key_ + ": '" + last->value_text() + "'");
    id = std::get<int64_t>(*parsed) + 1;
  }
  return JobParametersBuilder(previous).add_long(key_, id).build();
}

}  // namespace cppbatch
