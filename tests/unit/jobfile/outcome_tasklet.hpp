// A tasklet for job-file tests: ends with exit code `result`; "FAILED"
// throws (the step fails).
#pragma once

#include <stdexcept>
#include <string>

#include "cppbatch/core/tasklet.hpp"

namespace cppbatch::testing {

class OutcomeTasklet final : public Tasklet {
 public:
  explicit OutcomeTasklet(std::string result) : result_(std::move(result)) {}
  RepeatStatus execute(StepContribution& contribution, ChunkContext&) override {
    if (result_ == "FAILED") throw std::runtime_error("told to fail");
    contribution.set_exit_status(ExitStatus(result_));
    return RepeatStatus::FINISHED;
  }

 private:
  std::string result_;
};

}  // namespace cppbatch::testing
