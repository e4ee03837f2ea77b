// Exactly-once across kill -9: settlementJob is killed in the middle of its
// `settle` step, then restarted (or run again with the same parameters).
// The dead execution must be recognised without hand-made SQL, the job
// must complete, every transaction must be read exactly once in committed
// chunks, and the settlement table must equal that of a run that was never
// interrupted.
#include <gtest/gtest.h>

#include "e2e/e2e_support.hpp"
#include "settlement/transaction_generator.hpp"

namespace cppbatch::testing::e2e {
namespace {

constexpr const char* kDate = "2026-11-21";
const std::string kDateParam = std::string("date=") + kDate + ",date";
// Large enough that `settle` (1500 chunks) runs far longer than one poll.
constexpr int64_t kCrashCount = 300'000;
constexpr int64_t kKillAfterCommits = 50;

std::vector<std::string> run_args(int64_t count) {
  return {"run", "settlementJob", kDateParam, "count=" + std::to_string(count) + ",long"};
}

int64_t settle_commits(const fs::path& repository) { return step_commits(repository, "settle"); }

struct InstanceFacts {
  std::vector<std::string> executions;  // "id|STATUS" in id order
  int64_t read_total = 0;               // over every execution of the step in the instance
  int64_t write_total = 0;
  int64_t step_executions = 0;
};

InstanceFacts instance_facts(const fs::path& repository, int64_t execution_id, const std::string& step) {
  SQLite::Database db = open_read_only(repository);
  const std::string instance =
      "(SELECT JOB_INSTANCE_ID FROM BATCH_JOB_EXECUTION WHERE JOB_EXECUTION_ID = " + std::to_string(execution_id) + ")";
  InstanceFacts facts;
  facts.executions =
      dump(db, "SELECT JOB_EXECUTION_ID, STATUS FROM BATCH_JOB_EXECUTION WHERE JOB_INSTANCE_ID = " + instance +
                   " ORDER BY JOB_EXECUTION_ID");
  const std::string of_step =
      " FROM BATCH_STEP_EXECUTION s JOIN BATCH_JOB_EXECUTION j ON s.JOB_EXECUTION_ID = j.JOB_EXECUTION_ID"
      " WHERE s.STEP_NAME = '" +
      step + "' AND j.JOB_INSTANCE_ID = " + instance;
  facts.read_total = query_long(db, "SELECT IFNULL(SUM(s.READ_COUNT), 0)" + of_step);
  facts.write_total = query_long(db, "SELECT IFNULL(SUM(s.WRITE_COUNT), 0)" + of_step);
  facts.step_executions = query_long(db, "SELECT COUNT(*)" + of_step);
  return facts;
}

int64_t newest_execution(const fs::path& repository) {
  SQLite::Database db = open_read_only(repository);
  return query_long(db, "SELECT MAX(JOB_EXECUTION_ID) FROM BATCH_JOB_EXECUTION");
}

// An uninterrupted run with the same parameters in its own directory,
// started in the background when the test starts (the job mostly waits
// on fsync, so it costs the crash scenario little) and collected at the end.
class ReferenceRun {
 public:
  explicit ReferenceRun(int64_t count) : cli_(dir_.path()), run_(cli_.start(run_args(count))) {}
  std::vector<std::string> settlement() {
    RunResult r = run_->result();
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    return settlement_rows(dir_.path(), kDate);
  }

 private:
  TempDir dir_{"reference"};
  Cli cli_;
  std::unique_ptr<BackgroundRun> run_;
};

// Starts the job, waits until `step` has committed `commits` chunks
// (of `total`), kills it with SIGKILL. Returns the killed execution's id.
int64_t start_and_kill_during(Cli& cli, const std::string& step, int64_t commits, int64_t total) {
  auto run = cli.start(run_args(kCrashCount));
  bool reached = eventually([&] {
    if (run->poll()) return true;  // ended early: reported below
    return step_commits(cli.repository(), step) >= commits;
  });
  EXPECT_TRUE(reached) << step << " never reached " << commits << " commits";
  EXPECT_FALSE(run->poll().has_value()) << "the job ended before it could be killed:\n" << run->result().err;
  EXPECT_EQ(run->kill_hard(), 128 + SIGKILL);
  const int64_t id = newest_execution(cli.repository());
  {
    // The repository still believes it runs: nobody updated it since.
    SQLite::Database db = open_read_only(cli.repository());
    EXPECT_EQ(query_text(db, "SELECT STATUS FROM BATCH_JOB_EXECUTION WHERE JOB_EXECUTION_ID = " + std::to_string(id)),
              "STARTED");
    const int64_t reached_commits = step_commits(cli.repository(), step);
    EXPECT_GE(reached_commits, commits);
    EXPECT_LT(reached_commits, total) << step << " finished before the kill: the test proves nothing";
  }
  return id;
}

int64_t start_and_kill_during_settle(Cli& cli) {
  return start_and_kill_during(cli, "settle", kKillAfterCommits, kCrashCount / 200);
}

// The killed execution is FAILED, the next one COMPLETED; generate and
// settle, over all their executions, read every item once and wrote every
// accepted one once; every rejected one is in the dead-letter table once.
void expect_exactly_once(Cli& cli, int64_t killed_id, int64_t count, int64_t settle_executions) {
  const int64_t final_id = newest_execution(cli.repository());
  ASSERT_NE(final_id, killed_id);
  InstanceFacts settle = instance_facts(cli.repository(), killed_id, "settle");
  EXPECT_EQ(settle.executions,
            (std::vector<std::string>{std::to_string(killed_id) + "|FAILED", std::to_string(final_id) + "|COMPLETED"}));
  EXPECT_EQ(settle.step_executions, settle_executions);
  EXPECT_EQ(settle.read_total, count);  // none read twice in committed chunks, none missed
  const int64_t rejected = expect_dead_letters_are_the_rejected_transactions(cli.repository().parent_path(), kDate);
  EXPECT_EQ(settle.write_total + rejected, count);
  InstanceFacts generate = instance_facts(cli.repository(), killed_id, "generate");
  EXPECT_EQ(generate.read_total, count);
  EXPECT_EQ(generate.write_total, count);
}

TEST(SettlementCrash, KillNineDuringSettleThenRestartIsExactlyOnce) {
  ReferenceRun reference(kCrashCount);
  TempDir dir("crash-restart");
  Cli cli(dir.path());
  const int64_t killed = start_and_kill_during_settle(cli);

  RunResult restart = cli.run({"restart", std::to_string(killed)});
  ASSERT_EQ(restart.exit_code, 0) << restart.out << restart.err;
  expect_exactly_once(cli, killed, kCrashCount, 2);
  EXPECT_EQ(settlement_rows(dir.path(), kDate), reference.settlement());  // every row, ordered
}

TEST(SettlementCrash, KillNineDuringSettleThenRunAgainIsExactlyOnce) {
  ReferenceRun reference(kCrashCount);
  TempDir dir("crash-rerun");
  Cli cli(dir.path());
  const int64_t killed = start_and_kill_during_settle(cli);

  RunResult again = cli.run(run_args(kCrashCount));
  ASSERT_EQ(again.exit_code, 0) << again.out << again.err;
  expect_exactly_once(cli, killed, kCrashCount, 2);
  EXPECT_EQ(settlement_rows(dir.path(), kDate), reference.settlement());
}

TEST(SettlementCrash, KillNineDuringGenerateThenRestartRegeneratesExactly) {
  TempDir dir("crash-generate");
  Cli cli(dir.path());
  const int64_t killed = start_and_kill_during(cli, "generate", 2, kCrashCount / 5000);

  RunResult restart = cli.run({"restart", std::to_string(killed)});
  ASSERT_EQ(restart.exit_code, 0) << restart.out << restart.err;
  expect_exactly_once(cli, killed, kCrashCount, /*settle_executions=*/1);
  expect_settlement_matches_transactions(dir.path(), kDate, kCrashCount);
  // Every generated row is the one the generator defines, none twice.
  SQLite::Database db = open_read_only(dir / "transactions.db");
  SQLite::Statement rows(db,
                         "SELECT id, txn_date, seller_id, buyer_id, amount_cents, currency, card_type "
                         "FROM transactions ORDER BY id");
  const Date date = *parse_date(kDate);
  int64_t i = 0;
  while (rows.executeStep()) {
    const settlement::Transaction want = settlement::make_transaction(date, kDate, i++);
    settlement::Transaction got{rows.getColumn(0).getInt64(),
                                rows.getColumn(1).getString(),
                                rows.getColumn(2).getInt64(),
                                rows.getColumn(3).getInt64(),
                                rows.getColumn(4).getInt64(),
                                rows.getColumn(5).getString(),
                                settlement::parse_card_type(rows.getColumn(6).getString())};
    ASSERT_EQ(got, want) << "row " << i;
  }
  EXPECT_EQ(i, kCrashCount);
}

// The one window where exactly-once depends on the writer being idempotent:
// the chunk is committed in settlement.db but its checkpoint is not. The
// demo's kill point dies exactly there (after the writer's 10th commit),
// so the restart replays a chunk the table already holds.
TEST(SettlementCrash, KillBetweenWriterCommitAndCheckpointIsExactlyOnce) {
  constexpr int64_t kCount = 20'000;
  ReferenceRun reference(kCount);
  TempDir dir("crash-window");
  Cli cli(dir.path());
  cli.set_env({"CPPBATCH_DEMO_KILL_AFTER_SETTLEMENT_COMMIT=10"});
  RunResult killed_run = cli.run(run_args(kCount));
  ASSERT_EQ(killed_run.exit_code, 128 + SIGKILL) << killed_run.err;
  const int64_t killed = newest_execution(cli.repository());
  EXPECT_EQ(settle_commits(cli.repository()), 9);  // checkpoint of chunk 10 never committed
  {
    // The first 10 chunks' accepted transactions are in settlement.db (the
    // writer committed chunk 10); the dead letters of the first 9 only
    // (chunk 10's were in the repository transaction that died).
    SQLite::Database transactions = open_read_only(dir / "transactions.db");
    auto accepted_in_first = [&](int chunks) {
      return query_long(transactions, "SELECT COUNT(*) FROM (SELECT * FROM transactions ORDER BY id LIMIT " +
                                          std::to_string(chunks * 200) + ") WHERE NOT " + kRejectedTransaction);
    };
    SQLite::Database db = open_read_only(dir / "settlement.db");
    EXPECT_EQ(query_long(db, "SELECT SUM(txn_count) FROM settlement"), accepted_in_first(10));
    SQLite::Database repository = open_read_only(cli.repository());
    EXPECT_EQ(query_long(repository, "SELECT COUNT(*) FROM BATCH_DEAD_LETTER"), 9 * 200 - accepted_in_first(9));
    EXPECT_LT(accepted_in_first(10), 10 * 200) << "the first chunks hold rejected transactions";
  }

  cli.set_env({});
  RunResult restart = cli.run({"restart", std::to_string(killed)});
  ASSERT_EQ(restart.exit_code, 0) << restart.out << restart.err;
  expect_exactly_once(cli, killed, kCount, 2);
  EXPECT_EQ(settlement_rows(dir.path(), kDate), reference.settlement());
}

}  // namespace
}  // namespace cppbatch::testing::e2e
