// Steps for flow scenarios: tasklet steps whose outcome a test sets by
// name before each run, recording the order in which they ran.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "cppbatch/core/job_interrupted_exception.hpp"
#include "cppbatch/core/step_builder.hpp"

namespace cppbatch::testing {

class ScriptedSteps {
 public:
  // What a step does when it runs: "COMPLETED" (default) or any exit code
  // to complete with, "THROW" to fail, "STOP" to stop.
  void set(const std::string& step, std::string outcome) {
    std::lock_guard lock(mutex_);
    outcomes_[step] = std::move(outcome);
  }
  std::vector<std::string> ran() const {
    std::lock_guard lock(mutex_);
    return ran_;
  }
  void clear_ran() {
    std::lock_guard lock(mutex_);
    ran_.clear();
  }

  // A tasklet step named `name` following its scripted outcome.
  std::shared_ptr<Step> step(const std::string& name, JobRepository& repository, bool allow_start_if_complete = false) {
    auto builder = StepBuilder(name, repository).tasklet([this, name](StepContribution& contribution, ChunkContext&) {
      std::string outcome;
      {
        std::lock_guard lock(mutex_);
        ran_.push_back(name);
        auto it = outcomes_.find(name);
        outcome = it == outcomes_.end() ? "COMPLETED" : it->second;
      }
      if (outcome == "THROW") throw std::runtime_error(name + " broke");
      if (outcome == "STOP") throw JobInterruptedException(name + " stopped");
      if (outcome != "COMPLETED") contribution.set_exit_status(ExitStatus(outcome));
      return RepeatStatus::FINISHED;
    });
    builder.allow_start_if_complete(allow_start_if_complete);
    return builder.build();
  }

 private:
  mutable std::mutex mutex_;
  std::map<std::string, std::string> outcomes_;
  std::vector<std::string> ran_;
};

}  // namespace cppbatch::testing
