// ProgressReporter over an in-memory repository and a manual clock: what
// each rendering prints at which moment, without waiting on the wall clock.
#include "cppbatch/operations/progress_reporter.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

#include "cppbatch/operations/execution_format.hpp"
#include "cppbatch/repository/in_memory_job_repository.hpp"
#include "cppbatch/testing/manual_clock.hpp"

namespace cppbatch {
namespace {

using ::testing::AllOf;
using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;
using std::chrono::seconds;

class ProgressReporterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto created = repo_.create_job_execution("numbers", JobParameters());
    ASSERT_TRUE(created.ok()) << created.error().to_string();
    execution_ = std::move(created.value());
    execution_->status = BatchStatus::STARTED;
    execution_->start_time = clock_.now();
    ASSERT_TRUE(repo_.update(*execution_).ok());
  }

  StepExecution& start_step(const std::string& name) {
    StepExecution& step = execution_->create_step_execution(name);
    EXPECT_TRUE(repo_.add(step).ok());
    step.status = BatchStatus::STARTED;
    step.start_time = clock_.now();
    EXPECT_TRUE(repo_.update(step).ok());
    return step;
  }
  void progress(StepExecution& step, int64_t items, int64_t commits) {
    step.read_count = items;
    step.write_count = items;
    step.commit_count = commits;
    ASSERT_TRUE(repo_.update(step).ok());
  }
  void finish(StepExecution& step) {
    step.status = BatchStatus::COMPLETED;
    step.exit_status = ExitStatus::completed();
    step.end_time = clock_.now();
    ASSERT_TRUE(repo_.update(step).ok());
  }

  ProgressOptions terminal_options() {
    ProgressOptions options;
    options.terminal = true;
    options.out = &out_;
    options.clock = &clock_;
    return options;
  }
  ProgressOptions plain_options() {
    ProgressOptions options;
    options.terminal = false;
    options.log = [this](const std::string& line) { lines_.push_back(line); };
    options.clock = &clock_;
    return options;
  }
  // What was written since the last call.
  std::string take() {
    std::string text = out_.str();
    out_.str("");
    return text;
  }

  testing::ManualClock clock_;
  InMemoryJobRepository repo_{LeaseOptions{}, clock_};
  std::unique_ptr<JobExecution> execution_;
  std::ostringstream out_;
  std::vector<std::string> lines_;
};

TEST(ExecutionFormatTest, DurationsRatesAndParameters) {
  EXPECT_EQ(format_duration(std::chrono::milliseconds{42}), "0.042s");
  EXPECT_EQ(format_duration(std::chrono::milliseconds{12'345}), "12.3s");
  EXPECT_EQ(format_duration(std::chrono::milliseconds{245'000}), "4m05s");
  EXPECT_EQ(format_duration(std::chrono::milliseconds{3'723'000}), "1h02m03s");
  EXPECT_EQ(format_duration(std::nullopt), "-");
  EXPECT_EQ(format_rate(std::nullopt), "-");
  EXPECT_EQ(format_rate(1234.4), "1234");
  EXPECT_EQ(format_rate(0.5), "0.5");

  JobParameters parameters = JobParametersBuilder()
                                 .add_date("date", *parse_date("2026-01-02"))
                                 .add_long("count", 10, false)
                                 .add_string("name", "x")
                                 .add_string("list", "a,long")
                                 .build();
  EXPECT_EQ(format_parameters_cli(parameters), "count=10,long,false date=2026-01-02,date list=a,long,string name=x");
}

TEST_F(ProgressReporterTest, TerminalRewritesOneLivelineThenLeavesTheFinalLine) {
  ProgressReporter reporter(repo_, execution_->id, terminal_options());
  reporter.report_once();
  EXPECT_EQ(take(), "") << "no step yet";

  StepExecution& load = start_step("load");
  clock_.advance(seconds(2));
  progress(load, 200, 2);
  reporter.report_once();
  std::string live = take();
  EXPECT_THAT(live, AllOf(StartsWith("\rload  STARTED  read 200  written 200  100 items/s  commits 2  skips 0  2.000s"),
                          Not(HasSubstr("\n"))));

  clock_.advance(seconds(2));
  progress(load, 1000, 10);
  reporter.report_once();
  EXPECT_THAT(take(), AllOf(StartsWith("\rload  STARTED  read 1000"), HasSubstr("250 items/s"), Not(HasSubstr("\n"))));

  finish(load);
  StepExecution& report = start_step("report");
  reporter.report_once();
  std::string text = take();
  EXPECT_THAT(text, StartsWith("\rload  COMPLETED  read 1000"));
  EXPECT_THAT(text, HasSubstr("\n\rreport  STARTED"));

  finish(report);
  reporter.stop();
  EXPECT_THAT(take(), AllOf(StartsWith("\rreport  COMPLETED"), EndsWith("\n")));
  reporter.report_once();
  EXPECT_EQ(take(), "") << "each step's final line is printed once";
}

TEST_F(ProgressReporterTest, PlainLogsAtMostOncePerIntervalPerStep) {
  ProgressReporter reporter(repo_, execution_->id, plain_options());
  StepExecution& load = start_step("load");
  clock_.advance(seconds(5));
  progress(load, 500, 5);
  reporter.report_once();
  EXPECT_TRUE(lines_.empty()) << "a step younger than the interval logs nothing";

  clock_.advance(seconds(5));
  reporter.report_once();
  ASSERT_EQ(lines_.size(), 1u);
  EXPECT_THAT(lines_[0], AllOf(StartsWith("[numbers#" + std::to_string(execution_->id) + "/load] progress: "),
                               HasSubstr("read=500"), HasSubstr("items/s=50"), HasSubstr("commits=5"),
                               HasSubstr("elapsed=10.0s")));

  clock_.advance(seconds(5));
  reporter.report_once();
  EXPECT_EQ(lines_.size(), 1u);
  clock_.advance(seconds(5));
  reporter.report_once();
  EXPECT_EQ(lines_.size(), 2u);

  finish(load);
  clock_.advance(seconds(30));
  reporter.report_once();
  reporter.stop();
  EXPECT_EQ(lines_.size(), 2u) << "nothing extra once the step ended";
}

TEST_F(ProgressReporterTest, StopEndsTheBackgroundThreadAtOnce) {
  ProgressOptions options = terminal_options();
  options.poll_interval = std::chrono::hours(1);  // only stop() can end the wait
  ProgressReporter reporter(repo_, execution_->id, options);
  start_step("load");
  reporter.start();
  reporter.stop();
  EXPECT_THAT(out_.str(), AllOf(HasSubstr("load  STARTED"), EndsWith("\n")));
}

TEST_F(ProgressReporterTest, UnknownExecutionPrintsNothing) {
  ProgressReporter reporter(repo_, 999, terminal_options());
  reporter.report_once();
  reporter.stop();
  EXPECT_EQ(out_.str(), "");
}

}  // namespace
}  // namespace cppbatch
