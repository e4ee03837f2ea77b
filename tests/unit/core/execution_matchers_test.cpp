// The matchers of cppbatch/testing/execution_matchers.hpp: they match what
// they say and explain a mismatch with the whole picture.
#include "cppbatch/testing/execution_matchers.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>
#include <string>

namespace cppbatch {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::HasCounts;
using testing::HasExitCode;
using testing::HasExitDescription;
using testing::HasStatus;
using testing::HasStepExecution;

template <class T, class M>
std::string explain(const T& value, const M& matcher) {
  ::testing::Matcher<const T&> m = matcher;
  ::testing::StringMatchResultListener listener;
  m.MatchAndExplain(value, &listener);
  return listener.str();
}

template <class M, class T>
std::string describe(const M& matcher) {
  ::testing::Matcher<const T&> m = matcher;
  std::ostringstream out;
  m.DescribeTo(&out);
  return out.str();
}

StepExecution sample_step() {
  StepExecution step;
  step.step_name = "load";
  step.status = BatchStatus::FAILED;
  step.exit_status = ExitStatus::failed("bad record");
  step.read_count = 10;
  step.write_count = 9;
  step.commit_count = 3;
  step.rollback_count = 1;
  step.filter_count = 1;
  return step;
}

TEST(ExecutionMatchersTest, StatusAndExitStatus) {
  StepExecution step = sample_step();
  EXPECT_THAT(step, HasStatus(BatchStatus::FAILED));
  EXPECT_THAT(step, Not(HasStatus(BatchStatus::COMPLETED)));
  EXPECT_THAT(step, HasExitCode("FAILED"));
  EXPECT_THAT(step, HasExitDescription("bad record"));
  EXPECT_THAT(step, HasExitDescription(HasSubstr("bad")));
  EXPECT_THAT(explain(step, HasStatus(BatchStatus::COMPLETED)),
              AllOf(HasSubstr("status is FAILED"), HasSubstr("bad record")));
  EXPECT_EQ((describe<testing::internal::HasStatusMatcher, StepExecution>(HasStatus(BatchStatus::COMPLETED))),
            "has status COMPLETED");
}

TEST(ExecutionMatchersTest, CountsCheckOnlyTheFieldsGiven) {
  StepExecution step = sample_step();
  EXPECT_THAT(step, HasCounts(10, 9, 3));
  EXPECT_THAT(step, HasCounts({.rollback = 1, .filter = 1}));
  EXPECT_THAT(step, HasCounts({.read = 10, .write = 9, .commit = 3, .rollback = 1, .filter = 1, .read_skip = 0,
                               .process_skip = 0, .write_skip = 0}));
  EXPECT_THAT(step, Not(HasCounts({.commit = 4})));
  EXPECT_THAT(explain(step, HasCounts({.read = 11, .commit = 3, .rollback = 0})),
              AllOf(HasSubstr("read is 10 (expected 11)"), HasSubstr("rollback is 1 (expected 0)"),
                    HasSubstr("readCount=10")));
  EXPECT_EQ((describe<testing::internal::HasCountsMatcher, StepExecution>(HasCounts({.read = 1, .commit = 2}))),
            "has counts read=1, commit=2");
}

TEST(ExecutionMatchersTest, JobExecutionsAndTheirSteps) {
  JobExecution job;
  job.status = BatchStatus::FAILED;
  job.exit_status = ExitStatus::failed("bad record");
  StepExecution& first = job.create_step_execution("first");
  first.status = BatchStatus::COMPLETED;
  StepExecution& load = job.create_step_execution("load");
  load = sample_step();
  EXPECT_THAT(job, HasStatus(BatchStatus::FAILED));
  EXPECT_THAT(job, HasExitCode("FAILED"));
  EXPECT_THAT(job, HasStepExecution("first", HasStatus(BatchStatus::COMPLETED)));
  EXPECT_THAT(job, HasStepExecution("load", AllOf(HasStatus(BatchStatus::FAILED), HasCounts(10, 9, 3))));
  EXPECT_THAT(job, Not(HasStepExecution("missing", HasStatus(BatchStatus::COMPLETED))));
  EXPECT_THAT(explain(job, HasStepExecution("missing", HasStatus(BatchStatus::COMPLETED))),
              AllOf(HasSubstr("no step execution named 'missing'"), HasSubstr("first"), HasSubstr("load")));
}

}  // namespace
}  // namespace cppbatch
