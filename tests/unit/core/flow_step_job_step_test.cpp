// FlowStep (a flow as one step), JobStep (a job as one step) and
// ExecutionContext promotion, with exact statuses, on both repositories.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cppbatch/core/execution_context_promotion_listener.hpp"
#include "cppbatch/core/flow_job_builder.hpp"
#include "cppbatch/core/flow_step.hpp"
#include "cppbatch/core/job_operator.hpp"
#include "cppbatch/core/job_registry.hpp"
#include "cppbatch/core/job_step.hpp"
#include "cppbatch/testing/backend_job_test_fixture.hpp"
#include "cppbatch/testing/execution_matchers.hpp"
#include "unit/core/flow_test_steps.hpp"

namespace cppbatch {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::HasExitCode;
using testing::HasExitDescription;
using testing::HasStatus;
using testing::HasStepExecution;

const JobParameters kParams = JobParametersBuilder().add_string("date", "2026-01-02").build();

class FlowStepJobStepTest : public testing::BackendJobTestFixture {
 protected:
  std::shared_ptr<Step> step(const std::string& name) { return steps_.step(name, repository()); }
  // A tasklet step putting `key`=`value` in its context and promoting the
  // keys listed to the job's context when its exit code matches `statuses`.
  std::shared_ptr<Step> producer(const std::string& name, const std::string& key, int64_t value,
                                 std::vector<std::string> statuses = {"COMPLETED"}, std::string exit_code = "") {
    return StepBuilder(name, repository())
        .tasklet([key, value, exit_code](StepContribution& contribution, ChunkContext& context) {
          context.step_execution().execution_context.put_long(key, value);
          if (!exit_code.empty()) contribution.set_exit_status(ExitStatus(exit_code));
          return RepeatStatus::FINISHED;
        })
        .listener(std::make_shared<ExecutionContextPromotionListener>(std::vector<std::string>{key},
                                                                      std::move(statuses)))
        .build();
  }
  // "parent": p1, then runChild running the job `child` (a JobStep), then p2.
  std::unique_ptr<Job> parent_of(std::shared_ptr<Job> child) {
    return FlowJobBuilder("parent", repository())
        .start(step("p1"))
        .next(StepBuilder("runChild", repository()).job(std::move(child)).build())
        .next(step("p2"))
        .end()
        .build();
  }
  // The last execution of the job "child": COMPLETED, in instance `instance`.
  void expect_child_completed_in(int64_t instance) {
    auto child = repository().last_job_execution("child", kParams);
    ASSERT_TRUE(child.ok());
    ASSERT_NE(child.value(), nullptr);
    EXPECT_EQ(child.value()->job_instance.id, instance);
    EXPECT_THAT(*child.value(), HasStatus(BatchStatus::COMPLETED));
  }
  testing::ScriptedSteps steps_;
};

INSTANTIATE_TEST_SUITE_P(Repositories, FlowStepJobStepTest, testing::kEmbeddedBackends, testing::backend_test_name);

TEST_P(FlowStepJobStepTest, AFlowStepRunsItsFlowAsOneStep) {
  auto inner = FlowBuilder("inner").start(step("a")).next(step("b")).build();
  auto job = FlowJobBuilder("job", repository())
                 .start(StepBuilder("nested", repository()).flow(inner).build())
                 .next(step("after"))
                 .end()
                 .build();
  steps_.set("b", "THROW");
  JobExecution& failed = run(*job, kParams);
  EXPECT_THAT(failed, HasStatus(BatchStatus::FAILED));
  EXPECT_THAT(failed, HasStepExecution("nested", HasStatus(BatchStatus::FAILED)));
  EXPECT_THAT(failed, HasStepExecution("nested", HasExitCode("FAILED")));
  EXPECT_THAT(failed, HasStepExecution("a", HasStatus(BatchStatus::COMPLETED)));
  EXPECT_THAT(failed, HasStepExecution("b", HasStatus(BatchStatus::FAILED)));

  steps_.set("b", "COMPLETED");
  steps_.clear_ran();
  JobExecution& restarted = run(*job, kParams);
  EXPECT_THAT(restarted, HasStatus(BatchStatus::COMPLETED));
  EXPECT_THAT(restarted, HasStepExecution("nested", HasStatus(BatchStatus::COMPLETED)));
  EXPECT_THAT(steps_.ran(), ElementsAre("b", "after")) << "inside the flow step, a stays complete";
}

TEST_P(FlowStepJobStepTest, JobStepStoresTheChildAsItsOwnInstanceAndPropagatesItsFailure) {
  auto job = parent_of(FlowJobBuilder("child", repository()).start(step("c1")).next(step("c2")).end().build());
  steps_.set("c2", "THROW");
  JobExecution& failed = run(*job, kParams);
  EXPECT_THAT(failed, HasStatus(BatchStatus::FAILED));
  EXPECT_THAT(failed, HasStepExecution("runChild", HasStatus(BatchStatus::FAILED)));
  EXPECT_THAT(failed, HasStepExecution("runChild", HasExitDescription(HasSubstr("the delegate Job failed"))));
  EXPECT_THAT(steps_.ran(), ElementsAre("p1", "c1", "c2"));

  auto child_runs = repository().last_job_execution("child", kParams);
  ASSERT_TRUE(child_runs.ok());
  ASSERT_NE(child_runs.value(), nullptr) << "the child ran under its own name with the parent's parameters";
  EXPECT_THAT(*child_runs.value(), HasStatus(BatchStatus::FAILED));
  EXPECT_NE(child_runs.value()->job_instance.id, failed.job_instance.id);
  const int64_t child_instance = child_runs.value()->job_instance.id;

  steps_.set("c2", "COMPLETED");
  steps_.clear_ran();
  JobExecution& restarted = run(*job, kParams);
  EXPECT_THAT(restarted, HasStatus(BatchStatus::COMPLETED));
  EXPECT_THAT(steps_.ran(), ElementsAre("c2", "p2")) << "the child instance restarts where it failed";
  expect_child_completed_in(child_instance);
}

// Spring's JobStep cannot be stopped (the child runs on). Ours: a stop of
// the parent reaches the child through the id the step stored, the child
// ends STOPPED at its next boundary, so does the step and the parent, and
// a restart resumes the child instance where it stopped.
TEST_P(FlowStepJobStepTest, StoppingTheParentStopsTheChildJobAndARestartResumesIt) {
  JobRegistry registry;
  JobOperator operator_(registry, repository());
  bool stop_once = true;
  int64_t parent_id = 0;
  auto stop_parent = StepBuilder("stopParent", repository())
                         .tasklet([&](StepContribution&, ChunkContext&) {
                           if (stop_once) {
                             stop_once = false;
                             auto running = repository().running_job_executions("parent");
                             EXPECT_TRUE(running.ok() && running->size() == 1u);
                             if (running.ok() && running->size() == 1u) parent_id = running->front()->id;
                             EXPECT_TRUE(operator_.stop(parent_id).ok());
                           }
                           return RepeatStatus::FINISHED;
                         })
                         .build();
  auto job =
      parent_of(FlowJobBuilder("child", repository()).start(std::move(stop_parent)).next(step("c2")).end().build());

  JobExecution& stopped = run(*job, kParams);
  EXPECT_THAT(stopped, HasStatus(BatchStatus::STOPPED));
  EXPECT_EQ(stopped.id, parent_id);
  EXPECT_THAT(stopped, HasStepExecution("runChild", HasStatus(BatchStatus::STOPPED)));
  EXPECT_THAT(steps_.ran(), ElementsAre("p1")) << "neither c2 nor p2 ran";
  auto child_run = repository().last_job_execution("child", kParams);
  ASSERT_TRUE(child_run.ok());
  ASSERT_NE(child_run.value(), nullptr);
  EXPECT_THAT(*child_run.value(), HasStatus(BatchStatus::STOPPED));
  const int64_t child_instance = child_run.value()->job_instance.id;
  EXPECT_EQ(stored(stopped.id)->step_executions.at(1)->execution_context.get_long("JobStep.CHILD_EXECUTION_ID"),
            child_run.value()->id);

  steps_.clear_ran();
  JobExecution& restarted = run(*job, kParams);
  EXPECT_THAT(restarted, HasStatus(BatchStatus::COMPLETED));
  EXPECT_THAT(steps_.ran(), ElementsAre("c2", "p2"))
      << "the child resumes: its stopped first step again (not scripted), then c2";
  expect_child_completed_in(child_instance);
}

TEST_P(FlowStepJobStepTest, JobStepParametersComeFromTheStepContext) {
  std::shared_ptr<Job> child = FlowJobBuilder("child", repository()).start(step("c1")).end().build();
  // Before the job step runs, copy the promoted "rows" into its own context.
  struct CopyFromJob : StepExecutionListener {
    void before_step(StepExecution& execution) override {
      std::lock_guard lock(execution.job_execution->mutex);
      if (auto rows = execution.job_execution->execution_context.get_long("rows")) {
        execution.execution_context.put_long("rows", *rows);
      }
      execution.execution_context.put_string("region", "eu,string,false");
    }
  };
  auto job = FlowJobBuilder("parent", repository())
                 .start(producer("count", "rows", 42))
                 .next(StepBuilder("runChild", repository())
                           .job(child)
                           .parameters_extractor(std::make_shared<DefaultJobParametersExtractor>(
                               std::vector<std::string>{"rows", "region", "date"}, /*use_all_parent_parameters=*/false))
                           .listener(std::make_shared<CopyFromJob>())
                           .build())
                 .end()
                 .build();
  JobExecution& execution = run(*job, kParams);
  ASSERT_THAT(execution, HasStatus(BatchStatus::COMPLETED));
  EXPECT_EQ(stored(execution.id)->execution_context.get_long("rows"), 42) << "promoted and stored";
  auto instances = repository().job_instances("child", 0, 10);
  ASSERT_TRUE(instances.ok());
  ASSERT_EQ(instances.value().size(), 1u);
  auto executions = repository().job_executions(instances.value().front());
  ASSERT_TRUE(executions.ok());
  ASSERT_EQ(executions.value().size(), 1u);
  const JobParameters& parameters = executions.value().front()->job_parameters;
  EXPECT_EQ(parameters.get_long("rows"), 42);
  EXPECT_EQ(parameters.get_string("date"), "2026-01-02");
  ASSERT_NE(parameters.find("region"), nullptr);
  EXPECT_FALSE(parameters.find("region")->identifying());
  EXPECT_EQ(parameters.parameters().size(), 3u);
}

TEST_P(FlowStepJobStepTest, PromotionHonoursTheStatusPatterns) {
  auto job = FlowJobBuilder("job", repository())
                 .start(producer("skippy", "a", 1, {"COMPLETED*"}, "COMPLETED WITH SKIPS"))
                 .on("*").to(producer("plain", "b", 2, {"COMPLETED"}, "COMPLETED WITH SKIPS"))
                 .on("*").to(producer("odd", "c", 3, {"ODD", "EVEN"}, "ODD"))
                 .on("*").end()
                 .end()
                 .build();
  JobExecution& execution = run(*job, kParams);
  ASSERT_THAT(execution, HasStatus(BatchStatus::COMPLETED));
  auto saved = stored(execution.id);
  EXPECT_EQ(saved->execution_context.get_long("a"), 1);
  EXPECT_FALSE(saved->execution_context.contains("b")) << "COMPLETED does not match COMPLETED WITH SKIPS";
  EXPECT_EQ(saved->execution_context.get_long("c"), 3);
}

TEST_P(FlowStepJobStepTest, StrictPromotionFailsTheStepWhenAKeyIsMissing) {
  auto strict = StepBuilder("strict", repository())
                    .tasklet([](StepContribution&, ChunkContext&) { return RepeatStatus::FINISHED; })
                    .listener(std::make_shared<ExecutionContextPromotionListener>(
                        std::vector<std::string>{"missing"}, std::vector<std::string>{"COMPLETED"}, /*strict=*/true))
                    .build();
  auto job = FlowJobBuilder("job", repository()).start(std::shared_ptr<Step>(std::move(strict))).end().build();
  JobExecution& execution = run(*job, kParams);
  EXPECT_THAT(execution, HasStatus(BatchStatus::FAILED));
  EXPECT_THAT(execution, HasStepExecution("strict", HasExitDescription(HasSubstr("The key [missing] was not found"))));
}

}  // namespace
}  // namespace cppbatch
