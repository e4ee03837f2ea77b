// SettlementWriter: the writer of the `settle` step. Adds each chunk's
// settlement lines to the per-seller totals of settlement.db:
//
//   settlement(settlement_date, seller_id, txn_count, sales_cents,
//              fee_cents, net_cents, last_txn_id,
//              PRIMARY KEY(settlement_date, seller_id))
//
// in ONE SQLite transaction per chunk, committed inside write() — before
// the step's checkpoint commits in the job repository (another database).
//
// Exactly once (DESIGN.md contract 1, docs/settlement-demo.md): the chunk
// may be written again after a crash between the two commits, so the
// write is idempotent. last_txn_id is a per-seller high-water mark: lines
// arrive in increasing txn id order (the reader orders by id and restarts
// after the last checkpointed id), so a line whose id is not above its
// seller's mark has already been added, and is ignored. The upsert repeats
// the rule as its guard (WHERE settlement.last_txn_id <
// excluded.last_txn_id), so a replayed chunk changes no row.
//
// Durability: settlement.db runs with synchronous=FULL (WAL), so a chunk
// the writer committed survives even a power loss; the repository may lose
// a checkpoint (it then replays chunks, which are ignored), never the
// reverse.
//
// Transient faults (the demo's, on by default): with the job parameter
// faults=N (default 100; 0 = off) the first attempt to write one chunk in
// N — the chunk holding transaction index k·N·200 + 100 — throws
// TransientSettlementError before touching the database, as a busy
// database would; the step retries it with back-off and the second attempt
// succeeds. Deterministic: the same chunks fail in every run.
//
// Test hook: with the environment variable
// CPPBATCH_DEMO_KILL_AFTER_SETTLEMENT_COMMIT=N the process kills itself
// (SIGKILL) right after the N-th chunk it commits, i.e. in the window
// between the writer's commit and the checkpoint.
//
// Not thread-safe (one connection); the table is created on open().
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <memory>
#include <set>
#include <stdexcept>
#include <vector>

#include <filesystem>
#include <functional>

#include "cppbatch/core/item_stream.hpp"
#include "cppbatch/core/item_writer.hpp"
#include "settlement/settlement_parameters.hpp"
#include "settlement/settlement_types.hpp"

namespace settlement {

// CREATE TABLE IF NOT EXISTS settlement(...) and settlement_late(...).
extern const char* const kSettlementSchema;

// settlement.db could not take the chunk just now; trying again helps.
class TransientSettlementError final : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class SettlementWriter final : public cppbatch::ItemWriter<SettlementLine>, public cppbatch::ItemStream {
 public:
  // `scope` supplies the date and settlement.db's path once the step started.
  explicit SettlementWriter(std::shared_ptr<const ParameterScope> scope);
  ~SettlementWriter() override;

  // Opens (creating) settlement.db and its table.
  void open(cppbatch::ExecutionContext& context) override;
  // Precondition: lines in increasing txn_id order (within and across
  // chunks). Throws SQLite::Exception when the database fails (the chunk's
  // transaction is then rolled back).
  void write(const cppbatch::Chunk<SettlementLine>& chunk) override;
  void close() override;

 private:
  struct SellerTotals {
    int64_t seller_id, txn_count, sales_cents, fee_cents, last_txn_id;
  };
  // Sorts the chunk by (seller, id) into lines_ and folds it into totals_,
  // keeping only lines above each seller's stored high-water mark.
  void aggregate(const cppbatch::Chunk<SettlementLine>& chunk);

  std::shared_ptr<const ParameterScope> scope_;
  std::string date_;
  std::unique_ptr<SQLite::Database> db_;
  std::unique_ptr<SQLite::Statement> mark_;  // SELECT last_txn_id
  std::unique_ptr<SQLite::Statement> upsert_;
  std::vector<SettlementLine> lines_;  // reused between chunks
  std::vector<SellerTotals> totals_;   // reused between chunks
  long kill_after_ = 0;                // test hook; 0 = off
  long committed_ = 0;
  int64_t fault_period_ = 0;           // transaction indexes per injected fault; 0 = off
  std::set<int64_t> faulted_;          // txn ids whose chunk already failed once
};

// LateSettlementWriter: the writer of settle's dead-letter reprocessing
// (settlementJob.dlq). Adds transactions that settle skipped and a later
// reprocessing settled — in any order, of any date — to the per-seller
// totals, leaving the high-water mark alone. Exactly once per transaction
// through settlement_late(txn_id PRIMARY KEY, ...): a line whose id is
// already there was added before (a replay after a crash between this
// writer's commit and the reprocessing checkpoint) and is ignored. One
// SQLite transaction per chunk. `workdir` is asked at open().
class LateSettlementWriter final : public cppbatch::ItemWriter<SettlementLine>, public cppbatch::ItemStream {
 public:
  explicit LateSettlementWriter(std::function<std::filesystem::path()> workdir);
  ~LateSettlementWriter() override;
  void open(cppbatch::ExecutionContext& context) override;
  void write(const cppbatch::Chunk<SettlementLine>& chunk) override;
  void close() override;

 private:
  std::function<std::filesystem::path()> workdir_;
  std::unique_ptr<SQLite::Database> db_;
  std::unique_ptr<SQLite::Statement> record_;  // INSERT OR IGNORE INTO settlement_late
  std::unique_ptr<SQLite::Statement> add_;     // upsert into settlement
};

}  // namespace settlement
