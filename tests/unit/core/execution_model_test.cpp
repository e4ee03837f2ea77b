// The execution records: JobExecution (owning its StepExecutions),
// StepExecution counters and StepContribution, ChunkContext and Chunk.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cppbatch/core/chunk.hpp"
#include "cppbatch/core/chunk_context.hpp"
#include "cppbatch/core/job_execution.hpp"
#include "cppbatch/core/step_contribution.hpp"
#include "cppbatch/core/step_execution.hpp"

namespace cppbatch {
namespace {

using ::testing::HasSubstr;

TEST(JobExecutionTest, Defaults) {
  JobExecution execution;
  EXPECT_EQ(execution.status, BatchStatus::STARTING);
  EXPECT_EQ(execution.exit_status, ExitStatus::unknown());
  EXPECT_TRUE(execution.is_running());
  EXPECT_TRUE(execution.step_executions.empty());
}

TEST(JobExecutionTest, CreateStepExecutionParentsIt) {
  JobExecution execution;
  execution.id = 7;
  StepExecution& step = execution.create_step_execution("load");
  EXPECT_EQ(step.step_name, "load");
  EXPECT_EQ(step.job_execution, &execution);
  EXPECT_EQ(step.job_execution_id, 7);
  EXPECT_EQ(step.status, BatchStatus::STARTING);
  EXPECT_EQ(step.exit_status, ExitStatus::executing());
  EXPECT_EQ(execution.find_step_execution("load"), &step);
  EXPECT_EQ(execution.find_step_execution("other"), nullptr);
}

TEST(JobExecutionTest, StepExecutionsKeepTheirStartOrder) {
  JobExecution execution;
  execution.create_step_execution("a");
  execution.create_step_execution("b");
  execution.create_step_execution("c");
  ASSERT_EQ(execution.step_executions.size(), 3u);
  EXPECT_EQ(execution.step_executions[0]->step_name, "a");
  EXPECT_EQ(execution.step_executions[2]->step_name, "c");
}

TEST(JobExecutionTest, UpgradeStatus) {
  JobExecution execution;
  execution.status = BatchStatus::STARTED;
  execution.upgrade_status(BatchStatus::COMPLETED);
  EXPECT_EQ(execution.status, BatchStatus::COMPLETED);
  execution.upgrade_status(BatchStatus::FAILED);
  EXPECT_EQ(execution.status, BatchStatus::FAILED);
  execution.upgrade_status(BatchStatus::COMPLETED);
  EXPECT_EQ(execution.status, BatchStatus::FAILED);
}

TEST(JobExecutionTest, CloneIsDeepAndReparentsStepExecutions) {
  JobExecution original;
  original.id = 3;
  original.version = 2;
  original.job_instance = JobInstance{1, 0, "job", "key"};
  original.job_parameters = JobParametersBuilder().add_long("n", 1).build();
  original.status = BatchStatus::FAILED;
  original.exit_status = ExitStatus::failed("boom");
  original.execution_context.put_long("k", 5);
  original.failures.push_back("boom");
  StepExecution& step = original.create_step_execution("s");
  step.read_count = 10;
  step.execution_context.put_string("pos", "x");

  std::unique_ptr<JobExecution> copy = original.clone();
  EXPECT_EQ(copy->id, 3);
  EXPECT_EQ(copy->version, 2);
  EXPECT_EQ(copy->job_instance, original.job_instance);
  EXPECT_EQ(copy->job_parameters, original.job_parameters);
  EXPECT_EQ(copy->status, BatchStatus::FAILED);
  EXPECT_EQ(copy->exit_status, ExitStatus::failed("boom"));
  EXPECT_EQ(copy->execution_context, original.execution_context);
  EXPECT_EQ(copy->failures, original.failures);
  ASSERT_EQ(copy->step_executions.size(), 1u);
  StepExecution& copied_step = *copy->step_executions[0];
  EXPECT_NE(&copied_step, &step);
  EXPECT_EQ(copied_step.job_execution, copy.get());
  EXPECT_EQ(copied_step.read_count, 10);
  EXPECT_EQ(copied_step.execution_context.get_string("pos"), "x");

  copied_step.read_count = 99;
  copy->execution_context.put_long("k", 6);
  EXPECT_EQ(step.read_count, 10);
  EXPECT_EQ(original.execution_context.get_long("k"), 5);
}

TEST(StepExecutionTest, ApplyAddsAContributionsCountsButNotCommits) {
  StepExecution step;
  step.read_count = 1;
  StepContribution contribution(step);
  contribution.increment_read_count(5);
  contribution.increment_write_count(4);
  contribution.increment_filter_count();
  contribution.increment_read_skip_count(2);
  contribution.increment_process_skip_count(3);
  contribution.increment_write_skip_count(4);
  EXPECT_EQ(contribution.skip_count(), 9);
  EXPECT_EQ(&contribution.step_execution(), &step);

  step.apply(contribution);
  EXPECT_EQ(step.read_count, 6);
  EXPECT_EQ(step.write_count, 4);
  EXPECT_EQ(step.filter_count, 1);
  EXPECT_EQ(step.read_skip_count, 2);
  EXPECT_EQ(step.process_skip_count, 3);
  EXPECT_EQ(step.write_skip_count, 4);
  EXPECT_EQ(step.skip_count(), 9);
  EXPECT_EQ(step.commit_count, 0);
  EXPECT_EQ(step.rollback_count, 0);
}

TEST(StepExecutionTest, ApplyCombinesExitStatus) {
  StepExecution step;  // EXECUTING
  StepContribution contribution(step);
  contribution.set_exit_status(ExitStatus("COMPLETED WITH NOTES", "note"));
  step.apply(contribution);
  EXPECT_EQ(step.exit_status.code(), "COMPLETED WITH NOTES");
  EXPECT_EQ(step.exit_status.description(), "note");

  StepContribution plain(step);  // EXECUTING does not downgrade it
  step.apply(plain);
  EXPECT_EQ(step.exit_status.code(), "COMPLETED WITH NOTES");
}

// JobExecution::summary: one line whatever the state, the exit code only
// when it says more than the status, the first line of a description.
class JobExecutionSummaryTest : public ::testing::Test {
 protected:
  JobExecutionSummaryTest() {
    execution_.id = 7;
    execution_.job_instance = JobInstance{6, 0, "settlement", "key"};
    execution_.job_parameters = JobParametersBuilder().add_string("date", "2026-11-21").add_long("n", 3).build();
    execution_.create_time = t0_;
  }
  std::string prefix() const { return "Execution 7 of job 'settlement' (instance 6): "; }

  const Timestamp t0_ = *parse_timestamp("2026-11-21 08:43:25.500000");
  JobExecution execution_;
};

TEST_F(JobExecutionSummaryTest, Completed) {
  execution_.status = BatchStatus::COMPLETED;
  execution_.exit_status = ExitStatus::completed();
  execution_.start_time = t0_;
  execution_.end_time = t0_ + std::chrono::milliseconds(10'300);
  execution_.create_step_execution("load").status = BatchStatus::COMPLETED;
  execution_.create_step_execution("settle").status = BatchStatus::COMPLETED;
  EXPECT_EQ(execution_.summary(t0_ + std::chrono::hours(1)),
            prefix() +
                "COMPLETED; started 2026-11-21 08:43:25 UTC, ended 2026-11-21 08:43:35 UTC after 10.3s; "
                "parameters {date=2026-11-21, n=3}; steps load COMPLETED, settle COMPLETED");
}

TEST_F(JobExecutionSummaryTest, FailedShowsTheFirstLineOfItsDescription) {
  execution_.status = BatchStatus::FAILED;
  execution_.exit_status = ExitStatus::failed("disk full\n  at writer.cpp:12");
  execution_.start_time = t0_;
  execution_.end_time = t0_ + std::chrono::seconds(2);
  execution_.create_step_execution("load").status = BatchStatus::FAILED;
  EXPECT_EQ(execution_.summary(t0_),
            prefix() +
                "FAILED (disk full); started 2026-11-21 08:43:25 UTC, ended 2026-11-21 08:43:27 UTC after 2.000s; "
                "parameters {date=2026-11-21, n=3}; steps load FAILED");
}

TEST_F(JobExecutionSummaryTest, RunningNotStartedAndEndedWithoutEndTime) {
  execution_.job_parameters = JobParameters{};
  EXPECT_EQ(execution_.summary(t0_), prefix() +
                                         "STARTING, exit UNKNOWN; created 2026-11-21 08:43:25 UTC, not started; "
                                         "no parameters; no step ran");
  execution_.status = BatchStatus::STARTED;
  execution_.start_time = t0_;
  EXPECT_THAT(execution_.summary(t0_ + std::chrono::seconds(65)),
              HasSubstr("STARTED, exit UNKNOWN; started 2026-11-21 08:43:25 UTC, running for 1m05s;"));
  execution_.status = BatchStatus::FAILED;  // its owner died: marked FAILED without an end time
  execution_.exit_status = ExitStatus("FAILED");
  execution_.last_updated = t0_ + std::chrono::seconds(3);
  EXPECT_THAT(execution_.summary(t0_ + std::chrono::hours(1)),
              HasSubstr("FAILED; started 2026-11-21 08:43:25 UTC, no end time (last updated 2026-11-21 08:43:28 UTC)"));
}

TEST(StepExecutionTest, SummaryNamesCountersLikeSpring) {
  StepExecution step;
  step.id = 3;
  step.step_name = "settle";
  step.status = BatchStatus::COMPLETED;
  step.exit_status = ExitStatus::completed();
  step.read_count = 10;
  step.write_count = 9;
  step.filter_count = 1;
  step.commit_count = 3;
  std::string summary = step.summary();
  EXPECT_THAT(summary, HasSubstr("id=3"));
  EXPECT_THAT(summary, HasSubstr("name=settle"));
  EXPECT_THAT(summary, HasSubstr("status=COMPLETED"));
  EXPECT_THAT(summary, HasSubstr("readCount=10"));
  EXPECT_THAT(summary, HasSubstr("writeCount=9"));
  EXPECT_THAT(summary, HasSubstr("filterCount=1"));
  EXPECT_THAT(summary, HasSubstr("commitCount=3"));
  EXPECT_THAT(summary, HasSubstr("rollbackCount=0"));
}

TEST(ChunkContextTest, ReachesTheStepAndJobExecution) {
  JobExecution job;
  job.job_parameters = JobParametersBuilder().add_string("date", "2026-01-02").build();
  StepExecution& step = job.create_step_execution("s");
  ChunkContext context(step);
  EXPECT_EQ(&context.step_execution(), &step);
  EXPECT_EQ(context.job_execution(), &job);
  EXPECT_EQ(context.job_parameters().get_string("date"), "2026-01-02");
  EXPECT_FALSE(context.complete());
  context.set_complete();
  EXPECT_TRUE(context.complete());
}

TEST(ChunkContextTest, DetachedStepHasEmptyParameters) {
  StepExecution step;
  ChunkContext context(step);
  EXPECT_EQ(context.job_execution(), nullptr);
  EXPECT_TRUE(context.job_parameters().empty());
}

TEST(ChunkTest, AddIterateAndClearKeepingCapacity) {
  Chunk<int> chunk;
  EXPECT_TRUE(chunk.empty());
  chunk.reserve(8);
  chunk.add(1);
  chunk.emplace(2);
  chunk.add(3);
  EXPECT_EQ(chunk.size(), 3u);
  EXPECT_EQ(chunk[1], 2);
  int sum = 0;
  for (int v : chunk) sum += v;
  EXPECT_EQ(sum, 6);
  size_t capacity = chunk.items().capacity();
  chunk.clear();
  EXPECT_TRUE(chunk.empty());
  EXPECT_EQ(chunk.items().capacity(), capacity);
  EXPECT_EQ(Chunk<int>(std::vector<int>{4, 5}).size(), 2u);
}

}  // namespace
}  // namespace cppbatch
