#include "settlement/transaction_store.hpp"

#include "cppbatch/infrastructure/sqlite_batch_writer.hpp"
#include "cppbatch/infrastructure/sqlite_cursor_reader.hpp"
#include "cppbatch/infrastructure/sqlite_database.hpp"

namespace settlement {

const char* const kTransactionsSchema =
    "CREATE TABLE IF NOT EXISTS transactions("
    " id INTEGER PRIMARY KEY, txn_date TEXT, seller_id INTEGER, buyer_id INTEGER,"
    " amount_cents INTEGER, currency TEXT, card_type TEXT);"
    "CREATE INDEX IF NOT EXISTS transactions_by_date ON transactions(txn_date);";

namespace {

constexpr const char* kUpsertSql =
    "INSERT INTO transactions(id, txn_date, seller_id, buyer_id, amount_cents, currency, card_type)"
    " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)"
    " ON CONFLICT(id) DO UPDATE SET txn_date = excluded.txn_date, seller_id = excluded.seller_id,"
    " buyer_id = excluded.buyer_id, amount_cents = excluded.amount_cents, currency = excluded.currency,"
    " card_type = excluded.card_type";

constexpr const char* kSelectSql =
    "SELECT id, txn_date, seller_id, buyer_id, amount_cents, currency, card_type"
    " FROM transactions WHERE txn_date = :date ORDER BY id";

// A SqliteBatchWriter on a connection it owns (opened with our pragmas).
class TransactionWriter final : public cppbatch::ItemWriter<Transaction> {
 public:
  explicit TransactionWriter(const SettlementParameters& p)
      : db_(cppbatch::open_sqlite_database(p.transactions_db().string(), options())),
        writer_(db_, writer_options(), bind) {}

  void write(const cppbatch::Chunk<Transaction>& chunk) override { writer_.write(chunk); }

 private:
  static cppbatch::SqliteOpenOptions options() {
    cppbatch::SqliteOpenOptions o;
    o.synchronous = "FULL";
    o.init_sql = kTransactionsSchema;
    return o;
  }
  static cppbatch::SqliteWriterOptions writer_options() {
    cppbatch::SqliteWriterOptions o;
    o.sql = kUpsertSql;
    o.name = "transactionWriter";
    return o;
  }
  // Strings are bound without a copy: the item outlives the statement step.
  static void bind(const Transaction& t, SQLite::Statement& s) {
    s.bind(1, t.id);
    s.bindNoCopy(2, t.txn_date);
    s.bind(3, t.seller_id);
    s.bind(4, t.buyer_id);
    s.bind(5, t.amount_cents);
    s.bindNoCopy(6, t.currency);
    s.bindNoCopy(7, to_string(t.card_type));
  }

  SQLite::Database db_;  // declared before writer_, which uses it
  cppbatch::SqliteBatchWriter<Transaction> writer_;
};

Transaction map_row(const cppbatch::SqliteRow& row) {
  Transaction t;
  t.id = row.get_long(0);
  t.txn_date = row.get_string(1);
  t.seller_id = row.get_long(2);
  t.buyer_id = row.get_long(3);
  t.amount_cents = row.get_long(4);
  t.currency = row.get_string(5);
  t.card_type = parse_card_type(row.get_string(6));
  return t;
}

}  // namespace

std::unique_ptr<cppbatch::ItemWriter<Transaction>> make_transaction_writer(const SettlementParameters& parameters) {
  return std::make_unique<TransactionWriter>(parameters);
}

std::unique_ptr<cppbatch::ItemReader<Transaction>> make_transaction_reader(const SettlementParameters& parameters) {
  cppbatch::SqliteReaderOptions options;
  options.database_path = parameters.transactions_db().string();
  options.sql = kSelectSql;
  options.bindings = {{":date", parameters.date_text}};
  options.name = "settleReader";
  options.restart_key_column = "id";
  return std::make_unique<cppbatch::SqliteCursorReader<Transaction>>(std::move(options), map_row);
}

}  // namespace settlement
