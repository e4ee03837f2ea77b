// A job file's chunk step with read-ahead (the next chunk is read while one
// is written), killed with SIGKILL mid-run and restarted: the checkpoint is
// that of the last committed chunk, not the reader's position a chunk
// further on, so the output is the input — no line missing, none twice.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "e2e/e2e_support.hpp"

namespace cppbatch::testing::e2e {
namespace {

constexpr int64_t kLines = 400'000;  // 80,000 chunks of 5: far longer than the kill takes

constexpr const char* kJobFile = R"(jobs:
  - id: copyJob
    steps:
      - step: copy
        chunk:
          commit-interval: 5
          read-ahead: true
          reader: {type: delimitedFileReader, path: "#{jobParameters['input']}", names: [id, name]}
          writer: {type: delimitedFileWriter, path: "#{jobParameters['output']}"}
)";

TEST(ReadAheadCrash, KillNineMidRunThenRestartCopiesEachLineOnce) {
  TempDir dir("read-ahead-crash");
  Cli cli(dir.path());
  std::ofstream(dir.path() / "jobs.yaml") << kJobFile;
  write_numbered_csv(dir.path() / "input.csv", kLines);
  auto run = cli.start({"run", "--file", "jobs.yaml", "copyJob", "input=input.csv", "output=output.csv"});
  ASSERT_TRUE(eventually([&] { return run->poll().has_value() || step_commits(cli.repository(), "copy") >= 50; }));
  ASSERT_FALSE(run->poll().has_value()) << "ended before the kill: " << run->result().err;
  run->kill_hard();
  int64_t committed = 0;
  {
    SQLite::Database db = open_read_only(cli.repository());
    committed = query_long(db, "SELECT READ_COUNT FROM BATCH_STEP_EXECUTION WHERE STEP_NAME = 'copy'");
    EXPECT_GT(committed, 0);
    EXPECT_LT(committed, kLines);
  }

  RunResult restarted = cli.run({"restart", "--file", "jobs.yaml", "1"});
  ASSERT_EQ(restarted.exit_code, 0) << restarted.err;
  SQLite::Database db = open_read_only(cli.repository());
  EXPECT_EQ(query_long(db, "SELECT COUNT(*) FROM BATCH_STEP_EXECUTION WHERE STEP_NAME = 'copy'"), 2);
  EXPECT_EQ(query_long(db, "SELECT SUM(READ_COUNT) FROM BATCH_STEP_EXECUTION WHERE STEP_NAME = 'copy'"), kLines)
      << "the restart read from the killed run's last committed line";
  EXPECT_EQ(read_file(dir.path() / "output.csv"), read_file(dir.path() / "input.csv"));
}

}  // namespace
}  // namespace cppbatch::testing::e2e
