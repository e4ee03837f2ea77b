// SqliteBatchWriter<T>: writes each chunk to SQLite through one prepared
// statement (INSERT, or an INSERT ... ON CONFLICT DO UPDATE upsert for
// idempotent re-writes), reused for every item: bind, step, reset. Spring's
// JdbcBatchItemWriter.
//
// Transactions:
//  - its own connection (database_path): every chunk is one
//    BEGIN IMMEDIATE ... COMMIT; a failure rolls the chunk back;
//  - a caller's connection (Database&): when that connection is inside a
//    transaction (sqlite3_get_autocommit() == 0; e.g. the job repository's
//    chunk transaction) the writer joins it and never begins, commits or
//    rolls back — the caller's commit or rollback decides. When it is not,
//    the writer wraps the chunk in its own transaction as above.
// A failing item throws SqliteWriteError naming its index in the chunk.
//
//   SqliteBatchWriter<Player> writer(
//       {.database_path = "out.db",
//        .sql = "INSERT INTO players(id, name) VALUES(?1, ?2) "
//               "ON CONFLICT(id) DO UPDATE SET name = excluded.name",
//        .init_sql = "CREATE TABLE IF NOT EXISTS players(id TEXT PRIMARY KEY, name TEXT)"},
//       [](const Player& p, SQLite::Statement& s) { s.bind(1, p.id); s.bind(2, p.name); });
//   writer.write(chunk);
//
// Not thread-safe (one SQLite connection).
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <cstddef>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>

#include "cppbatch/core/item_writer.hpp"
#include "cppbatch/infrastructure/record.hpp"

namespace cppbatch {

struct SqliteWriterOptions {
  // Database file, opened (created if missing; WAL, synchronous=NORMAL,
  // busy timeout) by the constructor without a Database&; ignored by the
  // other one.
  std::string database_path{};
  // The INSERT / upsert run once per item. Required.
  std::string sql{};
  // Executed once when the writer opens its own connection (e.g. CREATE
  // TABLE IF NOT EXISTS ...). Ignored with a caller's Database&.
  std::string init_sql{};
  // Used in error messages.
  std::string name = "sqliteBatchWriter";
  int busy_timeout_ms = 30000;
  // PRAGMA synchronous of the writer's own connection (OFF, NORMAL, FULL,
  // EXTRA). The writer commits before the checkpoint (docs/transactions.md),
  // so against power loss it must be at least as durable as the
  // repository: FULL guarantees a committed chunk survives; NORMAL (the
  // default, like the repository's) may lose the last chunks of both.
  std::string synchronous = "NORMAL";
};

// An item of a chunk could not be written. The chunk's own transaction (if
// the writer began one) has been rolled back.
class SqliteWriteError : public std::runtime_error {
 public:
  SqliteWriteError(const std::string& message, size_t item_index, int sqlite_code)
      : std::runtime_error(message), item_index_(item_index), sqlite_code_(sqlite_code) {}
  // 0-based index in the chunk; == chunk size when the COMMIT failed.
  size_t item_index() const { return item_index_; }
  // Extended SQLite result code (e.g. SQLITE_CONSTRAINT_PRIMARYKEY), or -1
  // when the binder threw something else.
  int sqlite_code() const { return sqlite_code_; }

 private:
  size_t item_index_;
  int sqlite_code_;
};

namespace internal {

// The non-template part of SqliteBatchWriter: connection, statement,
// transaction and error handling.
class SqliteBatchSession {
 public:
  explicit SqliteBatchSession(SqliteWriterOptions options);
  SqliteBatchSession(SQLite::Database& database, SqliteWriterOptions options);
  ~SqliteBatchSession();

  // Prepared on first use (the table may be created after construction).
  SQLite::Statement& statement();
  // Begins the chunk's transaction unless the connection is already in
  // one. Returns whether it began one (and so must end it).
  bool begin();
  void commit();
  // Cleans up after a failure at item `index` (rolls back an own
  // transaction) and throws SqliteWriteError for the current exception.
  [[noreturn]] void fail(size_t index, size_t size, bool owns_transaction);

 private:
  SqliteWriterOptions options_;
  std::unique_ptr<SQLite::Database> owned_;
  SQLite::Database* database_;
  std::unique_ptr<SQLite::Statement> statement_;
};

}  // namespace internal

template <class T>
class SqliteBatchWriter : public ItemWriter<T> {
 public:
  using Binder = std::function<void(const T&, SQLite::Statement&)>;

  // Opens options.database_path now (throws std::runtime_error naming the
  // path if it cannot, or if init_sql fails); closes it on destruction.
  SqliteBatchWriter(SqliteWriterOptions options, Binder binder)
      : session_(std::move(options)), binder_(std::move(binder)) {
    if (!binder_) throw std::invalid_argument("SqliteBatchWriter: empty binder");
  }
  // Writes through `database`, which must outlive this writer.
  SqliteBatchWriter(SQLite::Database& database, SqliteWriterOptions options, Binder binder)
      : session_(database, std::move(options)), binder_(std::move(binder)) {
    if (!binder_) throw std::invalid_argument("SqliteBatchWriter: empty binder");
  }

  // Binds and runs the statement for every item. The binder must bind the
  // parameters it needs (bindings are cleared between items).
  void write(const Chunk<T>& chunk) override {
    if (chunk.empty()) return;
    SQLite::Statement& statement = session_.statement();
    const bool owns_transaction = session_.begin();
    size_t i = 0;
    try {
      for (; i < chunk.size(); ++i) {
        binder_(chunk[i], statement);
        statement.exec();
        statement.reset();
        statement.clearBindings();
      }
      if (owns_transaction) session_.commit();
    } catch (...) {
      session_.fail(i, chunk.size(), owns_transaction);
    }
  }

 private:
  internal::SqliteBatchSession session_;
  Binder binder_;
};

// A binder for Record items: every :name parameter of the statement gets
// the record's field of that name — integers,
// doubles and text as such, bool as 0/1, dates as ISO text, null as NULL.
// A parameter the record lacks throws RecordError (the writer reports it
// as a SqliteWriteError for that item); positional ?N parameters are
// refused with std::invalid_argument.
//   SqliteBatchWriter<Record> writer(options, sqlite_record_binder());
std::function<void(const Record&, SQLite::Statement&)> sqlite_record_binder();

}  // namespace cppbatch
