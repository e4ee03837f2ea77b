// settlementJob through the real `cppbatch` binary: a complete run and its
// results, Spring's launch rules as exit codes, bad parameters, a failing
// job.
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "e2e/e2e_support.hpp"

namespace cppbatch::testing::e2e {
namespace {

using ::testing::HasSubstr;

constexpr const char* kDate = "2026-11-21";

std::string date_param(const std::string& date = kDate) { return "date=" + date + ",date"; }

int64_t last_execution_id(const fs::path& repository) {
  SQLite::Database db = open_read_only(repository);
  return query_long(db, "SELECT MAX(JOB_EXECUTION_ID) FROM BATCH_JOB_EXECUTION");
}

std::string execution_status(const fs::path& repository, int64_t id) {
  SQLite::Database db = open_read_only(repository);
  return query_text(db, "SELECT STATUS FROM BATCH_JOB_EXECUTION WHERE JOB_EXECUTION_ID = " + std::to_string(id));
}

TEST(SettlementCli, RunsToCompletionAndSettlesEveryTransaction) {
  TempDir dir("complete");
  Cli cli(dir.path());
  RunResult r = cli.run({"run", "settlementJob", date_param(), "count=20000,long"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_EQ(execution_status(cli.repository(), last_execution_id(cli.repository())), "COMPLETED");

  expect_settlement_matches_transactions(dir.path(), kDate, 20000);

  const fs::path report = dir / "settlement-report-2026-11-21.txt";
  ASSERT_TRUE(fs::exists(report));
  std::string text = read_file(report);
  EXPECT_THAT(text, HasSubstr("Settlement report for 2026-11-21"));
  EXPECT_THAT(text, HasSubstr("20,000"));
  EXPECT_THAT(text, HasSubstr("Reconciliation with transactions.db: OK"));
  EXPECT_THAT(text, HasSubstr("Top 10 sellers by sales"));

  // Step counters mean what they mean in Spring Batch: every rejected
  // transaction is a process skip that cost one rollback, and the one
  // injected transient writer fault (faults=100: the chunk holding
  // transaction 100) one more, retried with success.
  SQLite::Database repo = open_read_only(cli.repository());
  const int64_t sellers = static_cast<int64_t>(settlement_rows(dir.path(), kDate).size());
  const int64_t rejected = expect_dead_letters_are_the_rejected_transactions(dir.path(), kDate);
  const std::string accepted = std::to_string(20000 - rejected);
  EXPECT_EQ(dump(repo,
                 "SELECT STEP_NAME, STATUS, READ_COUNT, WRITE_COUNT, COMMIT_COUNT, PROCESS_SKIP_COUNT, ROLLBACK_COUNT "
                 "FROM BATCH_STEP_EXECUTION ORDER BY STEP_EXECUTION_ID"),
            (std::vector<std::string>{
                "generate|COMPLETED|20000|20000|5|0|0",  // 4 full chunks + the one that meets the end
                "settle|COMPLETED|20000|" + accepted + "|101|" + std::to_string(rejected) + "|" +
                    std::to_string(rejected + 1),  // 100 full chunks + the end
                "report|COMPLETED|" + std::to_string(sellers) + "|1|1|0|0"}));
  EXPECT_THAT(text, HasSubstr(fmt::format("{:<14}{:>20}", "Dead letters", rejected)));
}

TEST(SettlementCli, SameParametersAreRefusedNextAndOtherDatesRun) {
  TempDir dir("relaunch");
  Cli cli(dir.path());
  const std::vector<std::string> run = {"run", "settlementJob", date_param(), "count=2000,long"};
  RunResult first = cli.run(run);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  const std::string report_before = read_file(dir / "settlement-report-2026-11-21.txt");
  const std::vector<std::string> rows_before = settlement_rows(dir.path(), kDate);

  RunResult again = cli.run(run);
  EXPECT_EQ(again.exit_code, 2) << again.out << again.err;
  EXPECT_THAT(again.err, HasSubstr("complete"));

  std::vector<std::string> next = run;
  next.push_back("--next");
  RunResult with_next = cli.run(next);
  EXPECT_EQ(with_next.exit_code, 0) << with_next.out << with_next.err;
  // A new instance for the same date settles nothing twice.
  EXPECT_EQ(settlement_rows(dir.path(), kDate), rows_before);
  EXPECT_EQ(read_file(dir / "settlement-report-2026-11-21.txt"), report_before);

  RunResult other_day = cli.run({"run", "settlementJob", date_param("2026-11-22"), "count=2000,long"});
  EXPECT_EQ(other_day.exit_code, 0) << other_day.out << other_day.err;
  expect_settlement_matches_transactions(dir.path(), "2026-11-22", 2000);
  EXPECT_TRUE(fs::exists(dir / "settlement-report-2026-11-22.txt"));
  EXPECT_EQ(settlement_rows(dir.path(), kDate), rows_before);  // the other day is untouched
}

TEST(SettlementCli, BadParametersAreRunnerErrors) {
  TempDir dir("params");
  Cli cli(dir.path());

  RunResult bad_date = cli.run({"run", "settlementJob", "date=2026-02-30,date"});
  EXPECT_EQ(bad_date.exit_code, 2) << bad_date.err;
  EXPECT_THAT(bad_date.err, HasSubstr("2026-02-30"));

  RunResult bad_date_text = cli.run({"run", "settlementJob", "date=yesterday"});
  EXPECT_EQ(bad_date_text.exit_code, 2) << bad_date_text.err;
  EXPECT_THAT(bad_date_text.err, HasSubstr("date"));

  RunResult bad_count = cli.run({"run", "settlementJob", date_param(), "count=lots"});
  EXPECT_EQ(bad_count.exit_code, 2) << bad_count.err;
  EXPECT_THAT(bad_count.err, HasSubstr("count"));

  RunResult unknown_job = cli.run({"run", "noSuchJob", date_param()});
  EXPECT_EQ(unknown_job.exit_code, 2) << unknown_job.err;
  EXPECT_THAT(unknown_job.err, HasSubstr("noSuchJob"));

  RunResult missing_date = cli.run({"run", "settlementJob", "count=10,long"});
  EXPECT_EQ(missing_date.exit_code, 2) << missing_date.err;
  EXPECT_THAT(missing_date.err, HasSubstr("date"));

  RunResult unexpected_key = cli.run({"run", "settlementJob", date_param(), "colour=blue"});
  EXPECT_EQ(unexpected_key.exit_code, 2) << unexpected_key.err;
  EXPECT_THAT(unexpected_key.err, HasSubstr("colour"));

  // Nothing was launched.
  EXPECT_FALSE(fs::exists(dir / "transactions.db"));
}

TEST(SettlementCli, FailingJobExitsOneAndShowExplains) {
  TempDir dir("failing");
  Cli cli(dir.path());
  const fs::path not_a_directory = dir / "workdir-is-a-file";
  { std::ofstream(not_a_directory) << "not a directory\n"; }

  RunResult r = cli.run({"run", "settlementJob", date_param(), "count=1000,long",
                         "workdir=" + not_a_directory.string() + ",string,false"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  const int64_t id = last_execution_id(cli.repository());
  EXPECT_EQ(execution_status(cli.repository(), id), "FAILED");

  RunResult show = cli.run({"show", std::to_string(id)});
  EXPECT_EQ(show.exit_code, 0) << show.err;
  EXPECT_THAT(show.out, HasSubstr("FAILED"));
  EXPECT_THAT(show.out, HasSubstr("generate"));
  EXPECT_THAT(show.out, HasSubstr("transactions.db"));  // the failure names the file it could not open
}

}  // namespace
}  // namespace cppbatch::testing::e2e
