#include "settlement/report_tasklet.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>

#include <nlohmann/json.hpp>
#include <set>

#include "cppbatch/common/logging.hpp"
#include "cppbatch/infrastructure/sqlite_database.hpp"
#include "settlement/settlement_job.hpp"
#include "settlement/settlement_types.hpp"

namespace settlement {

namespace {

std::string group_thousands(uint64_t value) {
  std::string digits = std::to_string(value);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

SQLite::Database open_read_only(const std::filesystem::path& path) {
  cppbatch::SqliteOpenOptions options;
  options.read_only = true;
  return cppbatch::open_sqlite_database(path.string(), options);
}

// Adds the day's transactions that are in the dead-letter table of settle
// and not settled late (settlement_late), each once whatever the number of
// letters (a --next instance skips them again).
void count_dead_letters(SettlementSummary& s, SQLite::Database& settlement_db, cppbatch::JobRepository& repository) {
  cppbatch::DeadLetterQuery query;
  query.job_name = kJobName;
  query.step_name = "settle";
  auto letters = repository.dead_letters().find(query);
  if (!letters) throw std::runtime_error("cannot read the dead letters: " + letters.error().to_string());
  SQLite::Statement late(settlement_db, "SELECT 1 FROM settlement_late WHERE txn_id = ?1");
  std::set<int64_t> seen;
  for (const cppbatch::DeadLetter& letter : letters.value()) {
    if (letter.phase != cppbatch::SkipPhase::PROCESS) continue;
    const Transaction txn = nlohmann::json::parse(letter.payload).get<Transaction>();
    if (txn.txn_date != s.date || !seen.insert(txn.id).second) continue;
    late.bind(1, txn.id);
    const bool settled_late = late.executeStep();
    late.reset();
    if (settled_late) continue;
    s.dead_letters += 1;
    s.dead_letter_amount_cents += txn.amount_cents;
  }
}

SettlementSummary summarize(const SettlementParameters& p, cppbatch::JobRepository& repository) {
  SettlementSummary s;
  s.date = p.date_text;
  {
    SQLite::Database db = open_read_only(p.settlement_db());
    count_dead_letters(s, db, repository);
    // SUM of integers is an exact integer (IFNULL: no rows gives 0).
    SQLite::Statement exact(db,
                            "SELECT COUNT(*), IFNULL(SUM(txn_count), 0), IFNULL(SUM(sales_cents), 0), "
                            "IFNULL(SUM(fee_cents), 0), IFNULL(SUM(net_cents), 0) FROM settlement "
                            "WHERE settlement_date = ?1");
    exact.bind(1, p.date_text);
    exact.executeStep();
    s.sellers = exact.getColumn(0).getInt64();
    s.transactions = exact.getColumn(1).getInt64();
    s.sales_cents = exact.getColumn(2).getInt64();
    s.fee_cents = exact.getColumn(3).getInt64();
    s.net_cents = exact.getColumn(4).getInt64();

    SQLite::Statement top(db,
                          "SELECT seller_id, txn_count, sales_cents, fee_cents, net_cents FROM settlement "
                          "WHERE settlement_date = ?1 ORDER BY sales_cents DESC, seller_id LIMIT 10");
    top.bind(1, p.date_text);
    while (top.executeStep()) {
      s.top_sellers.push_back({top.getColumn(0).getInt64(), top.getColumn(1).getInt64(), top.getColumn(2).getInt64(),
                               top.getColumn(3).getInt64(), top.getColumn(4).getInt64()});
    }
  }
  SQLite::Database source = open_read_only(p.transactions_db());
  SQLite::Statement counted(source,
                            "SELECT COUNT(*), IFNULL(SUM(amount_cents), 0) FROM transactions WHERE txn_date = ?1");
  counted.bind(1, p.date_text);
  counted.executeStep();
  s.source_transactions = counted.getColumn(0).getInt64();
  s.source_amount_cents = counted.getColumn(1).getInt64();
  return s;
}

void write_atomically(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::path temporary = path;
  temporary += ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
    if (!out) throw std::runtime_error("could not write " + temporary.string());
  }
  std::filesystem::rename(temporary, path);
}

}  // namespace

std::string format_cents(int64_t cents) {
  const bool negative = cents < 0;
  const uint64_t magnitude = negative ? 0 - static_cast<uint64_t>(cents) : static_cast<uint64_t>(cents);
  return fmt::format("{}${}.{:02}", negative ? "-" : "", group_thousands(magnitude / 100), magnitude % 100);
}

std::string render_report(const SettlementSummary& s) {
  std::string out;
  auto line = [&out](const std::string& text) {
    out += text;
    out += '\n';
  };
  const std::string title = "Settlement report for " + s.date;
  line(title);
  line(std::string(title.size(), '='));
  line("");
  line(fmt::format("{:<14}{:>20}", "Transactions", group_thousands(static_cast<uint64_t>(s.transactions))));
  line(fmt::format("{:<14}{:>20}", "Sellers", group_thousands(static_cast<uint64_t>(s.sellers))));
  line(fmt::format("{:<14}{:>20}", "Sales", format_cents(s.sales_cents)));
  line(fmt::format("{:<14}{:>20}", "Fees", format_cents(s.fee_cents)));
  line(fmt::format("{:<14}{:>20}", "Net", format_cents(s.net_cents)));
  line(fmt::format("{:<14}{:>20}  ({} in sales not settled: 'cppbatch dlq list --job {}')", "Dead letters",
                   group_thousands(static_cast<uint64_t>(s.dead_letters)), format_cents(s.dead_letter_amount_cents),
                   kJobName));
  line("");
  line(fmt::format("Reconciliation with transactions.db: {} ({} transactions, {} in sales)",
                   s.reconciled() ? "OK" : "MISMATCH", group_thousands(static_cast<uint64_t>(s.source_transactions)),
                   format_cents(s.source_amount_cents)));
  line("");
  line(fmt::format("Top {} sellers by sales", s.top_sellers.size()));
  line(fmt::format("{:>4}  {:>8}  {:>12}  {:>18}  {:>16}  {:>18}", "rank", "seller", "transactions", "sales", "fees",
                   "net"));
  int rank = 0;
  for (const SellerLine& seller : s.top_sellers) {
    line(fmt::format("{:>4}  {:>8}  {:>12}  {:>18}  {:>16}  {:>18}", ++rank, seller.seller_id,
                     group_thousands(static_cast<uint64_t>(seller.txn_count)), format_cents(seller.sales_cents),
                     format_cents(seller.fee_cents), format_cents(seller.net_cents)));
  }
  return out;
}

cppbatch::RepeatStatus ReportTasklet::execute(cppbatch::StepContribution& contribution,
                                              cppbatch::ChunkContext& context) {
  (void)context;
  const SettlementParameters& p = scope_->get();
  SettlementSummary summary = summarize(p, repository_);
  contribution.increment_read_count(summary.sellers);
  if (!summary.reconciled()) {
    throw std::runtime_error(fmt::format(
        "settlement {} does not reconcile: {} transactions / {} settled + {} / {} in the dead-letter table, {} source "
        "transactions / {} in sales",
        p.date_text, summary.transactions, format_cents(summary.sales_cents), summary.dead_letters,
        format_cents(summary.dead_letter_amount_cents), summary.source_transactions,
        format_cents(summary.source_amount_cents)));
  }
  write_atomically(p.report_file(), render_report(summary));
  contribution.increment_write_count(1);
  cppbatch::logger().info("settlement {}: {} transactions, {} sellers, sales {}, fees {}, net {} -> {}", p.date_text,
                          summary.transactions, summary.sellers, format_cents(summary.sales_cents),
                          format_cents(summary.fee_cents), format_cents(summary.net_cents), p.report_file().string());
  return cppbatch::RepeatStatus::FINISHED;
}

}  // namespace settlement
