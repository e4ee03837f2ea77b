// `cppbatch dlq list|show|retry|park` through the real binary, over the
// dead letters the settlement demo leaves: prepaid transactions (no tariff
// in the standard fee schedule) and malformed ones (negative amounts).
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>

#include "e2e/e2e_support.hpp"

namespace cppbatch::testing::e2e {
namespace {

using ::testing::HasSubstr;

constexpr const char* kDate = "2026-11-21";
constexpr int64_t kCount = 20000;

class DlqCli : public ::testing::Test {
 protected:
  void SetUp() override {
    RunResult r = cli_.run({"run", "settlementJob", std::string("date=") + kDate + ",date",
                            "count=" + std::to_string(kCount) + ",long"});
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    SQLite::Database db = open_read_only(dir_ / "transactions.db");
    prepaid_ = query_long(db, "SELECT COUNT(*) FROM transactions WHERE card_type = 'prepaid' AND amount_cents > 0");
    malformed_ = query_long(db, "SELECT COUNT(*) FROM transactions WHERE amount_cents <= 0");
    ASSERT_GT(prepaid_, 0);
    ASSERT_GT(malformed_, 0) << "pick a count whose data holds a malformed transaction";
  }

  nlohmann::json list_json(std::vector<std::string> filters = {}) {
    std::vector<std::string> args = {"dlq", "list", "--json", "--limit", "100000"};
    args.insert(args.end(), filters.begin(), filters.end());
    RunResult r = cli_.run(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return nlohmann::json::parse(r.out);
  }
  std::map<std::string, int64_t> status_counts() {
    std::map<std::string, int64_t> counts;
    for (const auto& letter : list_json()) counts[letter.at("status").get<std::string>()] += 1;
    return counts;
  }
  void publish_fee_schedule_with_prepaid() {
    std::ofstream(dir_ / "fee-schedule.txt") << "# card type, per mille, fixed cents\n"
                                                "debit 14 25\ncredit 29 30\nprepaid 19 20\n";
  }

  TempDir dir_{"dlq"};
  Cli cli_{dir_.path()};
  int64_t prepaid_ = 0, malformed_ = 0;
};

TEST_F(DlqCli, ListAndShowTheSkippedTransactions) {
  nlohmann::json letters = list_json({"--job", "settlementJob"});
  ASSERT_EQ(static_cast<int64_t>(letters.size()), prepaid_ + malformed_);
  for (const auto& letter : letters) {
    EXPECT_EQ(letter.at("status"), "NEW");
    EXPECT_EQ(letter.at("step"), "settle");
    EXPECT_EQ(letter.at("phase"), "PROCESS");
  }
  EXPECT_EQ(static_cast<int64_t>(list_json({"--error-type", "settlement::MalformedTransaction"}).size()), malformed_);
  EXPECT_EQ(list_json({"--status", "PARKED"}).size(), 0u);
  EXPECT_EQ(list_json({"--job", "otherJob"}).size(), 0u);

  RunResult table = cli_.run({"dlq", "list", "--limit", "100000"});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_THAT(table.out, HasSubstr("settlement::UnknownFeeClass"));
  EXPECT_THAT(table.out, HasSubstr(fmt::format("{} dead letters listed: {} NEW", prepaid_ + malformed_, prepaid_ + malformed_)));

  const int64_t id = letters.at(0).at("id").get<int64_t>();
  RunResult show = cli_.run({"dlq", "show", std::to_string(id), "--json"});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  nlohmann::json detail = nlohmann::json::parse(show.out);
  nlohmann::json txn = nlohmann::json::parse(detail.at("payload").get<std::string>());
  EXPECT_EQ(txn.at("txn_date"), kDate);
  RunResult text = cli_.run({"dlq", "show", std::to_string(id)});
  ASSERT_EQ(text.exit_code, 0);
  EXPECT_THAT(text.out, HasSubstr("payload:\n{\"amount_cents\":"));

  RunResult missing = cli_.run({"dlq", "show", "999999"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_THAT(missing.err, HasSubstr("No dead letter with id=999999"));
  RunResult not_an_id = cli_.run({"dlq", "show", "abc"});
  EXPECT_EQ(not_an_id.exit_code, 2);
  EXPECT_THAT(not_an_id.err, HasSubstr("a dead letter id is a positive integer, got 'abc'"));
  RunResult bad_status = cli_.run({"dlq", "list", "--status", "LOST"});
  EXPECT_EQ(bad_status.exit_code, 2);
  EXPECT_THAT(bad_status.err, HasSubstr("'LOST' is not a dead-letter status"));
}

TEST_F(DlqCli, RetryAfterTheFixResolvesThenFailsAgainThenParks) {
  RunResult unknown = cli_.run({"dlq", "retry", "--job", "otherJob"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_THAT(unknown.err, HasSubstr("has no dead-letter reprocessing"));

  // Without the fix nothing resolves: every letter fails again.
  RunResult unfixed = cli_.run({"dlq", "retry", "--job", "settlementJob", "--error-type", "settlement::UnknownFeeClass"});
  ASSERT_EQ(unfixed.exit_code, 0) << unfixed.out << unfixed.err;
  EXPECT_THAT(unfixed.out, HasSubstr(fmt::format("dead letters: 0 resolved, {} failed again, 0 parked", prepaid_)));

  // The operator publishes a schedule with a prepaid tariff and retries all.
  publish_fee_schedule_with_prepaid();
  RunResult fixed = cli_.run({"dlq", "retry", "--job", "settlementJob"});
  ASSERT_EQ(fixed.exit_code, 0) << fixed.out << fixed.err;
  EXPECT_THAT(fixed.out,
              HasSubstr(fmt::format("dead letters: {} resolved, {} failed again, 0 parked", prepaid_, malformed_)));
  EXPECT_EQ(status_counts(), (std::map<std::string, int64_t>{{"FAILED_AGAIN", malformed_}, {"RESOLVED", prepaid_}}));

  // The prepaid transactions are now settled, as late lines, by the new tariff.
  {
    SQLite::Database db = open_read_only(dir_ / "transactions.db");
    db.exec("ATTACH DATABASE '" + (dir_ / "settlement.db").string() + "' AS s");
    EXPECT_EQ(query_long(db, "SELECT COUNT(*) FROM s.settlement_late"), prepaid_);
    EXPECT_EQ(query_long(db, "SELECT SUM(txn_count) FROM s.settlement"), kCount - malformed_);
    EXPECT_EQ(query_long(db, "SELECT SUM(sales_cents) FROM s.settlement"),
              query_long(db, "SELECT SUM(amount_cents) FROM transactions WHERE amount_cents > 0"));
    EXPECT_EQ(query_long(db, "SELECT SUM(fee_cents) FROM s.settlement_late"),
              query_long(db, "SELECT SUM((amount_cents * 19 + 500) / 1000 + 20) FROM transactions "
                             "WHERE card_type = 'prepaid' AND amount_cents > 0"));
  }

  // Parking on request; a parked or resolved letter cannot be parked again.
  nlohmann::json failing = list_json({"--status", "FAILED_AGAIN"});
  const std::string first = std::to_string(failing.at(0).at("id").get<int64_t>());
  RunResult park = cli_.run({"dlq", "park", first});
  ASSERT_EQ(park.exit_code, 0) << park.err;
  RunResult again = cli_.run({"dlq", "park", first});
  EXPECT_EQ(again.exit_code, 2);
  EXPECT_THAT(again.err, HasSubstr("already PARKED"));

  // The second failure of the other malformed ones reaches max attempts (2).
  RunResult second = cli_.run({"dlq", "retry", "--job", "settlementJob"});
  ASSERT_EQ(second.exit_code, 0) << second.out << second.err;
  EXPECT_THAT(second.out, HasSubstr(fmt::format("dead letters: 0 resolved, 0 failed again, {} parked", malformed_ - 1)));
  EXPECT_EQ(status_counts(), (std::map<std::string, int64_t>{{"PARKED", malformed_}, {"RESOLVED", prepaid_}}));

  // Each retry is an execution of settlementJob.dlq in the repository.
  RunResult executions = cli_.run({"executions", "--job", "settlementJob.dlq"});
  ASSERT_EQ(executions.exit_code, 0);
  EXPECT_THAT(executions.out, HasSubstr("run.id=3,long"));
}

}  // namespace
}  // namespace cppbatch::testing::e2e
