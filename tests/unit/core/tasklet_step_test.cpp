// TaskletStep: the tasklet runs repeatedly, one transaction (and one
// commit) per call, until it returns FINISHED; a throw rolls the call back
// and fails the step.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <stdexcept>

#include "cppbatch/core/job_builder.hpp"
#include "cppbatch/core/job_interrupted_exception.hpp"
#include "cppbatch/core/step_builder.hpp"
#include "cppbatch/testing/event_log.hpp"
#include "cppbatch/testing/execution_matchers.hpp"
#include "cppbatch/testing/job_test_fixture.hpp"
#include "cppbatch/testing/recording_item_stream.hpp"

namespace cppbatch {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::HasCounts;
using testing::HasExitCode;
using testing::HasExitDescription;
using testing::HasStatus;
using testing::HasStepExecution;

class TaskletStepTest : public testing::JobTestFixture {
 protected:
  template <class F>
  std::unique_ptr<Job> job_with(F tasklet) {
    return JobBuilder("taskletJob", repository_)
        .start(StepBuilder("work", repository_).tasklet(std::move(tasklet)).build())
        .build();
  }
};

TEST_F(TaskletStepTest, RepeatsUntilFinishedWithOneCommitPerCall) {
  int calls = 0;
  auto job = job_with([&](StepContribution&, ChunkContext&) {
    ++calls;
    return calls < 3 ? RepeatStatus::CONTINUABLE : RepeatStatus::FINISHED;
  });
  JobExecution& execution = run(*job);
  EXPECT_EQ(calls, 3);
  EXPECT_THAT(execution, HasStatus(BatchStatus::COMPLETED));
  EXPECT_THAT(execution, HasExitCode("COMPLETED"));
  ASSERT_EQ(execution.step_executions.size(), 1u);
  const StepExecution& step = *execution.step_executions[0];
  EXPECT_THAT(step, HasStatus(BatchStatus::COMPLETED));
  EXPECT_THAT(step, HasExitCode("COMPLETED"));
  EXPECT_THAT(step, HasCounts({.read = 0, .write = 0, .commit = 3, .rollback = 0}));
}

TEST_F(TaskletStepTest, FinishedOnFirstCallCommitsOnce) {
  auto job = job_with([](StepContribution&, ChunkContext&) { return RepeatStatus::FINISHED; });
  JobExecution& execution = run(*job);
  EXPECT_THAT(execution, HasStepExecution("work", HasCounts({.commit = 1, .rollback = 0})));
}

TEST_F(TaskletStepTest, ContributionCountsAreApplied) {
  int calls = 0;
  auto job = job_with([&](StepContribution& contribution, ChunkContext&) {
    contribution.increment_read_count(10);
    contribution.increment_write_count(7);
    contribution.increment_filter_count(3);
    return ++calls < 2 ? RepeatStatus::CONTINUABLE : RepeatStatus::FINISHED;
  });
  JobExecution& execution = run(*job);
  EXPECT_THAT(execution, HasStepExecution("work", HasCounts({.read = 20, .write = 14, .commit = 2, .filter = 6})));
}

TEST_F(TaskletStepTest, SeesJobParametersAndExecutionsThroughTheChunkContext) {
  std::optional<std::string> seen_date;
  std::string seen_step;
  int64_t seen_job_id = -1;
  auto job = job_with([&](StepContribution&, ChunkContext& context) {
    seen_date = context.job_parameters().get_string("date");
    seen_step = context.step_execution().step_name;
    seen_job_id = context.job_execution() ? context.job_execution()->id : 0;
    return RepeatStatus::FINISHED;
  });
  JobExecution& execution = run(*job, JobParametersBuilder().add_string("date", "2026-01-02").build());
  EXPECT_EQ(seen_date, "2026-01-02");
  EXPECT_EQ(seen_step, "work");
  EXPECT_EQ(seen_job_id, execution.id);
}

TEST_F(TaskletStepTest, ThrowRollsBackTheCallAndFailsStepAndJob) {
  int calls = 0;
  auto job = job_with([&](StepContribution& contribution, ChunkContext&) -> RepeatStatus {
    ++calls;
    contribution.increment_read_count(5);
    if (calls == 3) throw std::runtime_error("ledger locked");
    return RepeatStatus::CONTINUABLE;
  });
  JobExecution& execution = run(*job);
  EXPECT_EQ(calls, 3);
  EXPECT_THAT(execution, HasStatus(BatchStatus::FAILED));
  EXPECT_THAT(execution, HasExitCode("FAILED"));
  EXPECT_THAT(execution, HasExitDescription(HasSubstr("ledger locked")));
  const StepExecution& step = *execution.step_executions.at(0);
  EXPECT_THAT(step, HasStatus(BatchStatus::FAILED));
  EXPECT_THAT(step, HasExitDescription(HasSubstr("ledger locked")));
  // The failed call's 5 reads were rolled back with it.
  EXPECT_THAT(step, HasCounts({.read = 10, .commit = 2, .rollback = 1}));
  EXPECT_THAT(step.failures, ElementsAre(HasSubstr("ledger locked")));
}

struct LedgerError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

TEST_F(TaskletStepTest, ExitDescriptionNamesACustomExceptionType) {
  auto job = job_with([](StepContribution&, ChunkContext&) -> RepeatStatus { throw LedgerError("no ledger"); });
  JobExecution& execution = run(*job);
  EXPECT_THAT(execution, HasStepExecution("work", HasExitDescription(AllOf(HasSubstr("LedgerError"),
                                                                           HasSubstr("no ledger")))));
}

TEST_F(TaskletStepTest, NonStandardExceptionFailsTheStep) {
  auto job = job_with([](StepContribution&, ChunkContext&) -> RepeatStatus { throw 42; });
  JobExecution& execution = run(*job);
  EXPECT_THAT(execution, HasStatus(BatchStatus::FAILED));
  EXPECT_THAT(execution, HasStepExecution("work", HasCounts({.commit = 0, .rollback = 1})));
  EXPECT_THAT(*execution.step_executions.at(0), HasExitDescription(HasSubstr("unknown exception")));
}

TEST_F(TaskletStepTest, JobInterruptedExceptionStopsTheStep) {
  auto job = job_with([](StepContribution&, ChunkContext&) -> RepeatStatus {
    throw JobInterruptedException("operator asked");
  });
  JobExecution& execution = run(*job);
  EXPECT_THAT(execution, HasStatus(BatchStatus::STOPPED));
  EXPECT_THAT(execution, HasExitCode("STOPPED"));
  EXPECT_THAT(execution, HasStepExecution("work", HasStatus(BatchStatus::STOPPED)));
  EXPECT_THAT(*execution.step_executions.at(0), HasExitCode("STOPPED"));
}

TEST_F(TaskletStepTest, CustomExitStatusFromTheContribution) {
  auto job = job_with([](StepContribution& contribution, ChunkContext&) {
    contribution.set_exit_status(ExitStatus("COMPLETED WITH NOTES", "3 notes"));
    return RepeatStatus::FINISHED;
  });
  JobExecution& execution = run(*job);
  EXPECT_THAT(execution, HasStatus(BatchStatus::COMPLETED));
  EXPECT_THAT(execution, HasExitCode("COMPLETED WITH NOTES"));
  EXPECT_THAT(*execution.step_executions.at(0), HasExitDescription("3 notes"));
}

TEST_F(TaskletStepTest, StoredStateEqualsTheReturnedState) {
  int calls = 0;
  auto job = job_with([&](StepContribution& contribution, ChunkContext&) {
    contribution.increment_write_count();
    return ++calls < 4 ? RepeatStatus::CONTINUABLE : RepeatStatus::FINISHED;
  });
  JobExecution& execution = run(*job);
  auto stored_execution = stored(execution.id);
  EXPECT_THAT(*stored_execution, HasStatus(BatchStatus::COMPLETED));
  EXPECT_THAT(*stored_execution, HasExitCode("COMPLETED"));
  EXPECT_TRUE(stored_execution->start_time && stored_execution->end_time);
  ASSERT_EQ(stored_execution->step_executions.size(), 1u);
  const StepExecution& step = *stored_execution->step_executions[0];
  EXPECT_THAT(step, HasStatus(BatchStatus::COMPLETED));
  EXPECT_THAT(step, HasCounts({.write = 4, .commit = 4, .rollback = 0}));
  EXPECT_TRUE(step.start_time && step.end_time);
  // Stored at the SQL backends' precision (microseconds).
  EXPECT_EQ(std::chrono::floor<std::chrono::microseconds>(*step.start_time),
            std::chrono::floor<std::chrono::microseconds>(*execution.step_executions[0]->start_time));
}

// A tasklet that is also an ItemStream is opened, updated per call and
// closed by its step.
class StreamingTasklet final : public Tasklet, public testing::RecordingItemStream {
 public:
  explicit StreamingTasklet(testing::EventLog& log) : RecordingItemStream(log, "tasklet"), log_(log) {}
  RepeatStatus execute(StepContribution&, ChunkContext&) override {
    log_.add("execute");
    return ++calls_ < 2 ? RepeatStatus::CONTINUABLE : RepeatStatus::FINISHED;
  }

 private:
  testing::EventLog& log_;
  int calls_ = 0;
};

TEST_F(TaskletStepTest, TaskletThatIsAStreamIsOpenedUpdatedAndClosed) {
  testing::EventLog log;
  auto job = JobBuilder("taskletJob", repository_)
                 .start(StepBuilder("work", repository_).tasklet(std::make_unique<StreamingTasklet>(log)).build())
                 .build();
  JobExecution& execution = run(*job);
  EXPECT_THAT(execution, HasStatus(BatchStatus::COMPLETED));
  EXPECT_THAT(log.events(), ElementsAre("open:tasklet:none", "update:tasklet:1", "execute", "update:tasklet:2",
                                        "execute", "update:tasklet:3", "close:tasklet"));
  EXPECT_EQ(execution.step_executions.at(0)->execution_context.get_long("tasklet.updates"), 3);
}

// A chunk is one transaction (DESIGN.md contract 1): what a rolled-back
// call put into the step's ExecutionContext must not become the checkpoint.
// Spring's TaskletStep copies the StepExecution (version, counts and
// ExecutionContext) before each chunk and restores it on rollback.
// (Regression: the context was restored only when the failure came after
// the streams' update(), so a tasklet's own put before a throw was stored
// by the step's final update_execution_context() and a restart resumed
// from a checkpoint that was never committed.)
TEST_F(TaskletStepTest, RolledBackCallDoesNotChangeTheCheckpoint) {
  int calls = 0;
  auto job = job_with([&](StepContribution&, ChunkContext& context) -> RepeatStatus {
    ++calls;
    context.step_execution().execution_context.put_long("progress", calls);
    if (calls == 3) throw std::runtime_error("failed after recording progress");
    return RepeatStatus::CONTINUABLE;
  });
  JobExecution& execution = run(*job);
  ASSERT_THAT(execution, HasStatus(BatchStatus::FAILED));
  EXPECT_THAT(*execution.step_executions.at(0), HasCounts({.commit = 2, .rollback = 1}));
  auto saved = stored(execution.id);
  EXPECT_EQ(saved->step_executions.at(0)->execution_context.get_long("progress"), 2)
      << "the checkpoint must be the last committed call's";
  EXPECT_EQ(execution.step_executions.at(0)->execution_context.get_long("progress"), 2);
}

TEST_F(TaskletStepTest, TimesComeFromTheRepositorysClockByDefault) {
  auto job = job_with([](StepContribution&, ChunkContext&) { return RepeatStatus::FINISHED; });
  JobExecution& execution = run(*job);
  EXPECT_EQ(execution.start_time, clock_.now());
  EXPECT_EQ(execution.end_time, clock_.now());
  EXPECT_EQ(execution.step_executions.at(0)->start_time, clock_.now());
  EXPECT_EQ(execution.step_executions.at(0)->end_time, clock_.now());
}

TEST(TaskletStepBuildTest, NullTaskletIsRefused) {
  testing::ManualClock clock;
  InMemoryJobRepository repository(LeaseOptions{}, clock);
  EXPECT_THROW(StepBuilder("work", repository).tasklet(std::unique_ptr<Tasklet>()).build(), std::invalid_argument);
}

}  // namespace
}  // namespace cppbatch
