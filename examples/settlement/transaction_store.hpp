// transactions.db: the source table of the settlement demo, and the SQLite
// reader and writer the job uses on it.
//
//   transactions(id INTEGER PRIMARY KEY, txn_date TEXT, seller_id INTEGER,
//                buyer_id INTEGER, amount_cents INTEGER, currency TEXT,
//                card_type TEXT)
//   + index transactions_by_date(txn_date)   (entries also carry the id, so
//     "WHERE txn_date = ? ORDER BY id" is an index range scan, no sort)
//
// Several dates share the table; ids encode the date (see
// transaction_generator.hpp), so they never collide.
#pragma once

#include <memory>

#include "cppbatch/core/item_reader.hpp"
#include "cppbatch/core/item_writer.hpp"
#include "settlement/settlement_parameters.hpp"
#include "settlement/settlement_types.hpp"

namespace settlement {

extern const char* const kTransactionsSchema;

// The `generate` step's writer: a SqliteBatchWriter upserting on id (a
// chunk written again after a crash rewrites identical rows), one
// transaction per chunk, on its own connection to transactions.db
// (WAL, synchronous=FULL; created with its table if missing).
std::unique_ptr<cppbatch::ItemWriter<Transaction>> make_transaction_writer(const SettlementParameters& parameters);

// The `settle` step's reader: a SqliteCursorReader over
//   SELECT ... FROM transactions WHERE txn_date = :date ORDER BY id
// restarting after the last checkpointed id ("settleReader.last.key").
// Opens transactions.db read-only at open().
std::unique_ptr<cppbatch::ItemReader<Transaction>> make_transaction_reader(const SettlementParameters& parameters);

}  // namespace settlement
