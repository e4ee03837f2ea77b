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
// Test hook: with the environment variable
// CPPBATCH_DEMO_KILL_AFTER_SETTLEMENT_COMMIT=N the process kills itself
// (SIGKILL) right after the N-th chunk it commits, i.e. in the window
// between the writer's commit and the checkpoint.
//
// Not thread-safe (one connection); the table is created on open().
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <memory>
#include <vector>

#include "cppbatch/core/item_stream.hpp"
#include "cppbatch/core/item_writer.hpp"
#include "settlement/settlement_parameters.hpp"
#include "settlement/settlement_types.hpp"

namespace settlement {

// CREATE TABLE IF NOT EXISTS settlement(...).
extern const char* const kSettlementSchema;

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
};

}  // namespace settlement
