// JobStep: a whole job run as one step (Spring Batch's JobStep). The child
// job is launched through a JobLauncher with parameters taken from the
// step (JobParametersExtractor), so its JobInstance, executions and steps
// are stored in the repository as those of any job. The step's exit status
// is combined with the child's; a child that FAILED (or worse) fails the
// step, one that STOPPED stops it, and a refused launch fails it with the
// reason.
//
// The parameters are computed once and kept in the step's
// ExecutionContext (key "JobStep.JOB_PARAMETERS.<name>"), so a restart of
// the parent restarts the same child instance.
//
// Unlike Spring's, a JobStep can be stopped: the child's execution id is
// stored in the step's context (key "JobStep.CHILD_EXECUTION_ID") before
// the child runs, and JobOperator::stop of the parent — from any process —
// stops that child too; it ends STOPPED, so does the step, and a restart
// of the parent restarts the child where it stopped. (With a synchronous
// launcher of the program's own, the id is known only once the child ended.)
//
//   auto child = FlowJobBuilder("loadPartition", repo).start(load).end().build();
//   auto step = StepBuilder("loadAll", repo)
//       .job(std::move(child))
//       .parameters_extractor(std::make_shared<DefaultJobParametersExtractor>(
//           std::vector<std::string>{"input.file"}))
//       .build();
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "cppbatch/core/abstract_step.hpp"
#include "cppbatch/core/job.hpp"
#include "cppbatch/core/job_launcher.hpp"
#include "cppbatch/core/step_builder.hpp"

namespace cppbatch {

// Computes the child job's parameters from the step execution that runs
// it. Called on the step's thread.
class JobParametersExtractor {
 public:
  virtual ~JobParametersExtractor() = default;
  virtual JobParameters extract(const Job& job, const StepExecution& step) const = 0;
};

// Spring's DefaultJobParametersExtractor: all of the parent job's
// parameters (unless use_all_parent_parameters is false), then for each
// key: the step's ExecutionContext value if present (a string is read in
// the CLI form `value[,type[,identifying]]`, e.g. "10,long"; a long, double
// or bool keeps its type, a bool as string), else the parent parameter of
// that name. Throws std::invalid_argument for a string value that does not
// parse.
class DefaultJobParametersExtractor final : public JobParametersExtractor {
 public:
  explicit DefaultJobParametersExtractor(std::vector<std::string> keys = {}, bool use_all_parent_parameters = true);
  JobParameters extract(const Job& job, const StepExecution& step) const override;

 private:
  std::vector<std::string> keys_;
  bool use_all_parent_parameters_;
};

class JobStep final : public AbstractStep {
 public:
  // `launcher` null: a synchronous JobLauncher on the step's repository.
  JobStep(StepSettings settings, std::shared_ptr<Job> job, std::shared_ptr<const JobParametersExtractor> extractor,
          JobLauncher* launcher);
  const Job& job() const { return *job_; }

 protected:
  void do_execute(StepExecution& execution) override;

 private:
  std::shared_ptr<Job> job_;
  std::shared_ptr<const JobParametersExtractor> extractor_;
  JobLauncher* launcher_;
};

// Returned by StepBuilder::job(job).
class JobStepBuilder : public StepBuilderBase<JobStepBuilder> {
 public:
  JobStepBuilder(StepSettings settings, std::shared_ptr<Job> job);
  // Default: DefaultJobParametersExtractor() (the parent's parameters).
  JobStepBuilder& parameters_extractor(std::shared_ptr<const JobParametersExtractor> extractor);
  // Default: a launcher on the step's repository running the child on the
  // step's thread. Must outlive the step; the step waits for its run.
  JobStepBuilder& launcher(JobLauncher& launcher);
  template <class L>
  JobStepBuilder& listener(std::shared_ptr<L> listener) {
    add_step_level_listener(listener);
    return *this;
  }
  // Throws std::invalid_argument without a job.
  std::unique_ptr<Step> build();

 private:
  std::shared_ptr<Job> job_;
  std::shared_ptr<const JobParametersExtractor> extractor_;
  JobLauncher* launcher_ = nullptr;
};

}  // namespace cppbatch
