#include "settlement/settlement_writer.hpp"

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <limits>

#include "cppbatch/infrastructure/sqlite_database.hpp"
#include "settlement/settlement_job.hpp"

namespace settlement {

const char* const kSettlementSchema =
    "CREATE TABLE IF NOT EXISTS settlement("
    " settlement_date TEXT NOT NULL,"
    " seller_id INTEGER NOT NULL,"
    " txn_count INTEGER NOT NULL,"
    " sales_cents INTEGER NOT NULL,"
    " fee_cents INTEGER NOT NULL,"
    " net_cents INTEGER NOT NULL,"
    " last_txn_id INTEGER NOT NULL,"
    " PRIMARY KEY(settlement_date, seller_id));"
    "CREATE TABLE IF NOT EXISTS settlement_late("
    " txn_id INTEGER PRIMARY KEY,"
    " settlement_date TEXT NOT NULL,"
    " seller_id INTEGER NOT NULL,"
    " amount_cents INTEGER NOT NULL,"
    " fee_cents INTEGER NOT NULL)";

namespace {

constexpr const char* kMarkSql = "SELECT last_txn_id FROM settlement WHERE settlement_date = ?1 AND seller_id = ?2";

// Adds a seller's (new) lines; the WHERE guard makes a replay a no-op even
// without the high-water-mark filter in aggregate().
constexpr const char* kUpsertSql =
    "INSERT INTO settlement(settlement_date, seller_id, txn_count, sales_cents, fee_cents, net_cents, last_txn_id)"
    " VALUES(?1, ?2, ?3, ?4, ?5, ?4 - ?5, ?6)"
    " ON CONFLICT(settlement_date, seller_id) DO UPDATE SET"
    "  txn_count = settlement.txn_count + excluded.txn_count,"
    "  sales_cents = settlement.sales_cents + excluded.sales_cents,"
    "  fee_cents = settlement.fee_cents + excluded.fee_cents,"
    "  net_cents = settlement.net_cents + excluded.net_cents,"
    "  last_txn_id = excluded.last_txn_id"
    " WHERE settlement.last_txn_id < excluded.last_txn_id";

constexpr const char* kRecordLateSql =
    "INSERT OR IGNORE INTO settlement_late(txn_id, settlement_date, seller_id, amount_cents, fee_cents)"
    " VALUES(?1, ?2, ?3, ?4, ?5)";

// Adds one late line; the high-water mark stays (0 for a new row).
constexpr const char* kAddLateSql =
    "INSERT INTO settlement(settlement_date, seller_id, txn_count, sales_cents, fee_cents, net_cents, last_txn_id)"
    " VALUES(?1, ?2, 1, ?3, ?4, ?3 - ?4, 0)"
    " ON CONFLICT(settlement_date, seller_id) DO UPDATE SET"
    "  txn_count = settlement.txn_count + 1,"
    "  sales_cents = settlement.sales_cents + excluded.sales_cents,"
    "  fee_cents = settlement.fee_cents + excluded.fee_cents,"
    "  net_cents = settlement.net_cents + excluded.net_cents";

cppbatch::SqliteOpenOptions settlement_db_options() {
  cppbatch::SqliteOpenOptions options;
  options.synchronous = "FULL";
  options.init_sql = kSettlementSchema;
  return options;
}

// The business day of a transaction id (ids are date_serial * kIdsPerDate + i + 1).
std::string date_of_transaction(int64_t txn_id) {
  const std::chrono::sys_days day{std::chrono::days{(txn_id - 1) / kIdsPerDate}};
  return cppbatch::format_date(std::chrono::year_month_day{day});
}

long kill_point_from_environment() {
  const char* value = std::getenv("CPPBATCH_DEMO_KILL_AFTER_SETTLEMENT_COMMIT");
  return value != nullptr ? std::strtol(value, nullptr, 10) : 0;
}

}  // namespace

SettlementWriter::SettlementWriter(std::shared_ptr<const ParameterScope> scope) : scope_(std::move(scope)) {}

SettlementWriter::~SettlementWriter() = default;

void SettlementWriter::open(cppbatch::ExecutionContext& context) {
  (void)context;  // the state lives in settlement.db itself
  const SettlementParameters& p = scope_->get();
  date_ = p.date_text;
  db_ = std::make_unique<SQLite::Database>(
      cppbatch::open_sqlite_database(p.settlement_db().string(), settlement_db_options()));
  mark_ = std::make_unique<SQLite::Statement>(*db_, kMarkSql);
  upsert_ = std::make_unique<SQLite::Statement>(*db_, kUpsertSql);
  // ?1 is the date in both statements; bindings survive reset().
  mark_->bindNoCopy(1, date_);
  upsert_->bindNoCopy(1, date_);
  kill_after_ = kill_point_from_environment();
  committed_ = 0;
  fault_period_ = p.fault_every * static_cast<int64_t>(kSettleChunkSize);
  faulted_.clear();
}

void SettlementWriter::aggregate(const cppbatch::Chunk<SettlementLine>& chunk) {
  lines_.assign(chunk.begin(), chunk.end());
  std::sort(lines_.begin(), lines_.end(), [](const SettlementLine& a, const SettlementLine& b) {
    return a.seller_id != b.seller_id ? a.seller_id < b.seller_id : a.txn_id < b.txn_id;
  });
  totals_.clear();
  auto line = lines_.begin();
  while (line != lines_.end()) {
    const int64_t seller = line->seller_id;
    mark_->bind(2, seller);
    const int64_t mark = mark_->executeStep() ? mark_->getColumn(0).getInt64() : std::numeric_limits<int64_t>::min();
    mark_->reset();
    SellerTotals totals{seller, 0, 0, 0, mark};
    for (; line != lines_.end() && line->seller_id == seller; ++line) {
      if (line->txn_id <= mark) continue;  // already added before a crash
      totals.txn_count += 1;
      totals.sales_cents += line->amount_cents;
      totals.fee_cents += line->fee_cents;
      totals.last_txn_id = line->txn_id;
    }
    if (totals.txn_count > 0) totals_.push_back(totals);
  }
}

void SettlementWriter::write(const cppbatch::Chunk<SettlementLine>& chunk) {
  if (!db_) throw std::logic_error("SettlementWriter used before open()");
  if (fault_period_ > 0) {
    for (const SettlementLine& line : chunk) {
      const int64_t index = (line.txn_id - 1) % kIdsPerDate;
      if (index % fault_period_ == static_cast<int64_t>(kSettleChunkSize) / 2 && faulted_.insert(line.txn_id).second) {
        throw TransientSettlementError("settlement.db is busy (injected transient fault at transaction " +
                                       std::to_string(line.txn_id) + ")");
      }
    }
  }
  // A previous chunk that failed may have left a statement mid-step.
  mark_->tryReset();
  upsert_->tryReset();
  SQLite::Transaction transaction(*db_, SQLite::TransactionBehavior::IMMEDIATE);
  aggregate(chunk);
  for (const SellerTotals& t : totals_) {
    upsert_->bind(2, t.seller_id);
    upsert_->bind(3, t.txn_count);
    upsert_->bind(4, t.sales_cents);
    upsert_->bind(5, t.fee_cents);
    upsert_->bind(6, t.last_txn_id);
    upsert_->exec();
    upsert_->reset();
  }
  transaction.commit();
  if (kill_after_ > 0 && ++committed_ == kill_after_) std::raise(SIGKILL);
}

void SettlementWriter::close() {
  upsert_.reset();
  mark_.reset();
  db_.reset();
}

LateSettlementWriter::LateSettlementWriter(std::function<std::filesystem::path()> workdir)
    : workdir_(std::move(workdir)) {}

LateSettlementWriter::~LateSettlementWriter() = default;

void LateSettlementWriter::open(cppbatch::ExecutionContext& context) {
  (void)context;  // the state lives in settlement.db itself
  db_ = std::make_unique<SQLite::Database>(
      cppbatch::open_sqlite_database((workdir_() / "settlement.db").string(), settlement_db_options()));
  record_ = std::make_unique<SQLite::Statement>(*db_, kRecordLateSql);
  add_ = std::make_unique<SQLite::Statement>(*db_, kAddLateSql);
}

void LateSettlementWriter::write(const cppbatch::Chunk<SettlementLine>& chunk) {
  if (!db_) throw std::logic_error("LateSettlementWriter used before open()");
  record_->tryReset();
  add_->tryReset();
  SQLite::Transaction transaction(*db_, SQLite::TransactionBehavior::IMMEDIATE);
  for (const SettlementLine& line : chunk) {
    const std::string date = date_of_transaction(line.txn_id);
    record_->bind(1, line.txn_id);
    record_->bind(2, date);
    record_->bind(3, line.seller_id);
    record_->bind(4, line.amount_cents);
    record_->bind(5, line.fee_cents);
    const bool first_time = record_->exec() == 1;
    record_->reset();
    if (!first_time) continue;  // added before a crash
    add_->bind(1, date);
    add_->bind(2, line.seller_id);
    add_->bind(3, line.amount_cents);
    add_->bind(4, line.fee_cents);
    add_->exec();
    add_->reset();
  }
  transaction.commit();
}

void LateSettlementWriter::close() {
  add_.reset();
  record_.reset();
  db_.reset();
}

}  // namespace settlement
