// JobLauncher: Spring Batch's launch rules, checked before anything runs —
// a COMPLETED instance is not run again, a running one is not run twice,
// invalid parameters are refused before an instance exists.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <stdexcept>

#include "cppbatch/core/job_builder.hpp"
#include "cppbatch/core/step_builder.hpp"
#include "cppbatch/testing/execution_matchers.hpp"
#include "cppbatch/testing/job_test_fixture.hpp"

namespace cppbatch {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::HasExitCode;
using testing::HasExitDescription;
using testing::HasStatus;

const JobParameters kParams = JobParametersBuilder().add_string("date", "2026-01-02").build();

class JobLauncherTest : public testing::JobTestFixture {
 protected:
  std::unique_ptr<Job> counting_job(const std::string& name = "countJob") {
    return JobBuilder(name, repository_)
        .start(StepBuilder("count", repository_)
                   .tasklet([this](StepContribution&, ChunkContext&) {
                     ++runs_;
                     if (fail_) throw std::runtime_error("failing on purpose");
                     return RepeatStatus::FINISHED;
                   })
                   .build())
        .build();
  }
  int runs_ = 0;
  bool fail_ = false;
};

TEST_F(JobLauncherTest, RunsAJobToCompletion) {
  auto job = counting_job();
  auto handle = launch(*job, kParams);
  ASSERT_TRUE(handle.ok()) << handle.error().to_string();
  EXPECT_TRUE(handle->done()) << "the default executor is synchronous";
  JobExecution& execution = handle->wait();
  EXPECT_EQ(handle->id(), execution.id);
  EXPECT_THAT(execution, HasStatus(BatchStatus::COMPLETED));
  EXPECT_THAT(execution, HasExitCode("COMPLETED"));
  EXPECT_EQ(execution.job_name(), "countJob");
  EXPECT_EQ(execution.job_parameters, kParams);
  EXPECT_EQ(execution.job_instance.job_key, kParams.job_key());
  EXPECT_EQ(runs_, 1);
  EXPECT_THAT(*stored(execution.id), HasStatus(BatchStatus::COMPLETED));
}

TEST_F(JobLauncherTest, ReleasesTheLeaseWhenTheRunEnds) {
  auto job = counting_job();
  JobExecution& execution = run(*job, kParams);
  auto lease = repository_.lease(execution.id);
  ASSERT_TRUE(lease.ok());
  EXPECT_FALSE(lease->has_value());
}

TEST_F(JobLauncherTest, CompletedInstanceIsNotRunAgain) {
  auto job = counting_job();
  ASSERT_THAT(run(*job, kParams), HasStatus(BatchStatus::COMPLETED));
  auto again = launch(*job, kParams);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code(), ErrorCode::ALREADY_COMPLETE);
  EXPECT_THAT(again.error().message(), HasSubstr("already exists and is complete"));
  EXPECT_EQ(runs_, 1);
}

TEST_F(JobLauncherTest, NonIdentifyingParametersDoNotMakeANewInstance) {
  auto job = counting_job();
  ASSERT_THAT(run(*job, JobParametersBuilder(kParams).add_long("count", 1, false).build()),
              HasStatus(BatchStatus::COMPLETED));
  auto again = launch(*job, JobParametersBuilder(kParams).add_long("count", 2, false).build());
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code(), ErrorCode::ALREADY_COMPLETE);
}

TEST_F(JobLauncherTest, DifferentIdentifyingParametersMakeANewInstance) {
  auto job = counting_job();
  JobExecution& first = run(*job, kParams);
  JobExecution& second = run(*job, JobParametersBuilder().add_string("date", "2026-01-03").build());
  EXPECT_THAT(second, HasStatus(BatchStatus::COMPLETED));
  EXPECT_NE(first.job_instance.id, second.job_instance.id);
  EXPECT_EQ(runs_, 2);
}

// Spring Batch 5: an instance without identifying parameters may be
// launched again after it completed; its steps are all complete, so the
// run does nothing and says so (exit code NOOP).
TEST_F(JobLauncherTest, InstanceWithoutIdentifyingParametersMayRunAgainAsNoop) {
  auto job = counting_job();
  JobExecution& first = run(*job);
  ASSERT_THAT(first, HasStatus(BatchStatus::COMPLETED));
  JobExecution& second = run(*job);
  EXPECT_EQ(second.job_instance.id, first.job_instance.id);
  EXPECT_THAT(second, HasStatus(BatchStatus::COMPLETED));
  EXPECT_THAT(second, HasExitCode("NOOP"));
  EXPECT_THAT(second, HasExitDescription(HasSubstr("All steps already completed")));
  EXPECT_TRUE(second.step_executions.empty());
  EXPECT_EQ(runs_, 1);
}

TEST_F(JobLauncherTest, FailedInstanceIsRestartedAsANewExecution) {
  auto job = counting_job();
  fail_ = true;
  JobExecution& failed = run(*job, kParams);
  ASSERT_THAT(failed, HasStatus(BatchStatus::FAILED));
  fail_ = false;
  JobExecution& restarted = run(*job, kParams);
  EXPECT_THAT(restarted, HasStatus(BatchStatus::COMPLETED));
  EXPECT_EQ(restarted.job_instance.id, failed.job_instance.id);
  EXPECT_GT(restarted.id, failed.id);
  auto executions = repository_.job_executions(restarted.job_instance);
  ASSERT_TRUE(executions.ok());
  EXPECT_EQ(executions->size(), 2u);
}

TEST_F(JobLauncherTest, RunningExecutionRefusesASecondLaunch) {
  // An execution left running by hand (owned by this live process, lease fresh).
  auto running = repository_.create_job_execution("countJob", kParams);
  ASSERT_TRUE(running.ok()) << running.error().to_string();
  auto job = counting_job();
  auto second = launch(*job, kParams);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code(), ErrorCode::ALREADY_RUNNING);
  EXPECT_THAT(second.error().message(), HasSubstr("already running"));
  EXPECT_EQ(runs_, 0);
}

TEST_F(JobLauncherTest, RunningExecutionWithAnExpiredLeaseIsFailedAndTheLaunchProceeds) {
  auto running = repository_.create_job_execution("countJob", kParams);
  ASSERT_TRUE(running.ok()) << running.error().to_string();
  int64_t dead_id = running.value()->id;
  clock_.advance(repository_.lease_options().lease_duration + std::chrono::seconds(1));
  auto job = counting_job();
  JobExecution& execution = run(*job, kParams);
  EXPECT_THAT(execution, HasStatus(BatchStatus::COMPLETED));
  auto dead = stored(dead_id);
  EXPECT_THAT(*dead, HasStatus(BatchStatus::FAILED));
  EXPECT_THAT(*dead, HasExitDescription(HasSubstr("heartbeat")));
}

TEST_F(JobLauncherTest, InvalidParametersAreRefusedBeforeAnythingIsStored) {
  auto job = JobBuilder("validated", repository_)
                 .start(StepBuilder("s", repository_)
                            .tasklet([this](StepContribution&, ChunkContext&) {
                              ++runs_;
                              return RepeatStatus::FINISHED;
                            })
                            .build())
                 .validator(std::make_shared<DefaultJobParametersValidator>(std::vector<std::string>{"date"},
                                                                             std::vector<std::string>{"count"}))
                 .build();
  auto missing = launch(*job, JobParametersBuilder().add_long("count", 1).build());
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code(), ErrorCode::INVALID_ARGUMENT);
  EXPECT_THAT(missing.error().message(), HasSubstr("required keys: [date]"));

  auto unexpected = launch(*job, JobParametersBuilder(kParams).add_long("surprise", 1).build());
  ASSERT_FALSE(unexpected.ok());
  EXPECT_EQ(unexpected.error().code(), ErrorCode::INVALID_ARGUMENT);
  EXPECT_THAT(unexpected.error().message(), HasSubstr("surprise"));

  EXPECT_EQ(runs_, 0);
  auto names = repository_.job_names();
  ASSERT_TRUE(names.ok());
  EXPECT_THAT(*names, IsEmpty()) << "a refused launch must not create an instance";

  EXPECT_THAT(run(*job, kParams), HasStatus(BatchStatus::COMPLETED));
}

TEST_F(JobLauncherTest, StepLeftInUnknownStatusRefusesARestart) {
  // A previous execution whose step could not store its final state.
  auto previous = repository_.create_job_execution("countJob", kParams);
  ASSERT_TRUE(previous.ok());
  JobExecution& execution = *previous.value();
  StepExecution& step = execution.create_step_execution("count");
  ASSERT_TRUE(repository_.add(step).ok());
  step.status = BatchStatus::UNKNOWN;
  ASSERT_TRUE(repository_.update(step).ok());
  execution.status = BatchStatus::FAILED;
  ASSERT_TRUE(repository_.update(execution).ok());
  ASSERT_TRUE(repository_.release(execution).ok());

  auto job = counting_job();
  auto refused = launch(*job, kParams);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code(), ErrorCode::NOT_RESTARTABLE);
  EXPECT_THAT(refused.error().message(), HasSubstr("UNKNOWN"));
  EXPECT_EQ(runs_, 0);
}

TEST_F(JobLauncherTest, SharedJobIsKeptAliveForTheRun) {
  std::shared_ptr<Job> job = counting_job();
  std::weak_ptr<Job> weak = job;
  auto handle = launcher_.run(std::move(job), kParams);
  ASSERT_TRUE(handle.ok());
  EXPECT_THAT(handle->wait(), HasStatus(BatchStatus::COMPLETED));
  EXPECT_FALSE(weak.expired()) << "the handle keeps the job it ran";
}

}  // namespace
}  // namespace cppbatch
