// DefaultJobParametersValidator (Spring's rules: required keys must be
// present; when optional keys are listed, no other key is accepted) and
// RunIdIncrementer.
#include "cppbatch/core/job_parameters_validator.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <stdexcept>

#include "cppbatch/core/job_parameters_incrementer.hpp"

namespace cppbatch {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

JobParameters params(std::initializer_list<const char*> names) {
  JobParametersBuilder builder;
  for (const char* name : names) builder.add_string(name, "v");
  return builder.build();
}

TEST(DefaultJobParametersValidatorTest, NoKeysAcceptsAnything) {
  DefaultJobParametersValidator validator({}, {});
  EXPECT_TRUE(validator.validate(JobParameters()).ok());
  EXPECT_TRUE(validator.validate(params({"a", "b"})).ok());
}

TEST(DefaultJobParametersValidatorTest, RequiredKeysPresent) {
  DefaultJobParametersValidator validator({"date", "count"});
  EXPECT_TRUE(validator.validate(params({"date", "count"})).ok());
  // No optional keys listed: extra keys are fine.
  EXPECT_TRUE(validator.validate(params({"date", "count", "extra"})).ok());
}

TEST(DefaultJobParametersValidatorTest, MissingRequiredKeysAreNamed) {
  DefaultJobParametersValidator validator({"date", "count", "region"});
  auto result = validator.validate(params({"count"}));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code(), ErrorCode::INVALID_ARGUMENT);
  EXPECT_EQ(result.error().message(), "The JobParameters do not contain required keys: [date, region]");
}

TEST(DefaultJobParametersValidatorTest, RequiredKeyMayBeNonIdentifying) {
  DefaultJobParametersValidator validator({"count"});
  EXPECT_TRUE(validator.validate(JobParametersBuilder().add_long("count", 1, false).build()).ok());
}

TEST(DefaultJobParametersValidatorTest, OptionalKeysListedRefuseUnexpectedKeys) {
  DefaultJobParametersValidator validator({"date"}, {"count", "run.id"});
  EXPECT_TRUE(validator.validate(params({"date"})).ok());
  EXPECT_TRUE(validator.validate(params({"date", "count", "run.id"})).ok());
  auto result = validator.validate(params({"date", "count", "surprise", "another"}));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code(), ErrorCode::INVALID_ARGUMENT);
  EXPECT_EQ(result.error().message(),
            "The JobParameters contains keys that are not explicitly optional or required: [another, surprise]");
}

TEST(DefaultJobParametersValidatorTest, OnlyOptionalKeys) {
  DefaultJobParametersValidator validator({}, {"count"});
  EXPECT_TRUE(validator.validate(JobParameters()).ok());
  EXPECT_TRUE(validator.validate(params({"count"})).ok());
  auto result = validator.validate(params({"date"}));
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(result.error().message(), AllOf(HasSubstr("[date]"), Not(HasSubstr("count"))));
}

TEST(DefaultJobParametersValidatorTest, MissingRequiredIsReportedBeforeUnexpected) {
  DefaultJobParametersValidator validator({"date"}, {"count"});
  auto result = validator.validate(params({"surprise"}));
  ASSERT_FALSE(result.ok());
  EXPECT_THAT(result.error().message(), HasSubstr("required keys: [date]"));
}

// ------------------------------------------------------ RunIdIncrementer

TEST(RunIdIncrementerTest, FirstRunIsOne) {
  JobParameters next = RunIdIncrementer().next(JobParameters());
  EXPECT_EQ(next.get_long("run.id"), 1);
  ASSERT_NE(next.find("run.id"), nullptr);
  EXPECT_TRUE(next.find("run.id")->identifying());
}

TEST(RunIdIncrementerTest, IncrementsThePreviousRunId) {
  JobParameters previous = JobParametersBuilder().add_long("run.id", 41).build();
  EXPECT_EQ(RunIdIncrementer().next(previous).get_long("run.id"), 42);
}

TEST(RunIdIncrementerTest, KeepsThePreviousParameters) {
  JobParameters previous =
      JobParametersBuilder().add_long("run.id", 1).add_string("region", "eu").add_long("count", 5, false).build();
  JobParameters next = RunIdIncrementer().next(previous);
  EXPECT_EQ(next.get_long("run.id"), 2);
  EXPECT_EQ(next.get_string("region"), "eu");
  EXPECT_EQ(next.get_long("count"), 5);
  EXPECT_FALSE(next.find("count")->identifying());
  EXPECT_NE(next.job_key(), previous.job_key());
}

TEST(RunIdIncrementerTest, CustomKey) {
  RunIdIncrementer incrementer("attempt");
  JobParameters next = incrementer.next(incrementer.next(JobParameters()));
  EXPECT_EQ(next.get_long("attempt"), 2);
  EXPECT_FALSE(next.contains("run.id"));
}

// Spring's RunIdIncrementer parses the previous value's text
// (Long.parseLong(value.toString()) + 1), so a run.id given on the command
// line without a type (a string) still increments. (Regression: it used to
// restart at 1, so `--next` after a typeless `run.id=5` hit run.id=1.)
TEST(RunIdIncrementerTest, IncrementsARunIdStoredAsText) {
  JobParameters previous = JobParametersBuilder().add_string("run.id", "5").build();
  JobParameters next = RunIdIncrementer().next(previous);
  EXPECT_EQ(next.get_long("run.id"), 6) << "Spring: Long.parseLong(\"5\") + 1";
  ASSERT_NE(next.find("run.id"), nullptr);
  EXPECT_EQ(next.find("run.id")->type(), ParameterType::LONG);
}

// Spring: IllegalArgumentException("Invalid value for parameter run.id").
TEST(RunIdIncrementerTest, RefusesARunIdThatIsNotANumber) {
  JobParameters previous = JobParametersBuilder().add_string("run.id", "abc").build();
  EXPECT_THROW(RunIdIncrementer().next(previous), std::invalid_argument);
  EXPECT_THROW(RunIdIncrementer().next(JobParametersBuilder().add_double("run.id", 1.5).build()),
               std::invalid_argument);
}

}  // namespace
}  // namespace cppbatch
