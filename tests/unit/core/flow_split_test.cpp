// Splits: flows run in parallel on a task executor; the split's status is
// the most severe of its flows' and the next transition follows it. Runs on
// both repositories with a real thread pool (and under TSan in CI's tsan
// build).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <vector>

#include "cppbatch/core/execution_context_promotion_listener.hpp"
#include "cppbatch/core/flow_job_builder.hpp"
#include "cppbatch/testing/backend_job_test_fixture.hpp"
#include "cppbatch/testing/execution_matchers.hpp"
#include "unit/core/flow_test_steps.hpp"

namespace cppbatch {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;
using testing::HasExitCode;
using testing::HasStatus;
using testing::HasStepExecution;

const JobParameters kParams = JobParametersBuilder().add_string("date", "2026-01-02").build();

class FlowSplitTest : public testing::BackendJobTestFixture {
 protected:
  std::shared_ptr<Step> step(const std::string& name) { return steps_.step(name, repository()); }
  std::shared_ptr<const Flow> chain(const std::string& name, const std::vector<std::string>& step_names) {
    FlowBuilder builder(name);
    builder.start(step(step_names.front()));
    for (size_t i = 1; i < step_names.size(); ++i) builder.next(step(step_names[i]));
    return builder.build();
  }
  ThreadPoolTaskExecutor pool_{3};
  testing::ScriptedSteps steps_;
};

INSTANTIATE_TEST_SUITE_P(Repositories, FlowSplitTest, testing::kEmbeddedBackends, testing::backend_test_name);

TEST_P(FlowSplitTest, AllFlowsRunThenTheNextStep) {
  auto split = FlowBuilder("extracts")
                   .split(pool_)
                   .add(chain("x", {"x1", "x2"}), chain("y", {"y1", "y2"}), chain("z", {"z1"}))
                   .build();
  auto job = FlowJobBuilder("job", repository()).start(split).next(step("merge")).end().build();
  JobExecution& execution = run(*job, kParams);
  EXPECT_THAT(execution, HasStatus(BatchStatus::COMPLETED));
  EXPECT_THAT(execution, HasExitCode("COMPLETED"));
  auto ran = steps_.ran();
  EXPECT_THAT(ran, UnorderedElementsAre("x1", "x2", "y1", "y2", "z1", "merge"));
  EXPECT_EQ(ran.back(), "merge") << "the next step waits for every flow";
  EXPECT_EQ(stored(execution.id)->step_executions.size(), 6u);
}

TEST_P(FlowSplitTest, OneFailingFlowFailsTheSplitAndTheJobAndARestartRerunsOnlyIt) {
  auto split = FlowBuilder("extracts").split(pool_).add(chain("x", {"x1", "x2"}), chain("y", {"y1", "y2"})).build();
  auto job = FlowJobBuilder("job", repository()).start(split).next(step("merge")).end().build();
  steps_.set("y2", "THROW");
  JobExecution& failed = run(*job, kParams);
  EXPECT_THAT(failed, HasStatus(BatchStatus::FAILED));
  EXPECT_THAT(failed, HasExitCode("FAILED"));
  EXPECT_THAT(failed, HasStepExecution("x2", HasStatus(BatchStatus::COMPLETED)));
  EXPECT_THAT(failed, HasStepExecution("y2", HasStatus(BatchStatus::FAILED)));
  EXPECT_THAT(steps_.ran(), UnorderedElementsAre("x1", "x2", "y1", "y2"));

  steps_.set("y2", "COMPLETED");
  steps_.clear_ran();
  JobExecution& restarted = run(*job, kParams);
  EXPECT_THAT(restarted, HasStatus(BatchStatus::COMPLETED));
  EXPECT_THAT(steps_.ran(), ElementsAre("y2", "merge"));
}

TEST_P(FlowSplitTest, TheTransitionAfterASplitFollowsTheAggregate) {
  auto split = FlowBuilder("extracts").split(pool_).add(chain("x", {"x1"}), chain("y", {"y1"})).build();
  auto job = FlowJobBuilder("job", repository())
                 .start(split).on("FAILED").to(step("cleanup"))
                 .from(split).on("*").to(step("merge"))
                 .end()
                 .build();
  steps_.set("x1", "THROW");
  JobExecution& execution = run(*job, kParams);
  // As in Spring: the job ends COMPLETED through cleanup, and its exit code
  // keeps the most severe end reached — the failed flow's FAILED.
  EXPECT_THAT(execution, HasStatus(BatchStatus::COMPLETED));
  EXPECT_THAT(execution, HasExitCode("FAILED"));
  EXPECT_THAT(execution, HasStepExecution("cleanup", HasStatus(BatchStatus::COMPLETED)));
  auto ran = steps_.ran();
  EXPECT_EQ(ran.back(), "cleanup");
  EXPECT_THAT(ran, UnorderedElementsAre("x1", "y1", "cleanup"));
}

TEST_P(FlowSplitTest, AStoppedFlowStopsTheJob) {
  auto split = FlowBuilder("extracts").split(pool_).add(chain("x", {"x1", "x2"}), chain("y", {"y1"})).build();
  auto job = FlowJobBuilder("job", repository()).start(split).next(step("merge")).end().build();
  steps_.set("x1", "STOP");
  JobExecution& stopped = run(*job, kParams);
  EXPECT_THAT(stopped, HasStatus(BatchStatus::STOPPED));
  EXPECT_THAT(stopped, HasExitCode("STOPPED"));
  steps_.set("x1", "COMPLETED");
  steps_.clear_ran();
  EXPECT_THAT(run(*job, kParams), HasStatus(BatchStatus::COMPLETED));
  auto ran = steps_.ran();
  EXPECT_THAT(ran, ElementsAre("x1", "x2", "merge"));
}

TEST_P(FlowSplitTest, ParallelStepsPromoteIntoOneJobContext) {
  auto promote = std::make_shared<ExecutionContextPromotionListener>(std::vector<std::string>{"count"});
  auto counting = [&](const std::string& name, int64_t count) {
    auto s = StepBuilder(name, repository())
                 .tasklet([count](StepContribution&, ChunkContext& context) {
                   context.step_execution().execution_context.put_long("count", count);
                   context.step_execution().execution_context.put_long("private", count);
                   return RepeatStatus::FINISHED;
                 })
                 .listener(std::make_shared<ExecutionContextPromotionListener>(
                     std::vector<std::string>{name + ".total"}))
                 .build();
    return std::shared_ptr<Step>(std::move(s));
  };
  std::atomic<int64_t> seen{-1};
  auto report = StepBuilder("report", repository())
                    .tasklet([&](StepContribution&, ChunkContext& context) {
                      std::lock_guard lock(context.job_execution()->mutex);
                      seen = context.job_execution()->execution_context.get_long("count").value_or(0);
                      return RepeatStatus::FINISHED;
                    })
                    .build();
  auto one = StepBuilder("one", repository())
                 .tasklet([](StepContribution&, ChunkContext& context) {
                   context.step_execution().execution_context.put_long("count", 7);
                   return RepeatStatus::FINISHED;
                 })
                 .listener(promote)
                 .build();
  auto x = FlowBuilder("x").start(std::shared_ptr<Step>(std::move(one))).next(counting("x2", 1)).build();
  auto y = FlowBuilder("y").start(counting("y1", 2)).next(counting("y2", 3)).build();
  auto split = FlowBuilder("s").split(pool_).add(x, y).build();
  auto job = FlowJobBuilder("job", repository())
                 .start(split)
                 .next(std::shared_ptr<Step>(std::move(report)))
                 .end()
                 .build();
  JobExecution& execution = run(*job, kParams);
  EXPECT_THAT(execution, HasStatus(BatchStatus::COMPLETED));
  EXPECT_EQ(seen.load(), 7);
  EXPECT_EQ(stored(execution.id)->execution_context.get_long("count"), 7);
  EXPECT_FALSE(stored(execution.id)->execution_context.contains("private"));
}

}  // namespace
}  // namespace cppbatch
