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

// ------------------------------------------------------------- queries

TEST_F(JobOperatorTest, SummaryIsOneReadableLineAndStepSummariesAreKeyedByStepId) {
  const std::string at = format_time_short(clock_.now());
  JobExecution& done = wait(operator_.start("plain", kParams));
  EXPECT_EQ(operator_.get_summary(done.id).value(),
            "Execution " + std::to_string(done.id) + " of job 'plain' (instance " +
                std::to_string(done.job_instance.id) + "): COMPLETED; started " + at + " UTC, ended " + at +
                " UTC after 0.000s; parameters {date=2026-01-02}; steps work COMPLETED");

  auto steps = operator_.get_step_execution_summaries(done.id);
  ASSERT_TRUE(steps.ok());
  ASSERT_EQ(steps->size(), 1u);
  auto stored_execution = stored(done.id);
  const StepExecution& work = *stored_execution->step_executions.at(0);
  EXPECT_EQ(steps->begin()->first, work.id);
  EXPECT_EQ(steps->begin()->second, work.summary());
  EXPECT_EQ(operator_.get_parameters(done.id).value(), kParams);

  for (auto code : {operator_.get_summary(9999).error().code(),
                    operator_.get_step_execution_summaries(9999).error().code(),
                    operator_.get_parameters(9999).error().code()}) {
    EXPECT_EQ(code, ErrorCode::NOT_FOUND);
  }
  EXPECT_THAT(operator_.get_summary(9999).error().message(), HasSubstr("9999"));
}

TEST_F(JobOperatorTest, JobQueriesKnowRegisteredJobsAndJobsWithHistoryOnly) {
  ASSERT_TRUE(repository_.create_job_execution("legacy", kParams).ok());  // not registered, but ran

  auto unknown = operator_.get_running_executions("nope");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code(), ErrorCode::NOT_FOUND);
  EXPECT_THAT(unknown.error().message(),
              AllOf(HasSubstr("'nope'"), HasSubstr("legacy, nightly, plain")));
  EXPECT_EQ(operator_.get_job_instances("nope", 0, 10).error().code(), ErrorCode::NOT_FOUND);

  EXPECT_EQ(operator_.get_running_executions("legacy").value().size(), 1u);
  EXPECT_EQ(operator_.get_job_instances("legacy", 0, 10).value().size(), 1u);
  EXPECT_TRUE(operator_.get_running_executions("plain").value().empty()) << "registered, never ran";
  EXPECT_TRUE(operator_.get_job_instances("plain", 0, 10).value().empty());
  EXPECT_EQ(operator_.get_job_instances("plain", -1, 10).error().code(), ErrorCode::INVALID_ARGUMENT);
  EXPECT_EQ(operator_.get_job_instances("plain", 0, -1).error().code(), ErrorCode::INVALID_ARGUMENT);

  // Spring: getJobNames() is the registry's names.
  EXPECT_EQ(operator_.get_job_names(), (std::vector<std::string>{"nightly", "plain"}));
}

TEST_F(JobOperatorTest, RunningExecutionsNewestFirstOfOneJobOrAll) {
  wait(operator_.start("plain", kParams));  // completed: not running
  auto first = repository_.create_job_execution("plain", JobParametersBuilder().add_string("date", "a").build());
  auto second = repository_.create_job_execution("plain", JobParametersBuilder().add_string("date", "b").build());
  auto other = repository_.create_job_execution("nightly", kParams);
  ASSERT_TRUE(first.ok() && second.ok() && other.ok());
  ASSERT_TRUE(operator_.stop(second.value()->id).ok());  // STOPPING is still running

  auto plain = operator_.get_running_executions("plain");
  ASSERT_TRUE(plain.ok());
  ASSERT_EQ(plain->size(), 2u);
  EXPECT_EQ(plain->at(0)->id, second.value()->id);
  EXPECT_EQ(plain->at(1)->id, first.value()->id);
  auto all = operator_.get_running_executions("");
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ(all->at(0)->id, other.value()->id);
}

TEST_F(JobOperatorTest, JobInstancesPageNewestFirst) {
  std::vector<int64_t> instances;
  for (int i = 0; i < 3; ++i) instances.push_back(wait(operator_.start_next_instance("nightly")).job_instance.id);
  auto page = operator_.get_job_instances("nightly", 1, 1);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->size(), 1u);
  EXPECT_EQ(page->at(0).id, instances[1]);
  auto all = operator_.get_job_instances("nightly", 0, 10);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ(all->at(0).id, instances[2]);
  EXPECT_TRUE(operator_.get_job_instances("nightly", 3, 10).value().empty());
}

TEST_F(JobOperatorTest, ExecutionsOfAnInstanceNewestFirst) {
  fail_ = true;
  JobExecution& failed = wait(operator_.start("plain", kParams));
  fail_ = false;
  JobExecution& restarted = wait(operator_.restart(failed.id));
  auto executions = operator_.get_executions(failed.job_instance.id);
  ASSERT_TRUE(executions.ok());
  ASSERT_EQ(executions->size(), 2u);
  EXPECT_EQ(executions->at(0)->id, restarted.id);
  EXPECT_EQ(executions->at(1)->id, failed.id);
  EXPECT_EQ(executions->at(1)->step_executions.size(), 1u);
  auto missing = operator_.get_executions(9999);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code(), ErrorCode::NOT_FOUND);
}

// ------------------------------------------------------------- retention

JobParameters on(const std::string& date) { return JobParametersBuilder().add_string("date", date).build(); }

TEST_F(JobOperatorTest, PruneDeletesOldExecutionsOfTheJobInBatchesCutAtInstancesAndKeepsRunningOnes) {
  fail_ = true;
  JobExecution& a1 = wait(operator_.start("plain", on("a")));
  fail_ = false;
  JobExecution& a2 = wait(operator_.restart(a1.id));
  JobExecution& b1 = wait(operator_.start("plain", on("b")));
  auto c1 = repository_.create_job_execution("plain", on("c"));  // running
  ASSERT_TRUE(c1.ok());
  JobExecution& other_job = wait(operator_.start("nightly", on("a")));
  clock_.advance(std::chrono::hours(24));
  const Timestamp cutoff = clock_.now();
  JobExecution& recent = wait(operator_.start("plain", on("d")));

  PruneOptions options{.created_before = cutoff, .job_name = "plain", .dry_run = true, .batch_size = 1};
  PruneReport planned = operator_.prune(options).value();
  EXPECT_EQ(planned.job_executions, (std::vector<int64_t>{a1.id, a2.id, b1.id}));
  EXPECT_EQ(planned.job_instances, (std::vector<int64_t>{a1.job_instance.id, b1.job_instance.id}));
  EXPECT_EQ(planned.step_executions, 3);
  EXPECT_EQ(planned.skipped_running, (std::vector<int64_t>{c1.value()->id}));
  EXPECT_EQ(planned.transactions, 3) << "a's two executions go together, then b, then c";
  EXPECT_THAT(*stored(a1.id), HasStatus(BatchStatus::FAILED)) << "a dry run deletes nothing";

  options.dry_run = false;
  PruneReport done = operator_.prune(options).value();
  EXPECT_EQ(done.job_executions, planned.job_executions);
  EXPECT_EQ(done.job_instances, planned.job_instances);
  EXPECT_EQ(done.skipped_running, planned.skipped_running);
  for (int64_t id : {a1.id, a2.id, b1.id}) EXPECT_EQ(repository_.job_execution(id).error().code(), ErrorCode::NOT_FOUND);
  for (int64_t id : {c1.value()->id, other_job.id, recent.id}) EXPECT_TRUE(repository_.job_execution(id).ok()) << id;

  EXPECT_TRUE(operator_.prune(options).value().job_executions.empty()) << "nothing left to prune";
  options.batch_size = 0;
  EXPECT_EQ(operator_.prune(options).error().code(), ErrorCode::INVALID_ARGUMENT);
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
