// Restart (DESIGN.md contract 2, Spring Batch's rules): a FAILED or STOPPED
// step restarts from its last committed checkpoint; COMPLETED steps are
// skipped unless allow_start_if_complete; start_limit caps the starts of a
// step within one instance; a job built with prevent_restart() is never run
// twice for one instance.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <limits>
#include <numeric>
#include <stdexcept>
#include <vector>

#include "cppbatch/core/job_builder.hpp"
#include "cppbatch/core/step_builder.hpp"
#include "cppbatch/testing/execution_matchers.hpp"
#include "cppbatch/testing/job_test_fixture.hpp"
#include "cppbatch/testing/restartable_list_reader.hpp"
#include "cppbatch/testing/recording_item_writer.hpp"

namespace cppbatch {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::HasCounts;
using testing::HasExitDescription;
using testing::HasStatus;
using testing::HasStepExecution;
using testing::RestartableListReader;
using testing::RecordingItemWriter;

std::vector<int> numbers(int n) {
  std::vector<int> out(static_cast<size_t>(n));
  std::iota(out.begin(), out.end(), 0);
  return out;
}

const JobParameters kParams = JobParametersBuilder().add_string("date", "2026-01-02").build();

class RestartTest : public testing::JobTestFixture {
 protected:
  // A tasklet step that fails while *fail is true.
  std::unique_ptr<Step> flaky_step(const std::string& name, const bool* fail, int* runs,
                                   bool allow_start_if_complete = false,
                                   int64_t start_limit = std::numeric_limits<int64_t>::max()) {
    auto builder = StepBuilder(name, repository_).tasklet([fail, runs](StepContribution&, ChunkContext&) {
      ++*runs;
      if (*fail) throw std::runtime_error("flaky failure");
      return RepeatStatus::FINISHED;
    });
    builder.allow_start_if_complete(allow_start_if_complete).start_limit(start_limit);
    return builder.build();
  }
};

TEST_F(RestartTest, FailedChunkStepResumesAfterTheLastCommittedChunk) {
  std::vector<std::vector<int>> written;
  auto make_job = [&](bool fail) {
    auto reader = std::make_unique<RestartableListReader<int>>(numbers(10));
    if (fail) reader->fail_at(7, "bad record 7");
    auto step = StepBuilder("load", repository_)
                    .chunk<int>(3)
                    .reader(std::move(reader))
                    .writer(std::make_unique<RecordingItemWriter<int>>(written))
                    .build();
    return JobBuilder("loadJob", repository_).start(std::move(step)).build();
  };

  auto first_job = make_job(/*fail=*/true);
  JobExecution& first = run(*first_job, kParams);
  ASSERT_THAT(first, HasStatus(BatchStatus::FAILED));
  EXPECT_THAT(first, HasStepExecution("load", HasCounts({.read = 6, .write = 6, .commit = 2, .rollback = 1})));

  auto second_job = make_job(/*fail=*/false);
  JobExecution& second = run(*second_job, kParams);
  ASSERT_THAT(second, HasStatus(BatchStatus::COMPLETED));
  EXPECT_NE(second.id, first.id);
  EXPECT_EQ(second.job_instance.id, first.job_instance.id) << "a restart is a new execution of the same instance";
  // Items 6..9: chunk [6,7,8] and the end-of-input chunk [9].
  EXPECT_THAT(second, HasStepExecution("load", HasCounts({.read = 4, .write = 4, .commit = 2, .rollback = 0})));
  EXPECT_EQ(RecordingItemWriter<int>::flatten(written), numbers(10)) << "no item lost, none written twice";
  EXPECT_THAT(written, ElementsAre(ElementsAre(0, 1, 2), ElementsAre(3, 4, 5), ElementsAre(6, 7, 8), ElementsAre(9)));
}

TEST_F(RestartTest, RestartedStepStartsFromTheStoredCheckpoint) {
  std::vector<std::vector<int>> written;
  auto reader = std::make_unique<RestartableListReader<int>>(numbers(5));
  RestartableListReader<int>* raw = reader.get();
  raw->fail_at(3, "boom");
  auto step = StepBuilder("load", repository_)
                  .chunk<int>(2)
                  .reader(std::move(reader))
                  .writer(std::make_unique<RecordingItemWriter<int>>(written))
                  .build();
  auto job = JobBuilder("loadJob", repository_).start(std::move(step)).build();
  JobExecution& first = run(*job, kParams);
  ASSERT_THAT(first, HasStatus(BatchStatus::FAILED));
  // The same job object again: the reader's failure was one-shot, and open()
  // must rewind it to the checkpoint (2), not keep its in-memory position.
  JobExecution& second = run(*job, kParams);
  ASSERT_THAT(second, HasStatus(BatchStatus::COMPLETED));
  EXPECT_EQ(second.step_executions.at(0)->execution_context.get_long(raw->key()), 5);
  EXPECT_EQ(RecordingItemWriter<int>::flatten(written), numbers(5));
}

TEST_F(RestartTest, CompletedStepsAreSkippedOnRestart) {
  bool fail_second = true;
  bool never = false;
  int first_runs = 0, second_runs = 0;
  auto job = JobBuilder("twoSteps", repository_)
                 .start(flaky_step("first", &never, &first_runs))
                 .next(flaky_step("second", &fail_second, &second_runs))
                 .build();
  JobExecution& failed = run(*job, kParams);
  ASSERT_THAT(failed, HasStatus(BatchStatus::FAILED));
  EXPECT_THAT(failed, HasStepExecution("first", HasStatus(BatchStatus::COMPLETED)));
  EXPECT_THAT(failed, HasStepExecution("second", HasStatus(BatchStatus::FAILED)));

  fail_second = false;
  JobExecution& restarted = run(*job, kParams);
  ASSERT_THAT(restarted, HasStatus(BatchStatus::COMPLETED));
  EXPECT_EQ(first_runs, 1) << "the COMPLETED step must not run again";
  EXPECT_EQ(second_runs, 2);
  ASSERT_EQ(restarted.step_executions.size(), 1u);
  EXPECT_EQ(restarted.step_executions[0]->step_name, "second");
}

TEST_F(RestartTest, AllowStartIfCompleteRerunsACompletedStep) {
  bool fail_second = true;
  bool never = false;
  int first_runs = 0, second_runs = 0;
  auto job = JobBuilder("twoSteps", repository_)
                 .start(flaky_step("first", &never, &first_runs, /*allow_start_if_complete=*/true))
                 .next(flaky_step("second", &fail_second, &second_runs))
                 .build();
  ASSERT_THAT(run(*job, kParams), HasStatus(BatchStatus::FAILED));
  fail_second = false;
  JobExecution& restarted = run(*job, kParams);
  ASSERT_THAT(restarted, HasStatus(BatchStatus::COMPLETED));
  EXPECT_EQ(first_runs, 2);
  EXPECT_EQ(restarted.step_executions.size(), 2u);
}

TEST_F(RestartTest, StartLimitExceededFailsTheJob) {
  bool fail = true;
  int runs = 0;
  auto job = JobBuilder("limited", repository_)
                 .start(flaky_step("once", &fail, &runs, false, /*start_limit=*/1))
                 .build();
  ASSERT_THAT(run(*job, kParams), HasStatus(BatchStatus::FAILED));
  fail = false;
  JobExecution& refused = run(*job, kParams);
  EXPECT_THAT(refused, HasStatus(BatchStatus::FAILED));
  EXPECT_THAT(refused, HasExitDescription(HasSubstr("start limit exceeded")));
  EXPECT_THAT(refused, HasExitDescription(HasSubstr("once")));
  EXPECT_EQ(runs, 1) << "the step must not start a second time";
  EXPECT_TRUE(refused.step_executions.empty());
}

TEST_F(RestartTest, StartLimitCountsEveryStart) {
  bool fail = true;
  int runs = 0;
  auto job = JobBuilder("limited", repository_)
                 .start(flaky_step("twice", &fail, &runs, false, /*start_limit=*/2))
                 .build();
  ASSERT_THAT(run(*job, kParams), HasStatus(BatchStatus::FAILED));
  ASSERT_THAT(run(*job, kParams), HasStatus(BatchStatus::FAILED));
  EXPECT_EQ(runs, 2);
  JobExecution& third = run(*job, kParams);
  EXPECT_THAT(third, HasExitDescription(HasSubstr("start limit exceeded")));
  EXPECT_EQ(runs, 2);
}

TEST_F(RestartTest, PreventRestartRefusesASecondExecution) {
  bool fail = true;
  int runs = 0;
  auto job = JobBuilder("oneShot", repository_).start(flaky_step("s", &fail, &runs)).prevent_restart().build();
  EXPECT_FALSE(job->restartable());
  ASSERT_THAT(run(*job, kParams), HasStatus(BatchStatus::FAILED));
  fail = false;
  auto second = launch(*job, kParams);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.error().code(), ErrorCode::NOT_RESTARTABLE);
  EXPECT_THAT(second.error().message(), HasSubstr("not restartable"));
  EXPECT_EQ(runs, 1);
  // Another instance is fine.
  EXPECT_THAT(run(*job, JobParametersBuilder().add_string("date", "2026-01-03").build()),
              HasStatus(BatchStatus::COMPLETED));
}

TEST_F(RestartTest, JobExecutionContextIsCarriedToTheRestart) {
  bool fail = true;
  std::vector<int64_t> attempts_seen;
  auto step = StepBuilder("count", repository_)
                  .tasklet([&](StepContribution&, ChunkContext& context) {
                    ExecutionContext& job_context = context.job_execution()->execution_context;
                    int64_t attempts = job_context.get_long("attempts").value_or(0) + 1;
                    attempts_seen.push_back(attempts);
                    job_context.put_long("attempts", attempts);
                    if (fail) throw std::runtime_error("not yet");
                    return RepeatStatus::FINISHED;
                  })
                  .build();
  auto job = JobBuilder("contextJob", repository_).start(std::move(step)).build();
  ASSERT_THAT(run(*job, kParams), HasStatus(BatchStatus::FAILED));
  fail = false;
  ASSERT_THAT(run(*job, kParams), HasStatus(BatchStatus::COMPLETED));
  EXPECT_THAT(attempts_seen, ElementsAre(1, 2));
}

TEST_F(RestartTest, StepContextOfACompletedStepIsNotCarriedWhenItReruns) {
  // allow_start_if_complete reruns a COMPLETED step from scratch: its
  // reader starts at the beginning again.
  std::vector<std::vector<int>> written;
  bool fail_second = true;
  int second_runs = 0;
  auto job = JobBuilder("rerun", repository_)
                 .start(StepBuilder("load", repository_)
                            .chunk<int>(2)
                            .reader(std::make_unique<RestartableListReader<int>>(numbers(3)))
                            .writer(std::make_unique<RecordingItemWriter<int>>(written))
                            .allow_start_if_complete()
                            .build())
                 .next(flaky_step("check", &fail_second, &second_runs))
                 .build();
  ASSERT_THAT(run(*job, kParams), HasStatus(BatchStatus::FAILED));
  fail_second = false;
  JobExecution& second = run(*job, kParams);
  ASSERT_THAT(second, HasStatus(BatchStatus::COMPLETED));
  EXPECT_THAT(second, HasStepExecution("load", HasCounts(3, 3, 2)));
  EXPECT_EQ(RecordingItemWriter<int>::flatten(written), (std::vector<int>{0, 1, 2, 0, 1, 2}));
}

// Spring Batch's SimpleStepHandler.shouldStart: a step whose last execution
// is ABANDONED is not started again ("step is complete ... or not
// restartable"). (Regression: handle_step skipped only COMPLETED steps.)
TEST_F(RestartTest, AbandonedStepIsNotStartedAgain) {
  bool fail_first = true;
  bool never = false;
  int first_runs = 0, second_runs = 0;
  auto job = JobBuilder("twoSteps", repository_)
                 .start(flaky_step("first", &fail_first, &first_runs))
                 .next(flaky_step("second", &never, &second_runs))
                 .build();
  JobExecution& failed = run(*job, kParams);
  ASSERT_THAT(failed, HasStatus(BatchStatus::FAILED));
  // The operator gives up on the failed step.
  StepExecution& abandoned = *failed.step_executions.at(0);
  abandoned.status = BatchStatus::ABANDONED;
  ASSERT_TRUE(repository_.update(abandoned).ok());

  JobExecution& restarted = run(*job, kParams);
  EXPECT_EQ(first_runs, 1) << "an ABANDONED step must not be started again";
  // As in Spring's SimpleJob, the skipped step's status ends the job.
  EXPECT_EQ(second_runs, 0);
  EXPECT_THAT(restarted, HasStatus(BatchStatus::ABANDONED));
  EXPECT_TRUE(restarted.step_executions.empty());
}

}  // namespace
}  // namespace cppbatch
