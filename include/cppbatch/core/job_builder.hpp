// JobBuilder: the fluent way to define a sequential job.
//
//   auto job = JobBuilder("settlementJob", repo)
//       .start(std::move(generate))
//       .next(std::move(settle))
//       .next(std::move(report))
//       .incrementer(std::make_shared<RunIdIncrementer>())
//       .validator(std::make_shared<DefaultJobParametersValidator>(
//           std::vector<std::string>{"date"}, std::vector<std::string>{"count", "run.id"}))
//       .build();
//
// build() throws std::invalid_argument when the job has no step or two
// steps share a name.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "cppbatch/core/abstract_job.hpp"

namespace cppbatch {

class JobBuilder {
 public:
  // `repository` must outlive the built job.
  JobBuilder(std::string name, JobRepository& repository);

  JobBuilder& start(std::unique_ptr<Step> step);
  JobBuilder& next(std::unique_ptr<Step> step);
  JobBuilder& incrementer(std::shared_ptr<const JobParametersIncrementer> incrementer);
  JobBuilder& validator(std::shared_ptr<const JobParametersValidator> validator);
  JobBuilder& listener(std::shared_ptr<JobExecutionListener> listener);
  // An instance that has an execution is never run again.
  JobBuilder& prevent_restart();
  JobBuilder& clock(Clock& clock);

  std::unique_ptr<Job> build();

 private:
  JobSettings settings_;
  std::vector<std::unique_ptr<Step>> steps_;
};

}  // namespace cppbatch
