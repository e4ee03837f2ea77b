// Stop: a stop request (JobOperator::stop, or STOPPING written to the
// repository by any process) is noticed at the next chunk boundary; the
// step ends STOPPED after committing that chunk, the job ends STOPPED, and
// a restart resumes where it stopped.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <numeric>
#include <vector>

#include "cppbatch/core/job_builder.hpp"
#include "cppbatch/core/job_operator.hpp"
#include "cppbatch/core/step_builder.hpp"
#include "cppbatch/testing/execution_matchers.hpp"
#include "cppbatch/testing/job_test_fixture.hpp"
#include "cppbatch/testing/restartable_list_reader.hpp"
#include "cppbatch/testing/recording_item_writer.hpp"

namespace cppbatch {
namespace {

using ::testing::ElementsAre;
using testing::HasCounts;
using testing::HasExitCode;
using testing::HasStatus;
using testing::HasStepExecution;
using testing::RestartableListReader;
using testing::RecordingItemWriter;

const JobParameters kParams = JobParametersBuilder().add_string("date", "2026-01-02").build();

class StopTest : public testing::JobTestFixture {
 protected:
  JobExecution& wait(Result<JobExecutionHandle>&& handle) {
    if (!handle.ok()) {
      ADD_FAILURE() << handle.error().to_string();
      static JobExecution none;
      return none;
    }
    handles_.push_back(std::move(handle).value());
    return handles_.back().wait();
  }
  std::vector<JobExecutionHandle> handles_;
};

TEST_F(StopTest, TaskletCallingJobOperatorStopEndsTheStepAtTheChunkBoundary) {
  JobRegistry registry;
  JobOperator op(registry, repository_);
  int calls = 0;
  bool stop_on_first_call = true;
  int report_runs = 0;
  ASSERT_TRUE(registry
                  .add("stoppable",
                       [&](JobRepository& repo) {
                         auto work = StepBuilder("work", repo)
                                         .tasklet([&](StepContribution&, ChunkContext& context) {
                                           ++calls;
                                           if (stop_on_first_call && calls == 1) {
                                             auto stopped = op.stop(context.job_execution()->id);
                                             EXPECT_TRUE(stopped.ok()) << stopped.error().to_string();
                                           }
                                           return calls % 3 == 0 ? RepeatStatus::FINISHED
                                                                 : RepeatStatus::CONTINUABLE;
                                         })
                                         .build();
                         auto report = StepBuilder("report", repo)
                                           .tasklet([&](StepContribution&, ChunkContext&) {
                                             ++report_runs;
                                             return RepeatStatus::FINISHED;
                                           })
                                           .build();
                         return JobBuilder("stoppable", repo).start(std::move(work)).next(std::move(report)).build();
                       })
                  .ok());

  JobExecution& stopped = wait(op.start("stoppable", kParams));
  EXPECT_EQ(calls, 1) << "the step ends at the first chunk boundary after the request";
  EXPECT_EQ(report_runs, 0) << "no step starts after a stop";
  EXPECT_THAT(stopped, HasStatus(BatchStatus::STOPPED));
  EXPECT_THAT(stopped, HasExitCode("STOPPED"));
  EXPECT_THAT(stopped, HasStepExecution("work", HasStatus(BatchStatus::STOPPED)));
  EXPECT_THAT(stopped, HasStepExecution("work", HasExitCode("STOPPED")));
  EXPECT_THAT(stopped, HasStepExecution("work", HasCounts({.commit = 1, .rollback = 0})))
      << "the chunk during which the stop arrived commits";
  auto saved = stored(stopped.id);
  EXPECT_THAT(*saved, HasStatus(BatchStatus::STOPPED));
  EXPECT_THAT(*saved->step_executions.at(0), HasStatus(BatchStatus::STOPPED));

  stop_on_first_call = false;
  JobExecution& restarted = wait(op.restart(stopped.id));
  EXPECT_THAT(restarted, HasStatus(BatchStatus::COMPLETED));
  EXPECT_EQ(calls, 3);
  EXPECT_EQ(report_runs, 1);
  EXPECT_THAT(restarted, HasStepExecution("work", HasCounts({.commit = 2})));
  EXPECT_EQ(restarted.job_instance.id, stopped.job_instance.id);
}

TEST_F(StopTest, StoppingWrittenToTheRepositoryStopsAChunkStepAndRestartResumes) {
  std::vector<std::vector<int>> written;
  std::vector<int> items(10);
  std::iota(items.begin(), items.end(), 0);
  int writes = 0;
  bool stop_enabled = true;
  auto make_job = [&] {
    auto step = StepBuilder("copy", repository_)
                    .chunk<int>(2)
                    .reader(std::make_unique<RestartableListReader<int>>(items))
                    .writer([&](const Chunk<int>& chunk) {
                      written.push_back(chunk.items());
                      if (stop_enabled && ++writes == 2) {
                        // What another process's `cppbatch stop` does: write STOPPING.
                        auto running = repository_.running_job_executions("copyJob");
                        ASSERT_TRUE(running.ok());
                        ASSERT_EQ(running->size(), 1u);
                        JobExecution& execution = *running->front();
                        execution.status = BatchStatus::STOPPING;
                        ASSERT_TRUE(repository_.update(execution).ok());
                      }
                    })
                    .build();
    return JobBuilder("copyJob", repository_).start(std::move(step)).build();
  };

  auto first_job = make_job();
  JobExecution& stopped = run(*first_job, kParams);
  EXPECT_THAT(stopped, HasStatus(BatchStatus::STOPPED));
  EXPECT_THAT(stopped, HasStepExecution("copy", HasStatus(BatchStatus::STOPPED)));
  EXPECT_THAT(stopped, HasStepExecution("copy", HasCounts({.read = 4, .write = 4, .commit = 2, .rollback = 0})));

  stop_enabled = false;
  auto second_job = make_job();
  JobExecution& restarted = run(*second_job, kParams);
  EXPECT_THAT(restarted, HasStatus(BatchStatus::COMPLETED));
  // Items 4..9 in chunks of 2, plus the empty end-of-input chunk.
  EXPECT_THAT(restarted, HasStepExecution("copy", HasCounts({.read = 6, .write = 6, .commit = 4, .rollback = 0})));
  EXPECT_EQ(RecordingItemWriter<int>::flatten(written), items);
}

TEST_F(StopTest, ExecutionStoppedBeforeItStartsDoesNotRun) {
  bool ran = false;
  auto job = JobBuilder("late", repository_)
                 .start(StepBuilder("s", repository_)
                            .tasklet([&](StepContribution&, ChunkContext&) {
                              ran = true;
                              return RepeatStatus::FINISHED;
                            })
                            .build())
                 .build();
  auto created = repository_.create_job_execution("late", kParams);
  ASSERT_TRUE(created.ok());
  JobExecution& execution = *created.value();
  execution.status = BatchStatus::STOPPING;
  ASSERT_TRUE(repository_.update(execution).ok());
  job->execute(execution);
  EXPECT_FALSE(ran);
  EXPECT_THAT(execution, HasStatus(BatchStatus::STOPPED));
  EXPECT_THAT(*stored(execution.id), HasStatus(BatchStatus::STOPPED));
}

TEST_F(StopTest, StoppedStepRestartsEvenThoughItsChunkCompleted) {
  // A tasklet that finishes in the very call during which the stop arrives:
  // the step still ends STOPPED (Spring checks terminate-only after the
  // work), so the restart runs it again.
  JobRegistry registry;
  JobOperator op(registry, repository_);
  int calls = 0;
  ASSERT_TRUE(registry
                  .add("once",
                       [&](JobRepository& repo) {
                         return JobBuilder("once", repo)
                             .start(StepBuilder("s", repo)
                                        .tasklet([&](StepContribution&, ChunkContext& context) {
                                          if (++calls == 1) {
                                            EXPECT_TRUE(op.stop(context.job_execution()->id).ok());
                                          }
                                          return RepeatStatus::FINISHED;
                                        })
                                        .build())
                             .build();
                       })
                  .ok());
  JobExecution& stopped = wait(op.start("once", kParams));
  EXPECT_THAT(stopped, HasStatus(BatchStatus::STOPPED));
  JobExecution& restarted = wait(op.restart(stopped.id));
  EXPECT_THAT(restarted, HasStatus(BatchStatus::COMPLETED));
  EXPECT_EQ(calls, 2);
  EXPECT_THAT(restarted.step_executions, ElementsAre(::testing::Pointee(HasStatus(BatchStatus::COMPLETED))));
}

// A stop that arrives while a step is finishing (after its last chunk
// committed, e.g. during its after_step listeners) must keep the next step
// from starting. Spring: JobRepository.update(StepExecution) synchronizes
// the parent JobExecution's status, so SimpleStepHandler.handleStep sees
// isStopping() before the next step. (Regression: the next step ran a whole
// chunk — for a one-call tasklet, all its work — before stopping, and the
// restart ran it again.)
TEST_F(StopTest, StopArrivingAsAStepEndsKeepsTheNextStepFromStarting) {
  JobRegistry registry;
  JobOperator op(registry, repository_);
  int second_runs = 0;
  struct StopOnAfterStep : StepExecutionListener {
    explicit StopOnAfterStep(JobOperator& o) : op(o) {}
    std::optional<ExitStatus> after_step(StepExecution& step) override {
      auto stopped = op.stop(step.job_execution_id);
      EXPECT_TRUE(stopped.ok()) << stopped.error().to_string();
      return std::nullopt;
    }
    JobOperator& op;
  };
  auto first = StepBuilder("first", repository_)
                   .tasklet([](StepContribution&, ChunkContext&) { return RepeatStatus::FINISHED; })
                   .listener(std::make_shared<StopOnAfterStep>(op))
                   .build();
  auto second = StepBuilder("second", repository_)
                    .tasklet([&](StepContribution&, ChunkContext&) {
                      ++second_runs;  // e.g. "send the settlement e-mails"
                      return RepeatStatus::FINISHED;
                    })
                    .build();
  auto job = JobBuilder("twoSteps", repository_).start(std::move(first)).next(std::move(second)).build();
  JobExecution& execution = run(*job, kParams);
  EXPECT_THAT(execution, HasStatus(BatchStatus::STOPPED));
  EXPECT_EQ(second_runs, 0) << "the step after the stop request must not start";
  EXPECT_EQ(execution.step_executions.size(), 1u);
  // The restart runs only what did not run.
  JobExecution& restarted = run(*job, kParams);
  EXPECT_THAT(restarted, HasStatus(BatchStatus::COMPLETED));
  EXPECT_EQ(second_runs, 1);
}

}  // namespace
}  // namespace cppbatch
