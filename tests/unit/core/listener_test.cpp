// Job, step and chunk listeners: call order (Spring's: before callbacks in
// registration order, after callbacks in reverse), what they see, and the
// exit status an after_step listener may return.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <stdexcept>

#include "cppbatch/core/job_builder.hpp"
#include "cppbatch/core/step_builder.hpp"
#include "cppbatch/testing/event_log.hpp"
#include "cppbatch/testing/execution_matchers.hpp"
#include "cppbatch/testing/job_test_fixture.hpp"
#include "cppbatch/testing/restartable_list_reader.hpp"
#include "cppbatch/testing/recording_item_writer.hpp"
#include "cppbatch/testing/recording_item_stream.hpp"
#include "cppbatch/testing/recording_listener.hpp"

namespace cppbatch {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::EventLog;
using testing::HasExitCode;
using testing::HasExitDescription;
using testing::HasStatus;
using testing::HasStepExecution;
using testing::RecordingListener;

class ListenerTest : public testing::JobTestFixture {
 protected:
  std::unique_ptr<Step> tasklet_step(const std::string& name, bool fail = false) {
    return StepBuilder(name, repository_)
        .tasklet([this, name, fail](StepContribution&, ChunkContext&) -> RepeatStatus {
          log_.add("execute:" + name);
          if (fail) throw std::runtime_error("step " + name + " failed");
          return RepeatStatus::FINISHED;
        })
        .listener(std::make_shared<RecordingListener>(log_))
        .build();
  }
  EventLog log_;
};

TEST_F(ListenerTest, FullOrderForAChunkStep) {
  auto listener = std::make_shared<RecordingListener>(log_);
  auto stream = std::make_shared<testing::RecordingItemStream>(log_, "s");
  std::vector<std::vector<int>> written;
  auto step = StepBuilder("load", repository_)
                  .chunk<int>(2)
                  .reader(std::make_unique<testing::RestartableListReader<int>>(std::vector<int>{1, 2, 3}))
                  .writer(std::make_unique<testing::RecordingItemWriter<int>>(written))
                  .stream(stream)
                  .listener(listener)
                  .build();
  auto job = JobBuilder("job", repository_).start(std::move(step)).listener(listener).build();
  ASSERT_THAT(run(*job), HasStatus(BatchStatus::COMPLETED));
  EXPECT_THAT(log_.events(), ElementsAre("before_job", "before_step:load", "open:s:none", "update:s:1",  //
                                         "before_chunk", "update:s:2", "after_chunk",                   //
                                         "before_chunk", "update:s:3", "after_chunk",                   //
                                         "after_step:load:COMPLETED", "close:s", "after_job:COMPLETED"));
}

TEST_F(ListenerTest, StepsRunInOrderBetweenJobCallbacks) {
  auto job = JobBuilder("job", repository_)
                 .start(tasklet_step("a"))
                 .next(tasklet_step("b"))
                 .listener(std::make_shared<RecordingListener>(log_, "job"))
                 .build();
  ASSERT_THAT(run(*job), HasStatus(BatchStatus::COMPLETED));
  EXPECT_THAT(log_.events(),
              ElementsAre("job:before_job", "before_step:a", "before_chunk", "execute:a", "after_chunk",
                          "after_step:a:COMPLETED", "before_step:b", "before_chunk", "execute:b", "after_chunk",
                          "after_step:b:COMPLETED", "job:after_job:COMPLETED"));
}

TEST_F(ListenerTest, AfterCallbacksRunInReverseRegistrationOrder) {
  auto step = StepBuilder("s", repository_)
                  .tasklet([](StepContribution&, ChunkContext&) { return RepeatStatus::FINISHED; })
                  .listener(std::make_shared<RecordingListener>(log_, "1"))
                  .listener(std::make_shared<RecordingListener>(log_, "2"))
                  .build();
  auto job = JobBuilder("job", repository_)
                 .start(std::move(step))
                 .listener(std::make_shared<RecordingListener>(log_, "A"))
                 .listener(std::make_shared<RecordingListener>(log_, "B"))
                 .build();
  ASSERT_THAT(run(*job), HasStatus(BatchStatus::COMPLETED));
  std::vector<std::string> job_and_step;
  for (const auto& e : log_.events()) {
    if (e.find("chunk") == std::string::npos) job_and_step.push_back(e);
  }
  EXPECT_THAT(job_and_step, ElementsAre("A:before_job", "B:before_job", "1:before_step:s", "2:before_step:s",
                                        "2:after_step:s:COMPLETED", "1:after_step:s:COMPLETED",
                                        "B:after_job:COMPLETED", "A:after_job:COMPLETED"));
}

TEST_F(ListenerTest, AfterCallbacksSeeTheFailure) {
  auto job = JobBuilder("job", repository_)
                 .start(tasklet_step("boom", /*fail=*/true))
                 .next(tasklet_step("never"))
                 .listener(std::make_shared<RecordingListener>(log_, "job"))
                 .build();
  ASSERT_THAT(run(*job), HasStatus(BatchStatus::FAILED));
  EXPECT_THAT(log_.events(),
              ElementsAre("job:before_job", "before_step:boom", "before_chunk", "execute:boom",
                          "after_chunk_error:step boom failed", "after_step:boom:FAILED", "job:after_job:FAILED"));
}

TEST_F(ListenerTest, AfterStepExitStatusIsCombinedWithTheStepsOwn) {
  auto skips = std::make_shared<RecordingListener>(log_);
  skips->set_after_step_exit_status(ExitStatus("COMPLETED WITH SKIPS", "2 records skipped"));
  auto step = StepBuilder("load", repository_)
                  .tasklet([](StepContribution&, ChunkContext&) { return RepeatStatus::FINISHED; })
                  .listener(skips)
                  .build();
  auto job = JobBuilder("job", repository_).start(std::move(step)).build();
  JobExecution& execution = run(*job);
  EXPECT_THAT(execution, HasStatus(BatchStatus::COMPLETED));
  EXPECT_THAT(execution, HasStepExecution("load", HasExitCode("COMPLETED WITH SKIPS")));
  EXPECT_THAT(*execution.step_executions.at(0), HasExitDescription("2 records skipped"));
  EXPECT_THAT(execution, HasExitCode("COMPLETED WITH SKIPS")) << "the job's exit status is its last step's";
  auto saved = stored(execution.id);
  EXPECT_THAT(*saved, HasExitCode("COMPLETED WITH SKIPS"));
  EXPECT_THAT(*saved->step_executions.at(0), HasExitCode("COMPLETED WITH SKIPS"));
}

TEST_F(ListenerTest, AfterStepCannotHideAFailure) {
  auto optimist = std::make_shared<RecordingListener>(log_);
  optimist->set_after_step_exit_status(ExitStatus::completed());
  auto step = StepBuilder("s", repository_)
                  .tasklet([](StepContribution&, ChunkContext&) -> RepeatStatus { throw std::runtime_error("x"); })
                  .listener(optimist)
                  .build();
  auto job = JobBuilder("job", repository_).start(std::move(step)).build();
  JobExecution& execution = run(*job);
  EXPECT_THAT(execution, HasStatus(BatchStatus::FAILED));
  EXPECT_THAT(execution, HasExitCode("FAILED"));
}

struct ThrowingStepListener : StepExecutionListener {
  std::optional<ExitStatus> after_step(StepExecution&) override { throw std::runtime_error("listener broke"); }
};

TEST_F(ListenerTest, AfterStepThrowingFailsTheStep) {
  auto step = StepBuilder("s", repository_)
                  .tasklet([](StepContribution&, ChunkContext&) { return RepeatStatus::FINISHED; })
                  .listener(std::make_shared<ThrowingStepListener>())
                  .build();
  auto job = JobBuilder("job", repository_).start(std::move(step)).build();
  JobExecution& execution = run(*job);
  EXPECT_THAT(execution, HasStatus(BatchStatus::FAILED));
  EXPECT_THAT(execution, HasStepExecution("s", HasExitDescription(HasSubstr("listener broke"))));
}

struct ThrowingBeforeStep : StepExecutionListener {
  void before_step(StepExecution&) override { throw std::runtime_error("not today"); }
};

TEST_F(ListenerTest, BeforeStepThrowingFailsTheStepWithoutRunningIt) {
  bool ran = false;
  auto step = StepBuilder("s", repository_)
                  .tasklet([&](StepContribution&, ChunkContext&) {
                    ran = true;
                    return RepeatStatus::FINISHED;
                  })
                  .listener(std::make_shared<ThrowingBeforeStep>())
                  .build();
  auto job = JobBuilder("job", repository_).start(std::move(step)).build();
  JobExecution& execution = run(*job);
  EXPECT_FALSE(ran);
  EXPECT_THAT(execution, HasStatus(BatchStatus::FAILED));
  EXPECT_THAT(execution, HasExitDescription(HasSubstr("not today")));
}

struct ThrowingJobListener : JobExecutionListener {
  void after_job(JobExecution&) override { throw std::runtime_error("report mail failed"); }
};

TEST_F(ListenerTest, AfterJobThrowingFailsTheJob) {
  auto job = JobBuilder("job", repository_)
                 .start(tasklet_step("s"))
                 .listener(std::make_shared<ThrowingJobListener>())
                 .build();
  JobExecution& execution = run(*job);
  EXPECT_THAT(execution, HasStatus(BatchStatus::FAILED));
  EXPECT_THAT(execution, HasExitDescription(HasSubstr("report mail failed")));
  EXPECT_THAT(*stored(execution.id), HasStatus(BatchStatus::FAILED));
}

struct ExitRewritingJobListener : JobExecutionListener {
  void after_job(JobExecution& execution) override {
    if (execution.status == BatchStatus::COMPLETED) execution.exit_status = ExitStatus("COMPLETED_AND_MAILED");
  }
};

TEST_F(ListenerTest, AfterJobMayChangeTheExitStatus) {
  auto job = JobBuilder("job", repository_)
                 .start(tasklet_step("s"))
                 .listener(std::make_shared<ExitRewritingJobListener>())
                 .build();
  JobExecution& execution = run(*job);
  EXPECT_THAT(execution, HasExitCode("COMPLETED_AND_MAILED"));
  EXPECT_THAT(*stored(execution.id), HasExitCode("COMPLETED_AND_MAILED"));
}

}  // namespace
}  // namespace cppbatch
