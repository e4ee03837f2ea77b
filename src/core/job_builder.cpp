#include "cppbatch/core/job_builder.hpp"

#include <set>
#include <stdexcept>

namespace cppbatch {

JobBuilder& JobBuilder::start(std::unique_ptr<Step> step) {
  steps_.clear();
  return next(std::move(step));
}

JobBuilder& JobBuilder::next(std::unique_ptr<Step> step) {
  if (!step) throw std::invalid_argument("job '" + settings_.name + "': null step");
  steps_.push_back(std::move(step));
  return *this;
}

std::unique_ptr<Job> JobBuilder::build() {
  if (steps_.empty()) throw std::invalid_argument("job '" + settings_.name + "' has no step");
  std::set<std::string> names;
  for (const auto& step : steps_) {
    if (!names.insert(step->name()).second) {
      throw std::invalid_argument("job '" + settings_.name + "' has two steps named '" + step->name() + "'");
    }
  }
  return std::make_unique<SimpleJob>(std::move(settings_), std::move(steps_));
}

}  // namespace cppbatch
