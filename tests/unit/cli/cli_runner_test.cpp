// run_cli driven in-process: captured streams, a temporary SQLite
// repository, and a registry of small test jobs. No test asserts on time.
#include "cppbatch/cli/cli_runner.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <future>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "cppbatch/core/job_builder.hpp"
#include "cppbatch/core/job_operator.hpp"
#include "cppbatch/core/job_parameters_incrementer.hpp"
#include "cppbatch/core/step_builder.hpp"
#include "cppbatch/core/step_execution_listener.hpp"
#include "cppbatch/core/task_executor.hpp"
#include "cppbatch/repository/repository_url.hpp"

namespace cppbatch {
namespace {

namespace fs = std::filesystem;
using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

struct CliResult {
  int code = -1;
  std::string out;
  std::string err;
};

// Holds a step in before_step (outside any chunk transaction, so the
// repository's write lock stays free) until the test releases it.
class Gate final : public StepExecutionListener {
 public:
  explicit Gate(std::shared_future<void> open) : open_(std::move(open)) {}
  void before_step(StepExecution&) override { open_.wait(); }

 private:
  std::shared_future<void> open_;
};

// Sends this process SIGINT (once: it removes `marker`) and waits, outside
// any chunk transaction, until the stop request is stored; bounded so that
// a broken signal path fails the test instead of hanging it.
class Interrupt final : public StepExecutionListener {
 public:
  Interrupt(JobRepository& repository, fs::path marker) : repository_(repository), marker_(std::move(marker)) {}
  void before_step(StepExecution& step) override {
    if (!fs::remove(marker_)) return;
    std::raise(SIGINT);
    for (int i = 0; i < 20'000; ++i) {
      auto stored = repository_.job_execution(step.job_execution_id);
      if (stored.ok() && stored.value()->status == BatchStatus::STOPPING) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  }

 private:
  JobRepository& repository_;
  fs::path marker_;
};

void touch(const fs::path& path) { std::ofstream(path) << "x"; }

class CliRunnerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    static std::atomic<int> counter{0};
    dir_ = fs::temp_directory_path() /
           ("cppbatch-cli-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    fs::create_directories(dir_);
    url_ = "sqlite:" + (dir_ / "batch.db").string();
    register_jobs();
  }
  void TearDown() override {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }

  // Runs the CLI with `--repository <temp file>` in front of `args`.
  CliResult cli(std::vector<std::string> args, bool with_repository = true) {
    std::vector<std::string> words = {"cppbatch", "--log-level", "warn"};
    if (with_repository) {
      words.push_back("--repository");
      words.push_back(url_);
    }
    words.insert(words.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& word : words) argv.push_back(word.data());
    argv.push_back(nullptr);
    std::ostringstream out;
    std::ostringstream err;
    CliOptions options;
    options.out = &out;
    options.err = &err;
    options.terminal = false;
    options.getenv = [this](const std::string& name) -> std::optional<std::string> {
      auto it = environment_.find(name);
      if (it == environment_.end()) return std::nullopt;
      return it->second;
    };
    CliResult result;
    result.code = run_cli(static_cast<int>(words.size()), argv.data(), registry_, options);
    result.out = out.str();
    result.err = err.str();
    return result;
  }

  nlohmann::json cli_json(std::vector<std::string> args) {
    CliResult result = cli(std::move(args));
    EXPECT_EQ(result.code, kExitCompleted) << result.err;
    return nlohmann::json::parse(result.out);
  }

  void register_jobs() {
    auto add = [this](std::string name, JobFactory factory, std::string description) {
      ASSERT_TRUE(registry_.add(std::move(name), std::move(factory), std::move(description)).ok());
    };
    add("hello",
        [](JobRepository& repo) {
          return JobBuilder("hello", repo)
              .start(StepBuilder("greet", repo)
                         .tasklet([](StepContribution&, ChunkContext&) { return RepeatStatus::FINISHED; })
                         .build())
              .incrementer(std::make_shared<RunIdIncrementer>())
              .build();
        },
        "says hello");
    add("boom",
        [](JobRepository& repo) {
          return JobBuilder("boom", repo)
              .start(StepBuilder("explode", repo)
                         .tasklet([](StepContribution&, ChunkContext&) -> RepeatStatus {
                           throw std::runtime_error("boom!");
                         })
                         .build())
              .build();
        },
        "always fails");
    add("numbers",
        [](JobRepository& repo) {
          auto items = std::make_shared<std::vector<int>>(std::vector<int>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
          auto next = std::make_shared<size_t>(0);
          return JobBuilder("numbers", repo)
              .start(StepBuilder("load", repo)
                         .chunk<int, int>(3)
                         .reader([items, next]() -> std::optional<int> {
                           if (*next >= items->size()) return std::nullopt;
                           return (*items)[(*next)++];
                         })
                         .processor([](const int& i) -> std::optional<int> {
                           if (i % 5 == 0) return std::nullopt;
                           return i * 2;
                         })
                         .writer([](const Chunk<int>&) {})
                         .build())
              .build();
        },
        "ten numbers, multiples of 5 filtered");
    const fs::path fail_marker = dir_ / "fail";
    add("flaky",
        [fail_marker](JobRepository& repo) {
          return JobBuilder("flaky", repo)
              .start(StepBuilder("first", repo)
                         .tasklet([](StepContribution&, ChunkContext&) { return RepeatStatus::FINISHED; })
                         .build())
              .next(StepBuilder("second", repo)
                        .tasklet([fail_marker](StepContribution&, ChunkContext&) {
                          if (fs::exists(fail_marker)) throw std::runtime_error("marker file present");
                          return RepeatStatus::FINISHED;
                        })
                        .build())
              .build();
        },
        "fails while the marker file exists");
    add("waiter",
        [gate = gate_.get_future().share()](JobRepository& repo) {
          return JobBuilder("waiter", repo)
              .start(StepBuilder("wait", repo)
                         .tasklet([](StepContribution&, ChunkContext&) { return RepeatStatus::FINISHED; })
                         .listener(std::make_shared<Gate>(gate))
                         .build())
              .build();
        },
        "waits at its step's start until the test opens the gate");
    const fs::path interrupt_marker = dir_ / "interrupt";
    add("interrupt",
        [interrupt_marker](JobRepository& repo) {
          return JobBuilder("interrupt", repo)
              .start(StepBuilder("work", repo)
                         .tasklet([](StepContribution&, ChunkContext&) { return RepeatStatus::FINISHED; })
                         .listener(std::make_shared<Interrupt>(repo, interrupt_marker))
                         .build())
              .build();
        },
        "interrupts itself with SIGINT while the marker file exists");
  }

  fs::path dir_;
  std::string url_;
  JobRegistry registry_;
  std::map<std::string, std::string> environment_;
  std::promise<void> gate_;  // opens the "waiter" job's gate
};

int64_t line_count(const std::string& text) { return std::count(text.begin(), text.end(), '\n'); }

// --- exit codes ------------------------------------------------------------

TEST_F(CliRunnerTest, CompletedJobExitsZeroWithSummary) {
  CliResult r = cli({"run", "hello", "greeting=hi"});
  EXPECT_EQ(r.code, kExitCompleted) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_THAT(r.out, HasSubstr("Execution 1 of job 'hello' ended COMPLETED (exit code COMPLETED)"));
  EXPECT_THAT(r.out, HasSubstr("parameters: greeting=hi"));
  EXPECT_THAT(r.out, HasSubstr("greet"));
  EXPECT_THAT(r.out, Not(HasSubstr("resume with")));
}

TEST_F(CliRunnerTest, FailedJobExitsOneAndSaysHowToResume) {
  CliResult r = cli({"run", "boom"});
  EXPECT_EQ(r.code, kExitNotCompleted);
  EXPECT_EQ(r.err, "");
  EXPECT_THAT(r.out, HasSubstr("ended FAILED (exit code FAILED)"));
  EXPECT_THAT(r.out, HasSubstr("boom!"));
  EXPECT_THAT(r.out, HasSubstr("resume with: cppbatch restart 1"));
}

TEST_F(CliRunnerTest, UnknownJobExitsTwoNamingTheKnownOnes) {
  CliResult r = cli({"run", "nosuch"});
  EXPECT_EQ(r.code, kExitRunnerError);
  EXPECT_EQ(line_count(r.err), 1);
  EXPECT_THAT(r.err, StartsWith("cppbatch: no job named 'nosuch' (known: boom, flaky, hello, interrupt, numbers, waiter)"));
  EXPECT_EQ(r.out, "");
  EXPECT_FALSE(fs::exists(dir_ / "batch.db")) << "a typo must not create a repository";
}

TEST_F(CliRunnerTest, BadParameterExitsTwoWithTheParsersMessage) {
  CliResult r = cli({"run", "hello", "date=2026-13-45,date"});
  EXPECT_EQ(r.code, kExitRunnerError);
  EXPECT_EQ(line_count(r.err), 1);
  EXPECT_THAT(r.err, AllOf(StartsWith("cppbatch: "), HasSubstr("date=2026-13-45,date"), HasSubstr("not a valid date")));
}

TEST_F(CliRunnerTest, UnknownOptionExitsTwo) {
  CliResult r = cli({"run", "hello", "--bogus"});
  EXPECT_EQ(r.code, kExitRunnerError);
  EXPECT_EQ(line_count(r.err), 1);
  EXPECT_THAT(r.err, AllOf(StartsWith("cppbatch: run: "), HasSubstr("--bogus")));

  r = cli({"--bogus", "jobs"});
  EXPECT_EQ(r.code, kExitRunnerError);
  EXPECT_THAT(r.err, HasSubstr("--bogus"));
}

TEST_F(CliRunnerTest, UnknownOrMissingCommandExitsTwo) {
  CliResult r = cli({"launch"});
  EXPECT_EQ(r.code, kExitRunnerError);
  EXPECT_THAT(r.err, StartsWith("cppbatch: unknown command 'launch'"));
  r = cli({});
  EXPECT_EQ(r.code, kExitRunnerError);
  EXPECT_THAT(r.err, StartsWith("cppbatch: a command is required"));
}

TEST_F(CliRunnerTest, MissingExecutionIdExitsTwo) {
  for (const char* command : {"restart", "stop", "abandon", "show"}) {
    CliResult r = cli({command});
    EXPECT_EQ(r.code, kExitRunnerError) << command;
    EXPECT_EQ(line_count(r.err), 1) << command;
    EXPECT_THAT(r.err, HasSubstr("EXECUTION_ID is required")) << command;
  }
}

TEST_F(CliRunnerTest, NonNumericExecutionIdExitsTwo) {
  for (const char* id : {"abc", "12x", "-3", "0"}) {
    CliResult r = cli({"show", id});
    EXPECT_EQ(r.code, kExitRunnerError) << id;
    EXPECT_EQ(line_count(r.err), 1) << id;
  }
  EXPECT_THAT(cli({"show", "abc"}).err, HasSubstr("an execution id is a positive integer, got 'abc'"));
}

TEST_F(CliRunnerTest, HelpExitsZero) {
  CliResult r = cli({"--help"});
  EXPECT_EQ(r.code, kExitCompleted);
  EXPECT_THAT(r.out, AllOf(HasSubstr("run"), HasSubstr("restart"), HasSubstr("executions"), HasSubstr("Exit codes")));
  EXPECT_EQ(r.err, "");

  r = cli({"run", "--help"});
  EXPECT_EQ(r.code, kExitCompleted);
  EXPECT_THAT(r.out, AllOf(HasSubstr("--next"), HasSubstr("Registered jobs: boom, flaky, hello")));
}

TEST_F(CliRunnerTest, UnopenableRepositoryExitsTwoWithoutPassword) {
  CliResult r = cli({"--repository", "postgresql://batch:s3cret@db.example/batch", "jobs"}, false);
  EXPECT_EQ(r.code, kExitRunnerError);
  EXPECT_EQ(line_count(r.err), 1);
  EXPECT_THAT(r.err, StartsWith("cppbatch: cannot open repository "));
  EXPECT_THAT(r.err, Not(HasSubstr("s3cret")));
}

TEST_F(CliRunnerTest, RepositoryComesFromTheEnvironmentWhenNotGiven) {
  environment_["CPPBATCH_REPOSITORY"] = url_;
  ASSERT_EQ(cli({"run", "hello"}, false).code, kExitCompleted);
  auto executions = cli_json({"executions", "--json"});
  ASSERT_EQ(executions.size(), 1u);
  EXPECT_TRUE(fs::exists(dir_ / "batch.db"));
}

// --- launch rules ----------------------------------------------------------

TEST_F(CliRunnerTest, RerunOfCompletedInstanceIsRefused) {
  ASSERT_EQ(cli({"run", "hello", "date=2026-01-02,date"}).code, kExitCompleted);
  CliResult r = cli({"run", "hello", "date=2026-01-02,date"});
  EXPECT_EQ(r.code, kExitRunnerError);
  EXPECT_EQ(line_count(r.err), 1);
  EXPECT_THAT(r.err, AllOf(StartsWith("cppbatch: cannot run job 'hello': "), HasSubstr("already complete"),
                           HasSubstr("use new parameters or --next")));
  EXPECT_EQ(r.out, "");
}

TEST_F(CliRunnerTest, NextStartsNewInstances) {
  ASSERT_EQ(cli({"run", "hello", "--next"}).code, kExitCompleted);
  ASSERT_EQ(cli({"run", "hello", "--next", "extra=1,long,false"}).code, kExitCompleted);
  auto executions = cli_json({"executions", "--job", "hello", "--json"});
  ASSERT_EQ(executions.size(), 2u);
  EXPECT_EQ(executions[0]["parameters"]["run.id"]["value"], 2);
  EXPECT_EQ(executions[0]["parameters"]["run.id"]["type"], "long");
  EXPECT_EQ(executions[0]["parameters"]["extra"]["identifying"], false);
  EXPECT_EQ(executions[1]["parameters"]["run.id"]["value"], 1);

  auto jobs = cli_json({"jobs", "--json"});
  auto hello = std::find_if(jobs.begin(), jobs.end(), [](const auto& j) { return j["name"] == "hello"; });
  ASSERT_NE(hello, jobs.end());
  EXPECT_EQ((*hello)["instances"], 2);
  EXPECT_EQ((*hello)["last_status"], "COMPLETED");

  CliResult r = cli({"run", "boom", "--next"});
  EXPECT_EQ(r.code, kExitRunnerError);
  EXPECT_THAT(r.err, HasSubstr("no incrementer"));
}

TEST_F(CliRunnerTest, RestartAfterFailureResumesAtTheFailedStep) {
  touch(dir_ / "fail");
  CliResult first = cli({"run", "flaky", "day=1,long"});
  ASSERT_EQ(first.code, kExitNotCompleted) << first.err;
  EXPECT_THAT(first.out, HasSubstr("marker file present"));

  fs::remove(dir_ / "fail");
  CliResult second = cli({"restart", "1"});
  EXPECT_EQ(second.code, kExitCompleted) << second.err;
  EXPECT_THAT(second.out, HasSubstr("Execution 2 of job 'flaky' ended COMPLETED"));

  auto restarted = cli_json({"show", "2", "--json"});
  ASSERT_EQ(restarted["steps"].size(), 1u) << "the completed step is not run again";
  EXPECT_EQ(restarted["steps"][0]["name"], "second");
  EXPECT_EQ(restarted["steps"][0]["status"], "COMPLETED");
  auto failed = cli_json({"show", "1", "--json"});
  ASSERT_EQ(failed["steps"].size(), 2u);
  EXPECT_EQ(failed["steps"][1]["status"], "FAILED");
  EXPECT_THAT(failed["steps"][1]["exit_description"].get<std::string>(), HasSubstr("marker file present"));

  CliResult again = cli({"restart", "1"});
  EXPECT_EQ(again.code, kExitRunnerError);
  EXPECT_THAT(again.err, HasSubstr("already complete"));
}

// --- listings --------------------------------------------------------------

TEST_F(CliRunnerTest, ExecutionsJsonHasTheStatusesNewestFirst) {
  ASSERT_EQ(cli({"run", "hello"}).code, kExitCompleted);
  ASSERT_EQ(cli({"run", "boom"}).code, kExitNotCompleted);
  auto all = cli_json({"executions", "--json"});
  ASSERT_TRUE(all.is_array());
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0]["job"], "boom");
  EXPECT_EQ(all[0]["status"], "FAILED");
  EXPECT_EQ(all[0]["exit_code"], "FAILED");
  EXPECT_EQ(all[1]["job"], "hello");
  EXPECT_EQ(all[1]["status"], "COMPLETED");
  EXPECT_TRUE(all[1]["start_time"].is_string());
  EXPECT_TRUE(all[1]["duration_ms"].is_number());

  EXPECT_EQ(cli_json({"executions", "--job", "hello", "--json"}).size(), 1u);
  EXPECT_EQ(cli_json({"executions", "--limit", "1", "--json"}).size(), 1u);

  CliResult table = cli({"executions"});
  EXPECT_EQ(table.code, kExitCompleted);
  EXPECT_THAT(table.out, AllOf(HasSubstr("STATUS"), HasSubstr("FAILED"), HasSubstr("COMPLETED")));
}

TEST_F(CliRunnerTest, ShowListsStepCounters) {
  CliResult run = cli({"run", "numbers"});
  ASSERT_EQ(run.code, kExitCompleted) << run.err;
  EXPECT_THAT(run.out, HasSubstr("load"));

  CliResult show = cli({"show", "1"});
  EXPECT_EQ(show.code, kExitCompleted);
  EXPECT_THAT(show.out, AllOf(HasSubstr("Step load"), HasSubstr("read:             10\n"),
                              HasSubstr("written:          8\n"), HasSubstr("filtered:         2\n"),
                              HasSubstr("rollbacks:        0\n"), HasSubstr("skips:            0")));

  auto json = cli_json({"show", "1", "--json"});
  EXPECT_EQ(json["status"], "COMPLETED");
  ASSERT_EQ(json["steps"].size(), 1u);
  const auto& step = json["steps"][0];
  EXPECT_EQ(step["read_count"], 10);
  EXPECT_EQ(step["write_count"], 8);
  EXPECT_EQ(step["filter_count"], 2);
  EXPECT_GE(step["commit_count"].get<int64_t>(), 4);
  EXPECT_EQ(step["rollback_count"], 0);
  EXPECT_EQ(step["skip_count"], 0);

  CliResult missing = cli({"show", "99"});
  EXPECT_EQ(missing.code, kExitRunnerError);
  EXPECT_EQ(line_count(missing.err), 1);
}

TEST_F(CliRunnerTest, JobsListsRegisteredJobsWithTheirHistory) {
  ASSERT_EQ(cli({"run", "boom"}).code, kExitNotCompleted);
  CliResult table = cli({"jobs"});
  EXPECT_EQ(table.code, kExitCompleted);
  EXPECT_THAT(table.out, AllOf(HasSubstr("says hello"), HasSubstr("always fails"), HasSubstr("FAILED")));

  auto jobs = cli_json({"jobs", "--json"});
  ASSERT_EQ(jobs.size(), 6u);
  EXPECT_EQ(jobs[0]["name"], "boom");
  EXPECT_EQ(jobs[0]["instances"], 1);
  EXPECT_EQ(jobs[0]["last_status"], "FAILED");
  EXPECT_EQ(jobs[0]["last_execution_id"], 1);
  EXPECT_EQ(jobs[1]["name"], "flaky");
  EXPECT_TRUE(jobs[1]["last_status"].is_null());
}

// --- stop and abandon ------------------------------------------------------

TEST_F(CliRunnerTest, StopOfAnExecutionThatIsNotRunningExitsTwo) {
  ASSERT_EQ(cli({"run", "hello"}).code, kExitCompleted);
  CliResult r = cli({"stop", "1"});
  EXPECT_EQ(r.code, kExitRunnerError);
  EXPECT_EQ(line_count(r.err), 1);
  EXPECT_THAT(r.err, AllOf(StartsWith("cppbatch: cannot stop execution 1: "), HasSubstr("COMPLETED")));
  EXPECT_EQ(cli({"stop", "42"}).code, kExitRunnerError);
}

TEST_F(CliRunnerTest, StopReachesAnExecutionRunningElsewhere) {
  // The "other process": its own repository object (connection) on the
  // same file, running a job held at its step's start.
  auto other = open_repository(url_);
  ASSERT_TRUE(other.ok()) << other.error().to_string();
  ThreadPoolTaskExecutor executor(1);
  JobOperator job_operator(registry_, *other.value(), &executor);
  auto handle = job_operator.start("waiter", JobParameters());
  ASSERT_TRUE(handle.ok()) << handle.error().to_string();
  const std::string id = std::to_string(handle->id());

  CliResult again = cli({"run", "waiter"});
  EXPECT_EQ(again.code, kExitRunnerError);
  EXPECT_EQ(line_count(again.err), 1);
  EXPECT_THAT(again.err, AllOf(HasSubstr("already running as execution " + id), HasSubstr("cppbatch stop ID")));
  EXPECT_EQ(cli({"restart", id}).code, kExitRunnerError);
  EXPECT_EQ(cli({"abandon", id}).code, kExitRunnerError);

  CliResult r = cli({"stop", id});
  EXPECT_EQ(r.code, kExitCompleted) << r.err;
  EXPECT_EQ(r.out, "stop requested for execution " + id + " (it stops at its next chunk boundary)\n");
  gate_.set_value();
  EXPECT_EQ(handle->wait().status, BatchStatus::STOPPED);

  CliResult restart = cli({"restart", id});
  EXPECT_EQ(restart.code, kExitCompleted) << restart.err;
  EXPECT_THAT(restart.out, HasSubstr("ended COMPLETED"));
}

TEST_F(CliRunnerTest, AbandonedExecutionIsNeverRestarted) {
  ASSERT_EQ(cli({"run", "boom", "attempt=1"}).code, kExitNotCompleted);
  CliResult abandon = cli({"abandon", "1"});
  EXPECT_EQ(abandon.code, kExitCompleted) << abandon.err;
  EXPECT_THAT(abandon.out, HasSubstr("execution 1 abandoned"));

  CliResult restart = cli({"restart", "1"});
  EXPECT_EQ(restart.code, kExitRunnerError);
  EXPECT_EQ(line_count(restart.err), 1);
  EXPECT_THAT(restart.err, AllOf(HasSubstr("ABANDONED"), HasSubstr("not restartable")));

  CliResult rerun = cli({"run", "boom", "attempt=1"});
  EXPECT_EQ(rerun.code, kExitRunnerError);

  EXPECT_EQ(cli({"abandon", "99"}).code, kExitRunnerError);
}

TEST_F(CliRunnerTest, AbandonOfACompletedExecutionExitsTwo) {
  ASSERT_EQ(cli({"run", "hello"}).code, kExitCompleted);
  CliResult r = cli({"abandon", "1"});
  EXPECT_EQ(r.code, kExitRunnerError);
  EXPECT_THAT(r.err, StartsWith("cppbatch: cannot abandon execution 1: "));
}

// --- signals ---------------------------------------------------------------

TEST_F(CliRunnerTest, SigintStopsTheRunGracefullyAndItCanBeRestarted) {
  touch(dir_ / "interrupt");
  CliResult r = cli({"run", "interrupt"});
  EXPECT_EQ(r.code, kExitNotCompleted) << r.err;
  EXPECT_THAT(r.out, AllOf(HasSubstr("ended STOPPED"), HasSubstr("resume with: cppbatch restart 1")));

  CliResult restart = cli({"restart", "1"});
  EXPECT_EQ(restart.code, kExitCompleted) << restart.err;
  auto executions = cli_json({"executions", "--json"});
  ASSERT_EQ(executions.size(), 2u);
  EXPECT_EQ(executions[1]["status"], "STOPPED");
  EXPECT_EQ(executions[0]["status"], "COMPLETED");
}

}  // namespace
}  // namespace cppbatch
