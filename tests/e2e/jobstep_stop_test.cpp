// A job file whose parent job runs a long child job as a step (JobStep),
// stopped with `cppbatch stop PARENT` from another process: the child stops
// at a chunk boundary, the parent ends STOPPED, and a restart of the parent
// resumes the child where it stopped — every line copied exactly once.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "e2e/e2e_support.hpp"

namespace cppbatch::testing::e2e {
namespace {

constexpr int64_t kLines = 400'000;  // 80,000 chunks of 5: far longer than the stop takes

constexpr const char* kJobFile = R"(jobs:
  - id: copyJob
    steps:
      - step: copy
        chunk:
          commit-interval: 5
          reader: {type: delimitedFileReader, path: "#{jobParameters['input']}", names: [id, name]}
          writer: {type: delimitedFileWriter, path: "#{jobParameters['output']}"}
  - id: parentJob
    steps:
      - step: runCopy
        job: copyJob
)";

std::string status_of(SQLite::Database& db, const std::string& job) {
  return query_text(db, "SELECT E.STATUS FROM BATCH_JOB_EXECUTION E JOIN BATCH_JOB_INSTANCE I ON "
                        "I.JOB_INSTANCE_ID = E.JOB_INSTANCE_ID WHERE I.JOB_NAME = '" + job +
                            "' ORDER BY E.JOB_EXECUTION_ID DESC LIMIT 1");
}

TEST(JobStepStop, StoppingTheParentFromAnotherProcessStopsTheChildAndARestartCopiesEachLineOnce) {
  TempDir dir("jobstep-stop");
  Cli cli(dir.path());
  std::ofstream(dir.path() / "jobs.yaml") << kJobFile;
  write_numbered_csv(dir.path() / "input.csv", kLines);
  const std::vector<std::string> parameters = {"input=input.csv", "output=output.csv"};
  std::vector<std::string> run_args = {"run", "--file", "jobs.yaml", "parentJob"};
  run_args.insert(run_args.end(), parameters.begin(), parameters.end());
  auto run = cli.start(run_args);
  ASSERT_TRUE(eventually([&] { return run->poll().has_value() || step_commits(cli.repository(), "copy") >= 20; }));
  ASSERT_FALSE(run->poll().has_value()) << "ended before the stop: " << run->result().err;

  RunResult stop = cli.run({"stop", "1"});  // the parent: the child's execution is 2
  EXPECT_EQ(stop.exit_code, 0) << stop.err;
  RunResult stopped = run->result();
  EXPECT_EQ(stopped.exit_code, 1) << "a STOPPED job exits 1:\n" << stopped.err;
  {
    SQLite::Database db = open_read_only(cli.repository());
    EXPECT_EQ(status_of(db, "parentJob"), "STOPPED");
    EXPECT_EQ(status_of(db, "copyJob"), "STOPPED") << "the child stopped, not ran to its end";
    EXPECT_EQ(query_text(db, "SELECT STATUS FROM BATCH_STEP_EXECUTION WHERE STEP_NAME = 'runCopy'"), "STOPPED");
    const int64_t read = query_long(db, "SELECT READ_COUNT FROM BATCH_STEP_EXECUTION WHERE STEP_NAME = 'copy'");
    EXPECT_GT(read, 0);
    EXPECT_LT(read, kLines);
    EXPECT_EQ(read, 5 * query_long(db, "SELECT COMMIT_COUNT FROM BATCH_STEP_EXECUTION WHERE STEP_NAME = 'copy'"))
        << "stopped at a chunk boundary";
  }

  std::vector<std::string> restart_args = {"restart", "--file", "jobs.yaml", "1"};
  RunResult restarted = cli.run(restart_args);
  ASSERT_EQ(restarted.exit_code, 0) << restarted.err;
  SQLite::Database db = open_read_only(cli.repository());
  EXPECT_EQ(status_of(db, "parentJob"), "COMPLETED");
  EXPECT_EQ(status_of(db, "copyJob"), "COMPLETED");
  EXPECT_EQ(query_long(db, "SELECT COUNT(DISTINCT JOB_INSTANCE_ID) FROM BATCH_JOB_INSTANCE WHERE JOB_NAME = 'copyJob'"),
            1)
      << "the restart resumed the same child instance";
  EXPECT_EQ(query_long(db, "SELECT SUM(READ_COUNT) FROM BATCH_STEP_EXECUTION WHERE STEP_NAME = 'copy'"), kLines);
  EXPECT_EQ(read_file(dir.path() / "output.csv"), read_file(dir.path() / "input.csv"));
}

}  // namespace
}  // namespace cppbatch::testing::e2e
