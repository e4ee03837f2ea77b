// FlowBuilder's validation: a definition that cannot run is refused before
// anything runs, with the flow and the state named.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <stdexcept>

#include "cppbatch/core/flow_builder.hpp"
#include "cppbatch/repository/in_memory_job_repository.hpp"
#include "cppbatch/testing/manual_clock.hpp"
#include "unit/core/flow_test_steps.hpp"

namespace cppbatch {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class FlowBuilderTest : public ::testing::Test {
 protected:
  std::shared_ptr<Step> step(const std::string& name) { return steps_.step(name, repository_); }
  // The message build() throws, or "" if it does not.
  template <class F>
  static std::string refusal(F&& define) {
    try {
      define();
    } catch (const std::invalid_argument& e) {
      return e.what();
    }
    return "";
  }
  testing::ManualClock clock_;
  InMemoryJobRepository repository_{LeaseOptions{}, clock_};
  testing::ScriptedSteps steps_;
};

TEST_F(FlowBuilderTest, FluentDefaultsFollowSpring) {
  auto a = step("a");
  auto flow = FlowBuilder("f").start(a).next(step("b")).build();
  EXPECT_EQ(flow->start_state(), "a");
  std::vector<std::string> from_a;
  for (const auto& t : flow->transitions_from("a")) from_a.push_back(t.pattern + "->" + t.to);
  EXPECT_THAT(from_a, ElementsAre("COMPLETED->b", "*->f.FAILED"));
  std::vector<std::string> from_b;
  for (const auto& t : flow->transitions_from("b")) from_b.push_back(t.pattern + "->" + t.to);
  EXPECT_THAT(from_b, ElementsAre("COMPLETED->f.COMPLETED", "*->f.FAILED"));
  EXPECT_THAT(flow->step_names(), ElementsAre("a", "b"));
}

TEST_F(FlowBuilderTest, RefusesATransitionToAnUnknownState) {
  EXPECT_THAT(refusal([&] { FlowBuilder("f").add_step(step("a")).add_transition("a", "*", "nowhere").build(); }),
              HasSubstr("flow 'f': state 'a' goes on '*' to 'nowhere', which is not a state"));
}

TEST_F(FlowBuilderTest, RefusesAnUnreachableState) {
  EXPECT_THAT(refusal([&] {
                FlowBuilder("f")
                    .add_step(step("a"))
                    .add_step(step("island"))
                    .add_end_transition("a", "*", FlowExecutionStatus::completed())
                    .add_end_transition("island", "*", FlowExecutionStatus::completed())
                    .build();
              }),
              HasSubstr("state 'island' cannot be reached from the start state 'a'"));
}

TEST_F(FlowBuilderTest, RefusesACycleWithoutExit) {
  EXPECT_THAT(refusal([&] {
                FlowBuilder("f")
                    .add_step(step("a"))
                    .add_step(step("b"))
                    .add_transition("a", "*", "b")
                    .add_transition("b", "*", "a")
                    .build();
              }),
              HasSubstr("never reaches an end (a cycle without exit)"));
}

TEST_F(FlowBuilderTest, RefusesAStateWithoutTransitionsInTheDataForm) {
  EXPECT_THAT(refusal([&] { FlowBuilder("f").add_step(step("a")).build(); }),
              HasSubstr("flow 'f': state 'a' has no transition"));
}

TEST_F(FlowBuilderTest, RefusesTwoDifferentStepsWithOneName) {
  EXPECT_THAT(refusal([&] { FlowBuilder("f").start(step("a")).next(step("a")).build(); }),
              HasSubstr("two different states are named 'a'"));
  auto inner = FlowBuilder("inner").start(step("a")).build();
  EXPECT_THAT(refusal([&] { FlowBuilder("f").start(step("a")).next(inner).build(); }),
              HasSubstr("two different steps are named 'a'"));
}

TEST_F(FlowBuilderTest, RefusesNextBeforeStartAndFromAnUnknownState) {
  EXPECT_THAT(refusal([&] { FlowBuilder("f").next(step("a")); }), HasSubstr("call start() first"));
  EXPECT_THAT(refusal([&] { FlowBuilder("f").start(step("a")).from("b"); }), HasSubstr("from('b'): no such state"));
}

TEST_F(FlowBuilderTest, ASplitAfterALoneStartStateMakesItTheFirstBranch) {
  SyncTaskExecutor executor;
  auto other = FlowBuilder("other").start(step("b")).build();
  auto flow = FlowBuilder("f").start(step("a")).split(executor).add(other).build();
  ASSERT_EQ(flow->states().size(), 1u + 2u);  // the split and its COMPLETED/FAILED end states
  const FlowState* split = flow->state(flow->start_state());
  ASSERT_NE(split, nullptr);
  ASSERT_EQ(split->kind, FlowStateKind::SPLIT);
  ASSERT_EQ(split->flows.size(), 2u);
  EXPECT_THAT(split->flows[0]->step_names(), ElementsAre("a"));
  EXPECT_THAT(split->flows[1]->step_names(), ElementsAre("b"));
  EXPECT_THAT(refusal([&] { FlowBuilder("g").start(step("c")).next(step("d")).split(executor).add(other); }),
              HasSubstr("split() may only begin a flow or follow its lone start state"));
}

}  // namespace
}  // namespace cppbatch
