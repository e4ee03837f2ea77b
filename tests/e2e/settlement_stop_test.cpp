// A stop issued from another process while settlementJob is committing
// chunks: the `cppbatch stop` process must get its write into the shared
// SQLite repository between chunks (the job may not hold the write lock
// for whole chunks), the job must end STOPPED at a chunk boundary, and a
// restart must finish with every transaction settled exactly once.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "e2e/e2e_support.hpp"
#include "settlement/settlement_job.hpp"

namespace cppbatch::testing::e2e {
namespace {

constexpr const char* kDate = "2026-11-23";
constexpr int64_t kCount = 300'000;  // 1,500 settle chunks: far longer than the stop takes

TEST(SettlementStop, StopFromAnotherProcessDuringSettleThenRestartIsExactlyOnce) {
  TempDir dir("stop");
  Cli cli(dir.path());
  auto run = cli.start({"run", "settlementJob", std::string("date=") + kDate + ",date",
                        "count=" + std::to_string(kCount) + ",long"});
  ASSERT_TRUE(eventually([&] { return run->poll().has_value() || step_commits(cli.repository(), "settle") >= 20; }));
  ASSERT_FALSE(run->poll().has_value()) << "ended before the stop: " << run->result().err;

  RunResult stop = cli.run({"stop", "1"});
  EXPECT_EQ(stop.exit_code, 0) << stop.err;
  {
    // The request is in the repository when `stop` returns: STOPPING until
    // the job reaches its chunk boundary (or already STOPPED).
    SQLite::Database db = open_read_only(cli.repository());
    EXPECT_THAT(query_text(db, "SELECT STATUS FROM BATCH_JOB_EXECUTION WHERE JOB_EXECUTION_ID = 1"),
                ::testing::AnyOf("STOPPING", "STOPPED"));
  }
  RunResult stopped = run->result();
  EXPECT_EQ(stopped.exit_code, 1) << "a STOPPED job exits 1:\n" << stopped.err;

  {
    SQLite::Database db = open_read_only(cli.repository());
    EXPECT_EQ(query_text(db, "SELECT STATUS FROM BATCH_JOB_EXECUTION WHERE JOB_EXECUTION_ID = 1"), "STOPPED");
    EXPECT_EQ(query_text(db, "SELECT STATUS FROM BATCH_STEP_EXECUTION WHERE JOB_EXECUTION_ID = 1 AND "
                             "STEP_NAME = 'settle'"),
              "STOPPED");
    const int64_t read_before = query_long(
        db, "SELECT READ_COUNT FROM BATCH_STEP_EXECUTION WHERE JOB_EXECUTION_ID = 1 AND STEP_NAME = 'settle'");
    EXPECT_GT(read_before, 0);
    EXPECT_LT(read_before, kCount) << "the stop arrived after the step had finished: the test proves nothing";
    // Stopped at a chunk boundary: whole chunks read, each committed.
    EXPECT_EQ(read_before, static_cast<int64_t>(settlement::kSettleChunkSize) *
                               query_long(db, "SELECT COMMIT_COUNT FROM BATCH_STEP_EXECUTION WHERE "
                                              "JOB_EXECUTION_ID = 1 AND STEP_NAME = 'settle'"));
    EXPECT_EQ(query_long(db, "SELECT COUNT(*) FROM BATCH_JOB_EXECUTION_LEASE"), 0) << "the stopped run released it";
  }

  RunResult restarted = cli.run({"restart", "1"});
  ASSERT_EQ(restarted.exit_code, 0) << restarted.err;
  SQLite::Database db = open_read_only(cli.repository());
  EXPECT_EQ(query_text(db, "SELECT STATUS FROM BATCH_JOB_EXECUTION WHERE JOB_EXECUTION_ID = 2"), "COMPLETED");
  // generate completed in execution 1 and is not run again.
  EXPECT_EQ(query_long(db, "SELECT COUNT(*) FROM BATCH_STEP_EXECUTION WHERE STEP_NAME = 'generate'"), 1);
  EXPECT_EQ(query_long(db, "SELECT SUM(READ_COUNT) FROM BATCH_STEP_EXECUTION WHERE STEP_NAME = 'settle'"), kCount);
  expect_settlement_matches_transactions(dir.path(), kDate, kCount);
}

}  // namespace
}  // namespace cppbatch::testing::e2e
