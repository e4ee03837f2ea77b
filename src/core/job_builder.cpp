#include "cppbatch/core/job_builder.hpp"

#include <set>
#include <stdexcept>

namespace cppbatch {

JobBuilder::JobBuilder(std::string name, JobRepository& repository) {
  settings_.name = std::move(name);
  settings_.repository = &repository;
}

JobBuilder& JobBuilder::start(std::unique_ptr<Step> step) {
  steps_.clear();
  return next(std::move(step));
}

JobBuilder& JobBuilder::next(std::unique_ptr<Step> step) {
  if (!step) throw std::invalid_argument("job '" + settings_.name + "': null step");
  steps_.push_back(std::move(step));
  return *this;
}

JobBuilder& JobBuilder::incrementer(std::shared_ptr<const JobParametersIncrementer> incrementer) {
  settings_.incrementer = std::move(incrementer);
  return *this;
}

JobBuilder& JobBuilder::validator(std::shared_ptr<const JobParametersValidator> validator) {
  settings_.validator = std::move(validator);
  return *this;
}

JobBuilder& JobBuilder::listener(std::shared_ptr<JobExecutionListener> listener) {
  settings_.listeners.push_back(std::move(listener));
  return *this;
}

JobBuilder& JobBuilder::prevent_restart() {
  settings_.restartable = false;
  return *this;
}

JobBuilder& JobBuilder::clock(Clock& clock) {
  settings_.clock = &clock;
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
