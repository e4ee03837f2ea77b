// The settlement demo's components in process: fees, generated data,
// parameters, and the writer's idempotence (the property the crash tests
// rely on), without the binary.
#include <gtest/gtest.h>

#include "cppbatch/core/job_execution.hpp"
#include "e2e/e2e_support.hpp"
#include "settlement/fee_calculator.hpp"
#include "settlement/report_tasklet.hpp"
#include "settlement/settlement_parameters.hpp"
#include "settlement/settlement_writer.hpp"
#include "settlement/transaction_generator.hpp"

namespace cppbatch::testing::e2e {
namespace {

using settlement::CardType;
using settlement::SettlementLine;

TEST(SettlementFees, PercentageRoundsHalfUpPlusFixedPart) {
  EXPECT_EQ(settlement::fee_cents(10'000, CardType::DEBIT), 140 + 25);
  EXPECT_EQ(settlement::fee_cents(10'000, CardType::CREDIT), 290 + 30);
  // 1.4 % of 250 = 3.5 -> 4; of 249 = 3.486 -> 3; 2.9 % of 50 = 1.45 -> 1.
  EXPECT_EQ(settlement::fee_cents(250, CardType::DEBIT), 4 + 25);
  EXPECT_EQ(settlement::fee_cents(249, CardType::DEBIT), 3 + 25);
  EXPECT_EQ(settlement::fee_cents(50, CardType::CREDIT), 1 + 30);
  EXPECT_EQ(settlement::fee_cents(0, CardType::CREDIT), 30);
}

TEST(SettlementGenerator, SameDateAndIndexGiveTheSameTransaction) {
  const Date date = *parse_date("2026-11-21");
  const auto a = settlement::make_transaction(date, "2026-11-21", 12345);
  const auto b = settlement::make_transaction(date, "2026-11-21", 12345);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, settlement::make_transaction(date, "2026-11-21", 12346));
  const Date other = *parse_date("2026-11-22");
  EXPECT_NE(a.id, settlement::make_transaction(other, "2026-11-22", 12345).id);
  EXPECT_EQ(a.id, settlement::date_serial(date) * settlement::kIdsPerDate + 12346);
}

TEST(SettlementGenerator, ValuesStayInRange) {
  const Date date = *parse_date("2026-11-21");
  int64_t credit = 0, prepaid = 0, negative = 0;
  for (int64_t i = 0; i < 20'000; ++i) {
    const auto t = settlement::make_transaction(date, "2026-11-21", i);
    ASSERT_GE(t.seller_id, 1);
    ASSERT_LE(t.seller_id, settlement::kSellers);
    ASSERT_GE(t.buyer_id, 1);
    ASSERT_LE(t.buyer_id, settlement::kBuyers);
    ASSERT_GE(t.amount_cents < 0 ? -t.amount_cents : t.amount_cents, 100);
    ASSERT_EQ(t.currency, "USD");
    credit += t.card_type == CardType::CREDIT ? 1 : 0;
    prepaid += t.card_type == CardType::PREPAID ? 1 : 0;
    negative += t.amount_cents < 0 ? 1 : 0;
  }
  EXPECT_NEAR(static_cast<double>(credit) / 20'000, 0.4, 0.02);
  // The feed's dirt: ~0.1 % prepaid cards, ~1 in 20,000 negative amounts.
  EXPECT_GT(prepaid, 5);
  EXPECT_LT(prepaid, 50);
  EXPECT_LT(negative, 6);
}

TEST(SettlementParameters, AcceptsTypedAndTextFormsAndRefusesTheRest) {
  settlement::SettlementParametersValidator validator;
  auto params = [](std::initializer_list<std::pair<const char*, JobParameter>> list) {
    JobParametersBuilder b;
    for (const auto& [name, value] : list) b.add(name, value);
    return b.build();
  };
  EXPECT_TRUE(validator.validate(params({{"date", JobParameter(*parse_date("2026-11-21"))}})));
  EXPECT_TRUE(validator.validate(
      params({{"date", JobParameter(std::string("2026-11-21"))}, {"count", JobParameter(std::string("10"))}})));
  EXPECT_TRUE(validator.validate(params({{"date", JobParameter(*parse_date("2026-11-21"))},
                                         {"count", JobParameter(int64_t{10})},
                                         {"run.id", JobParameter(int64_t{3})},
                                         {"workdir", JobParameter(std::string("/tmp"), false)}})));
  EXPECT_FALSE(validator.validate(params({})));
  EXPECT_FALSE(validator.validate(params({{"date", JobParameter(std::string("2026-02-30"))}})));
  EXPECT_FALSE(validator.validate(params({{"date", JobParameter(int64_t{20261121})}})));
  EXPECT_FALSE(validator.validate(
      params({{"date", JobParameter(*parse_date("2026-11-21"))}, {"count", JobParameter(int64_t{-1})}})));
  EXPECT_FALSE(validator.validate(
      params({{"date", JobParameter(*parse_date("2026-11-21"))}, {"colour", JobParameter(std::string("blue"))}})));
}

TEST(SettlementReport, FormatsMoneyWithThousandsSeparators) {
  EXPECT_EQ(settlement::format_cents(0), "$0.00");
  EXPECT_EQ(settlement::format_cents(5), "$0.05");
  EXPECT_EQ(settlement::format_cents(123456789), "$1,234,567.89");
  EXPECT_EQ(settlement::format_cents(-100000), "-$1,000.00");
}

// Drives a SettlementWriter over a settlement.db in a temp dir.
class SettlementWriterTest : public ::testing::Test {
 protected:
  SettlementWriterTest() {
    execution_.job_parameters = JobParametersBuilder()
                                    .add_date("date", *parse_date("2026-11-21"))
                                    .add_string("workdir", dir_.path().string(), false)
                                    .add_long("faults", faults_, false)
                                    .build();
    step_ = &execution_.create_step_execution("settle");
    scope_->before_step(*step_);
  }

  // Writes `lines` in chunks of `chunk_size` through a fresh writer (as a
  // new execution after a crash would).
  void write_all(const std::vector<SettlementLine>& lines, size_t chunk_size) {
    settlement::SettlementWriter writer(scope_);
    ExecutionContext context;
    writer.open(context);
    for (size_t at = 0; at < lines.size(); at += chunk_size) {
      Chunk<SettlementLine> chunk;
      for (size_t i = at; i < std::min(lines.size(), at + chunk_size); ++i) chunk.add(lines[i]);
      writer.write(chunk);
    }
    writer.close();
  }

  std::vector<std::string> rows() { return settlement_rows(dir_.path(), "2026-11-21"); }

  static std::vector<SettlementLine> lines(int64_t from_id, int64_t to_id) {
    std::vector<SettlementLine> out;
    for (int64_t id = from_id; id <= to_id; ++id) out.push_back({1 + id % 7, 1000 + id, 10 + id % 3, id});
    return out;
  }

  int64_t faults_ = 0;  // no injected transient faults unless a test asks
  TempDir dir_{"writer"};
  JobExecution execution_;
  StepExecution* step_ = nullptr;
  std::shared_ptr<settlement::ParameterScope> scope_ = std::make_shared<settlement::ParameterScope>();
};

TEST_F(SettlementWriterTest, AggregatesPerSeller) {
  write_all({{5, 1000, 39, 1}, {6, 500, 32, 2}, {5, 2000, 53, 3}}, 200);
  EXPECT_EQ(rows(), (std::vector<std::string>{"2026-11-21|5|2|3000|92|2908|3", "2026-11-21|6|1|500|32|468|2"}));
}

TEST_F(SettlementWriterTest, ReplayedChunksChangeNothing) {
  write_all(lines(1, 1000), 200);
  const auto once = rows();
  write_all(lines(801, 1000), 200);  // the last chunk again (crash before its checkpoint)
  EXPECT_EQ(rows(), once);
  write_all(lines(1, 1000), 200);  // everything again (a new instance for the same date)
  EXPECT_EQ(rows(), once);
}

TEST_F(SettlementWriterTest, ReplayWithOtherChunkBoundariesIsStillExact) {
  write_all(lines(1, 1000), 200);
  const auto reference = rows();
  for (const char* file : {"settlement.db", "settlement.db-wal", "settlement.db-shm"}) {
    std::error_code ignored;
    std::filesystem::remove(dir_ / file, ignored);
  }
  write_all(lines(1, 900), 300);     // crashed after 900 items...
  write_all(lines(701, 1000), 137);  // ...replayed from an older point with another chunk size
  EXPECT_EQ(rows(), reference);
}

// faults=N: the first attempt at the chunk holding transaction index 100
// (of each N·200) fails as a busy database would, before writing anything;
// the second attempt writes it.
TEST(SettlementWriterFaults, TheFaultyChunkFailsOnceThenWrites) {
  TempDir dir("writer-faults");
  JobExecution execution;
  execution.job_parameters = JobParametersBuilder()
                                 .add_date("date", *parse_date("2026-11-21"))
                                 .add_string("workdir", dir.path().string(), false)
                                 .add_long("faults", 1, false)  // every chunk of 200 holds index 100
                                 .build();
  auto scope = std::make_shared<settlement::ParameterScope>();
  scope->before_step(execution.create_step_execution("settle"));
  settlement::SettlementWriter writer(scope);
  ExecutionContext context;
  writer.open(context);
  Chunk<SettlementLine> chunk;
  for (int64_t id = 1; id <= 200; ++id) chunk.add({1, 100, 10, id});
  EXPECT_THROW(writer.write(chunk), settlement::TransientSettlementError);
  EXPECT_TRUE(settlement_rows(dir.path(), "2026-11-21").empty());
  writer.write(chunk);
  EXPECT_EQ(settlement_rows(dir.path(), "2026-11-21"), (std::vector<std::string>{"2026-11-21|1|200|20000|2000|18000|200"}));
  writer.close();
}

// The reprocessing writer adds skipped transactions late, in any order and
// below the high-water mark, once each however often a chunk is replayed.
TEST(LateSettlementWriter, AddsLateLinesOnceAndKeepsTheMark) {
  TempDir dir("late-writer");
  const int64_t day = settlement::date_serial(*parse_date("2026-11-21")) * settlement::kIdsPerDate;
  auto write = [&](const std::vector<SettlementLine>& lines) {
    settlement::LateSettlementWriter writer([&] { return dir.path(); });
    ExecutionContext context;
    writer.open(context);
    Chunk<SettlementLine> chunk;
    for (const auto& line : lines) chunk.add(line);
    writer.write(chunk);
    writer.close();
  };
  {
    SQLite::Database db((dir / "settlement.db").string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec(settlement::kSettlementSchema);
    db.exec("INSERT INTO settlement VALUES('2026-11-21', 5, 10, 5000, 100, 4900, " + std::to_string(day + 900) + ")");
  }
  write({{5, 700, 30, day + 300}, {6, 200, 25, day + 12}});
  const auto once = settlement_rows(dir.path(), "2026-11-21");
  EXPECT_EQ(once, (std::vector<std::string>{"2026-11-21|5|11|5700|130|5570|" + std::to_string(day + 900),
                                            "2026-11-21|6|1|200|25|175|0"}));
  write({{6, 200, 25, day + 12}, {5, 700, 30, day + 300}});  // replayed after a crash
  EXPECT_EQ(settlement_rows(dir.path(), "2026-11-21"), once);
}

}  // namespace
}  // namespace cppbatch::testing::e2e
