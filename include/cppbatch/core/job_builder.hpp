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
// steps share a name. For conditional flows, deciders and splits use
// FlowJobBuilder (flow_job_builder.hpp).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "cppbatch/core/abstract_job.hpp"

namespace cppbatch {

// The job-level settings shared by JobBuilder and FlowJobBuilder.
template <class Self>
class JobBuilderBase {
 public:
  Self& incrementer(std::shared_ptr<const JobParametersIncrementer> incrementer) {
    settings_.incrementer = std::move(incrementer);
    return job_self();
  }
  Self& validator(std::shared_ptr<const JobParametersValidator> validator) {
    settings_.validator = std::move(validator);
    return job_self();
  }
  Self& listener(std::shared_ptr<JobExecutionListener> listener) {
    settings_.listeners.push_back(std::move(listener));
    return job_self();
  }
  // An instance that has an execution is never run again.
  Self& prevent_restart() {
    settings_.restartable = false;
    return job_self();
  }
  Self& clock(Clock& clock) {
    settings_.clock = &clock;
    return job_self();
  }

 protected:
  // `repository` must outlive the built job.
  JobBuilderBase(std::string name, JobRepository& repository) {
    settings_.name = std::move(name);
    settings_.repository = &repository;
  }
  JobSettings settings_;

 private:
  Self& job_self() { return static_cast<Self&>(*this); }
};

class JobBuilder : public JobBuilderBase<JobBuilder> {
 public:
  // `repository` must outlive the built job.
  JobBuilder(std::string name, JobRepository& repository) : JobBuilderBase(std::move(name), repository) {}

  JobBuilder& start(std::unique_ptr<Step> step);
  JobBuilder& next(std::unique_ptr<Step> step);

  std::unique_ptr<Job> build();

 private:
  std::vector<std::unique_ptr<Step>> steps_;
};

}  // namespace cppbatch
