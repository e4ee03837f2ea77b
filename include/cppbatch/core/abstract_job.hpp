// AbstractJob: the lifecycle every job shares (Spring's AbstractJob): mark
// STARTED, call listeners, run do_execute(), record status and exit status,
// persist. handle_step() runs one step with Spring's restart rules:
// a step COMPLETED in an earlier execution of the instance is skipped
// unless allow_start_if_complete; an ABANDONED one is never started again
// (its status ends the job, as in Spring); a FAILED/STOPPED one restarts from its
// last context; start_limit is enforced; UNKNOWN refuses to restart.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "cppbatch/common/clock.hpp"
#include "cppbatch/core/job.hpp"
#include "cppbatch/core/job_execution_listener.hpp"
#include "cppbatch/core/job_repository.hpp"
#include "cppbatch/core/step.hpp"

namespace cppbatch {

// Everything a job needs besides its steps; filled by JobBuilder.
struct JobSettings {
  std::string name;
  JobRepository* repository = nullptr;  // required; must outlive the job
  bool restartable = true;
  std::shared_ptr<const JobParametersValidator> validator;     // may be null
  std::shared_ptr<const JobParametersIncrementer> incrementer; // may be null
  std::vector<std::shared_ptr<JobExecutionListener>> listeners;
  Clock* clock = nullptr;  // null: the repository's clock()
};

// The outcome of one step as the job's flow sees it.
struct StepOutcome {
  BatchStatus status = BatchStatus::COMPLETED;
  ExitStatus exit_status = ExitStatus::completed();
  bool ran = false;  // false: skipped because already complete
};

class AbstractJob : public Job {
 public:
  explicit AbstractJob(JobSettings settings);
  const std::string& name() const override { return settings_.name; }
  bool restartable() const override { return settings_.restartable; }
  const JobParametersValidator* validator() const override { return settings_.validator.get(); }
  const JobParametersIncrementer* incrementer() const override { return settings_.incrementer.get(); }
  void execute(JobExecution& execution) final;

 protected:
  // Runs the job's steps. Throws JobInterruptedException when stopped,
  // anything else to fail the job.
  virtual void do_execute(JobExecution& execution) = 0;
  // Runs (or skips) one step; throws JobInterruptedException if it stopped.
  StepOutcome handle_step(Step& step, JobExecution& execution);
  JobRepository& repository() const { return *settings_.repository; }
  Clock& clock() const { return *settings_.clock; }

 private:
  JobSettings settings_;
};

// Steps in sequence; the job's status and exit status are the last run
// step's. Stops at the first step that does not complete.
class SimpleJob final : public AbstractJob {
 public:
  SimpleJob(JobSettings settings, std::vector<std::unique_ptr<Step>> steps);
  const std::vector<std::unique_ptr<Step>>& steps() const { return steps_; }

 protected:
  void do_execute(JobExecution& execution) override;

 private:
  std::vector<std::unique_ptr<Step>> steps_;
};

}  // namespace cppbatch
