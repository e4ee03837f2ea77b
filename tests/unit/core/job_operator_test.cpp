// JobOperator: start by name, start the next instance (run.id), restart,
// stop and abandon by execution id — with Spring Batch's refusals as typed
// error codes.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <stdexcept>

#include "cppbatch/core/job_builder.hpp"
#include "cppbatch/core/job_operator.hpp"
#include "cppbatch/core/step_builder.hpp"
#include "cppbatch/testing/execution_matchers.hpp"
#include "cppbatch/testing/job_test_fixture.hpp"

namespace cppbatch {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using testing::HasStatus;

const JobParameters kParams = JobParametersBuilder().add_string("date", "2026-01-02").build();

class JobOperatorTest : public testing::JobTestFixture {
 protected:
  void SetUp() override {
    auto step = [this](JobRepository& repo) {
      return StepBuilder("work", repo)
          .tasklet([this](StepContribution&, ChunkContext&) {
            ++runs_;
            if (fail_) throw std::runtime_error("failing on purpose");
            return RepeatStatus::FINISHED;
          })
          .build();
    };
    ASSERT_TRUE(registry_
                    .add("plain",
                         [step](JobRepository& repo) { return JobBuilder("plain", repo).start(step(repo)).build(); },
                         "no incrementer")
                    .ok());
    ASSERT_TRUE(registry_
                    .add("nightly",
                         [step](JobRepository& repo) {
                           return JobBuilder("nightly", repo)
                               .start(step(repo))
                               .incrementer(std::make_shared<RunIdIncrementer>())
                               .build();
                         })
                    .ok());
  }

  JobExecution& wait(Result<JobExecutionHandle>&& handle) {
    if (!handle.ok()) {
      ADD_FAILURE() << handle.error().to_string();
      static JobExecution none;
      return none;
    }
    handles_.push_back(std::move(handle).value());
    return handles_.back().wait();
  }

  JobRegistry registry_;
  JobOperator operator_{registry_, repository_};
  std::vector<JobExecutionHandle> handles_;
  int runs_ = 0;
  bool fail_ = false;
};

TEST_F(JobOperatorTest, StartsARegisteredJob) {
  JobExecution& execution = wait(operator_.start("plain", kParams));
  EXPECT_THAT(execution, HasStatus(BatchStatus::COMPLETED));
  EXPECT_EQ(execution.job_name(), "plain");
  EXPECT_EQ(runs_, 1);
}

TEST_F(JobOperatorTest, StartOfAnUnknownJobNamesTheKnownOnes) {
  auto result = operator_.start("nope", kParams);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code(), ErrorCode::NOT_FOUND);
  EXPECT_THAT(result.error().message(), AllOf(HasSubstr("nope"), HasSubstr("nightly"), HasSubstr("plain")));
}

TEST_F(JobOperatorTest, StartAppliesLaunchRules) {
  wait(operator_.start("plain", kParams));
  auto again = operator_.start("plain", kParams);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code(), ErrorCode::ALREADY_COMPLETE);
}

TEST_F(JobOperatorTest, StartNextInstanceIncrementsRunId) {
  JobExecution& first = wait(operator_.start_next_instance("nightly"));
  JobExecution& second = wait(operator_.start_next_instance("nightly"));
  JobExecution& third = wait(operator_.start_next_instance("nightly"));
  EXPECT_EQ(first.job_parameters.get_long("run.id"), 1);
  EXPECT_EQ(second.job_parameters.get_long("run.id"), 2);
  EXPECT_EQ(third.job_parameters.get_long("run.id"), 3);
  EXPECT_NE(first.job_instance.id, second.job_instance.id);
  EXPECT_NE(second.job_instance.id, third.job_instance.id);
  EXPECT_THAT(third, HasStatus(BatchStatus::COMPLETED));
  EXPECT_EQ(runs_, 3);
}

TEST_F(JobOperatorTest, StartNextInstanceAfterAFailureStillMovesOn) {
  fail_ = true;
  JobExecution& failed = wait(operator_.start_next_instance("nightly"));
  ASSERT_THAT(failed, HasStatus(BatchStatus::FAILED));
  fail_ = false;
  JobExecution& next = wait(operator_.start_next_instance("nightly"));
  EXPECT_EQ(next.job_parameters.get_long("run.id"), 2);
  EXPECT_THAT(next, HasStatus(BatchStatus::COMPLETED));
}

TEST_F(JobOperatorTest, StartNextInstanceKeepsPreviousParametersAndAppliesOverrides) {
  wait(operator_.start("nightly", JobParametersBuilder(kParams).add_long("run.id", 7).build()));
  JobExecution& next =
      wait(operator_.start_next_instance("nightly", JobParametersBuilder().add_string("date", "2026-01-03").build()));
  EXPECT_EQ(next.job_parameters.get_long("run.id"), 8);
  EXPECT_EQ(next.job_parameters.get_string("date"), "2026-01-03");
}

TEST_F(JobOperatorTest, StartNextInstanceNeedsAnIncrementer) {
  auto result = operator_.start_next_instance("plain");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code(), ErrorCode::INVALID_ARGUMENT);
  EXPECT_THAT(result.error().message(), HasSubstr("incrementer"));
  EXPECT_EQ(operator_.start_next_instance("nope").error().code(), ErrorCode::NOT_FOUND);
}

TEST_F(JobOperatorTest, RestartRelaunchesAFailedExecutionWithItsParameters) {
  fail_ = true;
  JobExecution& failed = wait(operator_.start("plain", kParams));
  ASSERT_THAT(failed, HasStatus(BatchStatus::FAILED));
  fail_ = false;
  JobExecution& restarted = wait(operator_.restart(failed.id));
  EXPECT_THAT(restarted, HasStatus(BatchStatus::COMPLETED));
  EXPECT_EQ(restarted.job_parameters, kParams);
  EXPECT_EQ(restarted.job_instance.id, failed.job_instance.id);
  EXPECT_NE(restarted.id, failed.id);
}

TEST_F(JobOperatorTest, RestartRefusals) {
  JobExecution& done = wait(operator_.start("plain", kParams));
  auto completed = operator_.restart(done.id);
  ASSERT_FALSE(completed.ok());
  EXPECT_EQ(completed.error().code(), ErrorCode::ALREADY_COMPLETE);

  auto missing = operator_.restart(9999);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code(), ErrorCode::NOT_FOUND);

  fail_ = true;
  JobExecution& failed = wait(operator_.start("plain", JobParametersBuilder().add_string("date", "x").build()));
  ASSERT_TRUE(operator_.abandon(failed.id).ok());
  auto abandoned = operator_.restart(failed.id);
  ASSERT_FALSE(abandoned.ok());
  EXPECT_EQ(abandoned.error().code(), ErrorCode::NOT_RESTARTABLE);
}

TEST_F(JobOperatorTest, StopMarksARunningExecutionStopping) {
  auto running = repository_.create_job_execution("plain", kParams);
  ASSERT_TRUE(running.ok());
  int64_t id = running.value()->id;
  ASSERT_TRUE(operator_.stop(id).ok());
  EXPECT_THAT(*stored(id), HasStatus(BatchStatus::STOPPING));
  EXPECT_TRUE(operator_.stop(id).ok()) << "stopping a STOPPING execution again is fine";
}

TEST_F(JobOperatorTest, StopRefusals) {
  auto missing = operator_.stop(9999);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code(), ErrorCode::NOT_FOUND);

  JobExecution& done = wait(operator_.start("plain", kParams));
  auto finished = operator_.stop(done.id);
  ASSERT_FALSE(finished.ok());
  EXPECT_EQ(finished.error().code(), ErrorCode::ILLEGAL_STATE);
  EXPECT_THAT(finished.error().message(), HasSubstr("COMPLETED"));
}

TEST_F(JobOperatorTest, AbandonMarksAFailedExecutionAbandonedForGood) {
  fail_ = true;
  JobExecution& failed = wait(operator_.start("plain", kParams));
  ASSERT_TRUE(operator_.abandon(failed.id).ok());
  auto saved = stored(failed.id);
  EXPECT_THAT(*saved, HasStatus(BatchStatus::ABANDONED));
  EXPECT_TRUE(saved->end_time.has_value());
  // Spring Batch 5: an ABANDONED instance is not launched again.
  fail_ = false;
  auto relaunch = operator_.start("plain", kParams);
  ASSERT_FALSE(relaunch.ok());
  EXPECT_EQ(relaunch.error().code(), ErrorCode::ALREADY_COMPLETE);
}

TEST_F(JobOperatorTest, AbandonAStoppingExecution) {
  auto running = repository_.create_job_execution("plain", kParams);
  ASSERT_TRUE(running.ok());
  int64_t id = running.value()->id;
  ASSERT_TRUE(operator_.stop(id).ok());
  EXPECT_TRUE(operator_.abandon(id).ok());
  EXPECT_THAT(*stored(id), HasStatus(BatchStatus::ABANDONED));
}

TEST_F(JobOperatorTest, AbandonRefusals) {
  EXPECT_EQ(operator_.abandon(9999).error().code(), ErrorCode::NOT_FOUND);

  JobExecution& done = wait(operator_.start("plain", kParams));
  auto completed = operator_.abandon(done.id);
  ASSERT_FALSE(completed.ok());
  EXPECT_EQ(completed.error().code(), ErrorCode::ILLEGAL_STATE);

  auto running = repository_.create_job_execution("plain", JobParametersBuilder().add_string("date", "y").build());
  ASSERT_TRUE(running.ok());
  auto starting = operator_.abandon(running.value()->id);
  ASSERT_FALSE(starting.ok());
  EXPECT_EQ(starting.error().code(), ErrorCode::ILLEGAL_STATE);
  running.value()->status = BatchStatus::STARTED;
  ASSERT_TRUE(repository_.update(*running.value()).ok());
  EXPECT_EQ(operator_.abandon(running.value()->id).error().code(), ErrorCode::ILLEGAL_STATE);
}

// Time comes from the injectable clock (STYLE.md, absorb #10): the end time
// of an abandoned execution must not precede its creation. (Regression:
// abandon() stamped end_time with system_clock().)
TEST_F(JobOperatorTest, AbandonEndTimeComesFromTheInjectedClock) {
  // Far in the future so the wall clock cannot catch up with it.
  clock_.advance(std::chrono::hours(24 * 365 * 70));
  auto running = repository_.create_job_execution("plain", kParams);
  ASSERT_TRUE(running.ok());
  running.value()->status = BatchStatus::FAILED;
  ASSERT_TRUE(repository_.update(*running.value()).ok());
  ASSERT_TRUE(operator_.abandon(running.value()->id).ok());
  auto saved = stored(running.value()->id);
  ASSERT_TRUE(saved->end_time && saved->create_time);
  EXPECT_GE(*saved->end_time, *saved->create_time)
      << "end " << format_timestamp(*saved->end_time) << " < create " << format_timestamp(*saved->create_time);
  EXPECT_EQ(*saved->end_time, clock_.now());
}

TEST_F(JobOperatorTest, StartNextInstanceRefusesARunIdThatIsNotANumber) {
  wait(operator_.start("nightly", JobParametersBuilder().add_string("run.id", "abc").build()));
  auto next = operator_.start_next_instance("nightly");
  ASSERT_FALSE(next.ok());
  EXPECT_EQ(next.error().code(), ErrorCode::INVALID_ARGUMENT);
  EXPECT_THAT(next.error().message(), HasSubstr("run.id"));
}

// ------------------------------------------------------------- registry

TEST(JobRegistryTest, AddCreateAndList) {
  testing::ManualClock clock;
  InMemoryJobRepository repository(LeaseOptions{}, clock);
  JobRegistry registry;
  auto factory = [](JobRepository& repo) {
    return JobBuilder("b", repo)
        .start(StepBuilder("s", repo)
                   .tasklet([](StepContribution&, ChunkContext&) { return RepeatStatus::FINISHED; })
                   .build())
        .build();
  };
  ASSERT_TRUE(registry.add("b", factory, "the b job").ok());
  ASSERT_TRUE(registry.add("a", factory).ok());
  EXPECT_TRUE(registry.contains("a"));
  EXPECT_FALSE(registry.contains("c"));
  EXPECT_EQ(registry.names(), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(registry.description("b"), "the b job");
  EXPECT_EQ(registry.description("c"), "");
  auto created = registry.create("b", repository);
  ASSERT_TRUE(created.ok());
  EXPECT_EQ(created.value()->name(), "b");
  auto other = registry.create("b", repository);
  ASSERT_TRUE(other.ok());
  EXPECT_NE(created.value().get(), other.value().get()) << "a fresh job per create";
}

TEST(JobRegistryTest, Refusals) {
  testing::ManualClock clock;
  InMemoryJobRepository repository(LeaseOptions{}, clock);
  JobRegistry registry;
  auto none = registry.create("x", repository);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code(), ErrorCode::NOT_FOUND);
  EXPECT_THAT(none.error().message(), HasSubstr("none"));

  auto empty_name = registry.add("", [](JobRepository&) { return std::unique_ptr<Job>(); });
  ASSERT_FALSE(empty_name.ok());
  EXPECT_EQ(empty_name.error().code(), ErrorCode::INVALID_ARGUMENT);

  ASSERT_TRUE(registry.add("null", [](JobRepository&) { return std::unique_ptr<Job>(); }).ok());
  auto duplicate = registry.add("null", [](JobRepository&) { return std::unique_ptr<Job>(); });
  ASSERT_FALSE(duplicate.ok());
  EXPECT_EQ(duplicate.error().code(), ErrorCode::INVALID_ARGUMENT);
  EXPECT_EQ(registry.create("null", repository).error().code(), ErrorCode::INTERNAL);

  ASSERT_TRUE(registry
                  .add("throws",
                       [](JobRepository& repo) -> std::unique_ptr<Job> { return JobBuilder("throws", repo).build(); })
                  .ok());
  auto threw = registry.create("throws", repository);
  ASSERT_FALSE(threw.ok());
  EXPECT_EQ(threw.error().code(), ErrorCode::INVALID_ARGUMENT);
  EXPECT_THAT(threw.error().message(), HasSubstr("has no step"));
}

TEST(JobBuilderTest, RefusesJobsWithoutStepsOrWithDuplicateStepNames) {
  testing::ManualClock clock;
  InMemoryJobRepository repository(LeaseOptions{}, clock);
  auto step = [&](const char* name) {
    return StepBuilder(name, repository)
        .tasklet([](StepContribution&, ChunkContext&) { return RepeatStatus::FINISHED; })
        .build();
  };
  EXPECT_THROW(JobBuilder("empty", repository).build(), std::invalid_argument);
  EXPECT_THROW(JobBuilder("dup", repository).start(step("s")).next(step("s")).build(), std::invalid_argument);
  EXPECT_THROW(JobBuilder("null", repository).start(nullptr), std::invalid_argument);
  auto job = JobBuilder("ok", repository).start(step("a")).next(step("b")).build();
  EXPECT_EQ(job->name(), "ok");
  EXPECT_TRUE(job->restartable());
  EXPECT_EQ(job->validator(), nullptr);
  EXPECT_EQ(job->incrementer(), nullptr);
}

}  // namespace
}  // namespace cppbatch
