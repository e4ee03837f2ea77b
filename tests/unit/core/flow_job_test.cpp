// The flow engine, scenario by scenario, with the exact statuses Spring
// Batch reports for the same flow (its FlowJobBuilder/SimpleFlow/EndState
// tests and the "Controlling Step Flow" reference are the yardstick). Every
// scenario runs on the in-memory and on the SQLite repository; restarts run
// the same job object again with the same parameters.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cppbatch/core/flow_job_builder.hpp"
#include "cppbatch/testing/backend_job_test_fixture.hpp"
#include "cppbatch/testing/execution_matchers.hpp"
#include "unit/core/flow_test_steps.hpp"

namespace cppbatch {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::HasExitCode;
using testing::HasExitDescription;
using testing::HasStatus;
using testing::HasStepExecution;

const JobParameters kParams = JobParametersBuilder().add_string("date", "2026-01-02").build();

class FlowJobTest : public testing::BackendJobTestFixture {
 protected:
  std::shared_ptr<Step> step(const std::string& name, bool allow_start_if_complete = false) {
    return steps_.step(name, repository(), allow_start_if_complete);
  }
  std::vector<std::string> step_names(const JobExecution& execution) {
    std::vector<std::string> names;
    for (const auto& s : execution.step_executions) names.push_back(s->step_name);
    return names;
  }
  testing::ScriptedSteps steps_;
};

INSTANTIATE_TEST_SUITE_P(Repositories, FlowJobTest, testing::kEmbeddedBackends, testing::backend_test_name);

TEST_P(FlowJobTest, NextRunsStepsInOrder) {
  auto job = FlowJobBuilder("job", repository()).start(step("a")).next(step("b")).next(step("c")).end().build();
  JobExecution& execution = run(*job, kParams);
  EXPECT_THAT(execution, HasStatus(BatchStatus::COMPLETED));
  EXPECT_THAT(execution, HasExitCode("COMPLETED"));
  EXPECT_THAT(steps_.ran(), ElementsAre("a", "b", "c"));
  EXPECT_THAT(*stored(execution.id), HasStatus(BatchStatus::COMPLETED));
}

TEST_P(FlowJobTest, NextFailsTheJobWhenAStepFailsAndARestartResumesThere) {
  auto job = FlowJobBuilder("job", repository()).start(step("a")).next(step("b")).next(step("c")).end().build();
  steps_.set("b", "THROW");
  JobExecution& failed = run(*job, kParams);
  EXPECT_THAT(failed, HasStatus(BatchStatus::FAILED));
  EXPECT_THAT(failed, HasExitCode("FAILED"));
  EXPECT_THAT(failed, HasExitDescription(HasSubstr("b broke")));
  EXPECT_THAT(failed, HasStepExecution("b", HasStatus(BatchStatus::FAILED)));
  EXPECT_THAT(steps_.ran(), ElementsAre("a", "b"));

  steps_.set("b", "COMPLETED");
  steps_.clear_ran();
  JobExecution& restarted = run(*job, kParams);
  EXPECT_THAT(restarted, HasStatus(BatchStatus::COMPLETED));
  EXPECT_EQ(restarted.job_instance.id, failed.job_instance.id);
  EXPECT_THAT(steps_.ran(), ElementsAre("b", "c")) << "a COMPLETED earlier: skipped";
  EXPECT_THAT(step_names(restarted), ElementsAre("b", "c"));
}

TEST_P(FlowJobTest, NextTreatsACustomExitCodeAsAFailure) {
  // Spring's next(): COMPLETED goes on, anything else fails the job.
  auto job = FlowJobBuilder("job", repository()).start(step("a")).next(step("b")).end().build();
  steps_.set("a", "COMPLETED WITH SKIPS");
  JobExecution& execution = run(*job, kParams);
  EXPECT_THAT(execution, HasStatus(BatchStatus::FAILED));
  EXPECT_THAT(execution, HasExitCode("FAILED"));
  EXPECT_THAT(execution, HasStepExecution("a", HasStatus(BatchStatus::COMPLETED)));
  EXPECT_THAT(steps_.ran(), ElementsAre("a"));
}

TEST_P(FlowJobTest, OnFailedToRunsTheRecoveryPath) {
  auto a = step("a");
  auto job = FlowJobBuilder("job", repository())
                 .start(a).on("FAILED").to(step("recover"))
                 .from(a).on("*").to(step("happy"))
                 .end()
                 .build();
  steps_.set("a", "THROW");
  JobExecution& execution = run(*job, kParams);
  EXPECT_THAT(execution, HasStatus(BatchStatus::COMPLETED));
  EXPECT_THAT(execution, HasExitCode("COMPLETED"));
  EXPECT_THAT(execution, HasStepExecution("a", HasStatus(BatchStatus::FAILED)));
  EXPECT_THAT(execution, HasStepExecution("recover", HasStatus(BatchStatus::COMPLETED)));
  EXPECT_THAT(steps_.ran(), ElementsAre("a", "recover"));
}

TEST_P(FlowJobTest, EndOnAFailedStepCompletesTheJobAndItCannotBeRestarted) {
  auto a = step("a");
  auto job = FlowJobBuilder("job", repository())
                 .start(a).on("FAILED").end()
                 .from(a).on("*").to(step("b"))
                 .end()
                 .build();
  steps_.set("a", "THROW");
  JobExecution& execution = run(*job, kParams);
  EXPECT_THAT(execution, HasStatus(BatchStatus::COMPLETED));
  EXPECT_THAT(execution, HasExitCode("COMPLETED"));
  EXPECT_THAT(execution, HasStepExecution("a", HasStatus(BatchStatus::FAILED)));
  EXPECT_THAT(steps_.ran(), ElementsAre("a"));
  auto again = launch(*job, kParams);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code(), ErrorCode::ALREADY_COMPLETE);
}

TEST_P(FlowJobTest, EndWithAnExitCode) {
  auto a = step("a");
  auto job = FlowJobBuilder("job", repository())
                 .start(a).on("FAILED").end("COMPLETED WITH ERRORS")
                 .from(a).on("*").to(step("b"))
                 .end()
                 .build();
  steps_.set("a", "THROW");
  JobExecution& execution = run(*job, kParams);
  EXPECT_THAT(execution, HasStatus(BatchStatus::COMPLETED));
  EXPECT_THAT(execution, HasExitCode("COMPLETED WITH ERRORS"));
  EXPECT_THAT(*stored(execution.id), HasExitCode("COMPLETED WITH ERRORS"));
}

TEST_P(FlowJobTest, FailOnACustomExitCodeFailsAgainOnRestartWhenTheStepCompleted) {
  auto a = step("a");
  auto job = FlowJobBuilder("job", repository())
                 .start(a).on("NEEDS REVIEW").fail()
                 .from(a).on("*").to(step("b"))
                 .end()
                 .build();
  steps_.set("a", "NEEDS REVIEW");
  JobExecution& failed = run(*job, kParams);
  EXPECT_THAT(failed, HasStatus(BatchStatus::FAILED));
  EXPECT_THAT(failed, HasExitCode("FAILED"));
  EXPECT_THAT(failed, HasStepExecution("a", HasStatus(BatchStatus::COMPLETED)));
  // Restartable, but a COMPLETED step is not run again: its earlier exit
  // code takes the same transition (as in Spring).
  steps_.set("a", "COMPLETED");
  steps_.clear_ran();
  JobExecution& restarted = run(*job, kParams);
  EXPECT_THAT(restarted, HasStatus(BatchStatus::FAILED));
  EXPECT_THAT(restarted, HasExitCode("FAILED"));
  EXPECT_THAT(steps_.ran(), IsEmpty());
}

TEST_P(FlowJobTest, FailOnACustomExitCodeRerunsAStepAllowedToStartIfComplete) {
  auto a = step("a", /*allow_start_if_complete=*/true);
  auto job = FlowJobBuilder("job", repository())
                 .start(a).on("NEEDS REVIEW").fail()
                 .from(a).on("*").to(step("b"))
                 .end()
                 .build();
  steps_.set("a", "NEEDS REVIEW");
  EXPECT_THAT(run(*job, kParams), HasStatus(BatchStatus::FAILED));
  steps_.set("a", "COMPLETED");
  steps_.clear_ran();
  JobExecution& restarted = run(*job, kParams);
  EXPECT_THAT(restarted, HasStatus(BatchStatus::COMPLETED));
  EXPECT_THAT(steps_.ran(), ElementsAre("a", "b"));
}

TEST_P(FlowJobTest, StopEndsStoppedAndARestartRerunsTheStepThatLedThere) {
  auto a = step("a");
  auto job = FlowJobBuilder("job", repository())
                 .start(a).on("FAILED").stop()
                 .from(a).on("*").to(step("b"))
                 .end()
                 .build();
  steps_.set("a", "THROW");
  JobExecution& stopped = run(*job, kParams);
  EXPECT_THAT(stopped, HasStatus(BatchStatus::STOPPED));
  EXPECT_THAT(stopped, HasExitCode("STOPPED"));
  EXPECT_THAT(stopped, HasStepExecution("a", HasStatus(BatchStatus::FAILED)));
  EXPECT_THAT(*stored(stopped.id), HasStatus(BatchStatus::STOPPED));

  steps_.set("a", "COMPLETED");
  steps_.clear_ran();
  JobExecution& restarted = run(*job, kParams);
  EXPECT_THAT(restarted, HasStatus(BatchStatus::COMPLETED));
  EXPECT_THAT(steps_.ran(), ElementsAre("a", "b"));
}

TEST_P(FlowJobTest, StopAndRestartResumesAtTheConfiguredStep) {
  auto a = step("a");
  auto job = FlowJobBuilder("job", repository())
                 .start(a).on("COMPLETED").stop_and_restart(step("b"))
                 .from(a).on("*").fail()
                 .end()
                 .build();
  JobExecution& stopped = run(*job, kParams);
  EXPECT_THAT(stopped, HasStatus(BatchStatus::STOPPED));
  EXPECT_THAT(stopped, HasExitCode("STOPPED"));
  EXPECT_THAT(stopped, HasStepExecution("a", HasStatus(BatchStatus::COMPLETED)));
  EXPECT_THAT(steps_.ran(), ElementsAre("a"));

  steps_.clear_ran();
  JobExecution& restarted = run(*job, kParams);
  EXPECT_THAT(restarted, HasStatus(BatchStatus::COMPLETED));
  EXPECT_THAT(restarted, HasExitCode("COMPLETED"));
  EXPECT_THAT(steps_.ran(), ElementsAre("b"));
  EXPECT_THAT(step_names(restarted), ElementsAre("b"));
}

TEST_P(FlowJobTest, StopAndRestartAfterAFailedStepAbandonsIt) {
  auto a = step("a");
  auto job = FlowJobBuilder("job", repository())
                 .start(a).on("FAILED").stop_and_restart(step("cleanup"))
                 .from(a).on("*").to(step("b"))
                 .end()
                 .build();
  steps_.set("a", "THROW");
  JobExecution& stopped = run(*job, kParams);
  EXPECT_THAT(stopped, HasStatus(BatchStatus::STOPPED));
  EXPECT_THAT(stopped, HasStepExecution("a", HasStatus(BatchStatus::ABANDONED)));
  EXPECT_THAT(*stored(stopped.id), HasStepExecution("a", HasStatus(BatchStatus::ABANDONED)));

  steps_.clear_ran();
  JobExecution& restarted = run(*job, kParams);
  EXPECT_THAT(restarted, HasStatus(BatchStatus::COMPLETED));
  EXPECT_THAT(steps_.ran(), ElementsAre("cleanup")) << "an ABANDONED step is never run again";
}

TEST_P(FlowJobTest, TheMostSpecificPatternWins) {
  auto a = step("a");
  auto job = FlowJobBuilder("job", repository())
                 .start(a).on("*").to(step("any"))
                 .from(a).on("COMPLETED*").to(step("prefix"))
                 .from(a).on("COMPLETED WITH ?KIPS").to(step("one_wildcard"))
                 .from(a).on("COMPLETED WITH SKIPS").to(step("exact"))
                 .end()
                 .build();
  steps_.set("a", "COMPLETED WITH SKIPS");
  EXPECT_THAT(run(*job, kParams), HasStatus(BatchStatus::COMPLETED));
  EXPECT_THAT(steps_.ran(), ElementsAre("a", "exact"));
}

TEST_P(FlowJobTest, AQuestionMarkIsMoreSpecificThanAStar) {
  auto a = step("a");
  auto job = FlowJobBuilder("job", repository())
                 .start(a).on("*").to(step("any"))
                 .from(a).on("COMPLETED*").to(step("prefix"))
                 .from(a).on("COMPLETED WITH ?KIPS").to(step("one_wildcard"))
                 .end()
                 .build();
  steps_.set("a", "COMPLETED WITH SKIPS");
  EXPECT_THAT(run(*job, kParams), HasStatus(BatchStatus::COMPLETED));
  EXPECT_THAT(steps_.ran(), ElementsAre("a", "one_wildcard"));
}

TEST_P(FlowJobTest, AnExitCodeNoTransitionMatchesFailsTheJobSayingSo) {
  auto a = step("a");
  auto job = FlowJobBuilder("job", repository())
                 .start(a).on("COMPLETED").to(step("b"))
                 .from(a).on("FAILED").to(step("c"))
                 .end()
                 .build();
  steps_.set("a", "ODD");
  JobExecution& execution = run(*job, kParams);
  EXPECT_THAT(execution, HasStatus(BatchStatus::FAILED));
  EXPECT_THAT(execution, HasExitCode("FAILED"));
  EXPECT_THAT(execution, HasExitDescription("Next state not found in flow=job for state=a with exit status=ODD"));
  EXPECT_THAT(*stored(execution.id), HasExitDescription(HasSubstr("Next state not found")));
  EXPECT_THAT(steps_.ran(), ElementsAre("a"));
}

TEST_P(FlowJobTest, DeciderChoosesTheBranchAndIsEvaluatedAgainOnRestart) {
  int decisions = 0;
  auto parity = make_decider([&](const JobExecution& job, const StepExecution* last) {
    ++decisions;
    EXPECT_NE(last, nullptr);
    if (last != nullptr) {
      EXPECT_EQ(last->step_name, "load");
    }
    return job.job_parameters.get_long("n").value_or(0) % 2 == 0 ? "EVEN" : "ODD";
  });
  auto job = FlowJobBuilder("job", repository())
                 .start(step("load")).next(parity)
                 .on("EVEN").to(step("even"))
                 .from(parity).on("ODD").to(step("odd"))
                 .end()
                 .build();
  const auto odd = JobParametersBuilder().add_long("n", 3).build();
  steps_.set("odd", "THROW");
  JobExecution& failed = run(*job, odd);
  EXPECT_THAT(failed, HasStatus(BatchStatus::FAILED));
  EXPECT_THAT(steps_.ran(), ElementsAre("load", "odd"));

  steps_.set("odd", "COMPLETED");
  steps_.clear_ran();
  JobExecution& restarted = run(*job, odd);
  EXPECT_THAT(restarted, HasStatus(BatchStatus::COMPLETED));
  EXPECT_THAT(steps_.ran(), ElementsAre("odd"));
  EXPECT_EQ(decisions, 2);

  steps_.clear_ran();
  EXPECT_THAT(run(*job, JobParametersBuilder().add_long("n", 4).build()), HasStatus(BatchStatus::COMPLETED));
  EXPECT_THAT(steps_.ran(), ElementsAre("load", "even"));
}

TEST_P(FlowJobTest, ADeciderAnswerWithoutTransitionFails) {
  // As Spring's FlowBuilder: the decider's transitions match neither
  // FAILED nor COMPLETED, so build() adds * -> fail: MAYBE fails the job.
  auto decider = make_decider([](const JobExecution&, const StepExecution*) { return "MAYBE"; });
  auto job = FlowJobBuilder("job", repository())
                 .start(step("a")).next(decider)
                 .on("YES").to(step("b"))
                 .from(decider).on("NO").end()
                 .end()
                 .build();
  JobExecution& execution = run(*job, kParams);
  EXPECT_THAT(execution, HasStatus(BatchStatus::FAILED));
  EXPECT_THAT(execution, HasExitCode("FAILED"));
  EXPECT_THAT(steps_.ran(), ElementsAre("a"));
}

TEST_P(FlowJobTest, NestedFlowsRunInlineAndTheirEndDecides) {
  auto inner = FlowBuilder("inner").start(step("a")).next(step("b")).build();
  auto job = FlowJobBuilder("job", repository()).start(inner).next(step("c")).end().build();
  EXPECT_THAT(run(*job, kParams), HasStatus(BatchStatus::COMPLETED));
  EXPECT_THAT(steps_.ran(), ElementsAre("a", "b", "c"));

  steps_.clear_ran();
  steps_.set("b", "THROW");
  const auto other = JobParametersBuilder().add_string("date", "2026-01-03").build();
  JobExecution& failed = run(*job, other);
  EXPECT_THAT(failed, HasStatus(BatchStatus::FAILED));
  EXPECT_THAT(failed, HasExitCode("FAILED"));
  EXPECT_THAT(steps_.ran(), ElementsAre("a", "b"));

  steps_.clear_ran();
  steps_.set("b", "COMPLETED");
  EXPECT_THAT(run(*job, other), HasStatus(BatchStatus::COMPLETED));
  EXPECT_THAT(steps_.ran(), ElementsAre("b", "c"));
}

TEST_P(FlowJobTest, ALoopRunsAStepAgainWithinOneExecution) {
  int attempts = 0;
  auto work = step("work");
  auto again = make_decider(
      [&](const JobExecution&, const StepExecution*) { return ++attempts < 3 ? "AGAIN" : "DONE"; });
  auto job = FlowJobBuilder("job", repository())
                 .start(work).next(again)
                 .on("AGAIN").to("work")
                 .from(again).on("DONE").end()
                 .end()
                 .build();
  JobExecution& execution = run(*job, kParams);
  EXPECT_THAT(execution, HasStatus(BatchStatus::COMPLETED));
  EXPECT_THAT(steps_.ran(), ElementsAre("work", "work", "work"));
  EXPECT_EQ(execution.step_executions.size(), 3u);
}

TEST_P(FlowJobTest, TheDataFormGivesTheSameExecutionsAsTheFluentForm) {
  auto fluent_a = step("a");
  auto fluent = FlowJobBuilder("fluent", repository())
                    .start(fluent_a).on("FAILED").to(step("recover"))
                    .from(fluent_a).on("*").to(step("b"))
                    .from("recover").on("*").fail()
                    .end()
                    .build();
  auto data = FlowJobBuilder("data", repository())
                  .add_step(step("a"))
                  .add_step(step("recover"))
                  .add_step(step("b"))
                  .add_transition("a", "FAILED", "recover")
                  .add_transition("a", "*", "b")
                  .add_end_transition("recover", "*", FlowExecutionStatus::failed())
                  .add_end_transition("b", "COMPLETED", FlowExecutionStatus::completed())
                  .add_end_transition("b", "*", FlowExecutionStatus::failed())
                  .build();
  steps_.set("a", "THROW");
  JobExecution& one = run(*fluent, kParams);
  JobExecution& two = run(*data, kParams);
  for (JobExecution* execution : {&one, &two}) {
    EXPECT_THAT(*execution, HasStatus(BatchStatus::FAILED));
    EXPECT_THAT(*execution, HasExitCode("FAILED"));
    EXPECT_THAT(step_names(*execution), ElementsAre("a", "recover"));
    EXPECT_THAT(*execution, HasStepExecution("a", HasStatus(BatchStatus::FAILED)));
    EXPECT_THAT(*execution, HasStepExecution("recover", HasStatus(BatchStatus::COMPLETED)));
  }
}

TEST_P(FlowJobTest, DataFormStopAndRestart) {
  auto job = FlowJobBuilder("job", repository())
                 .add_step(step("a"))
                 .add_step(step("b"))
                 .add_stop_and_restart_transition("a", "COMPLETED", "b")
                 .add_end_transition("a", "*", FlowExecutionStatus::failed())
                 .add_end_transition("b", "*", FlowExecutionStatus::completed(), "DONE")
                 .build();
  EXPECT_THAT(run(*job, kParams), HasStatus(BatchStatus::STOPPED));
  JobExecution& restarted = run(*job, kParams);
  EXPECT_THAT(restarted, HasStatus(BatchStatus::COMPLETED));
  EXPECT_THAT(restarted, HasExitCode("DONE"));
  EXPECT_THAT(steps_.ran(), ElementsAre("a", "b"));
}

TEST_P(FlowJobTest, AStoppedStepStopsTheJobAndARestartResumesIt) {
  auto job = FlowJobBuilder("job", repository()).start(step("a")).next(step("b")).next(step("c")).end().build();
  steps_.set("b", "STOP");
  JobExecution& stopped = run(*job, kParams);
  EXPECT_THAT(stopped, HasStatus(BatchStatus::STOPPED));
  EXPECT_THAT(stopped, HasExitCode("STOPPED"));
  EXPECT_THAT(stopped, HasStepExecution("b", HasStatus(BatchStatus::STOPPED)));
  steps_.set("b", "COMPLETED");
  steps_.clear_ran();
  EXPECT_THAT(run(*job, kParams), HasStatus(BatchStatus::COMPLETED));
  EXPECT_THAT(steps_.ran(), ElementsAre("b", "c"));
}

}  // namespace
}  // namespace cppbatch
