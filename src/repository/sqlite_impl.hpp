// SqliteJobRepository's state and the helpers its .cpp files share: the
// connection, its recursive mutex, the prepared-statement cache, scoped
// transactions that join an open one, row codecs. Internal.
//
// Error handling inside: SQLiteCpp throws SQLite::Exception and the row
// codecs throw StorageFailure; every public method runs its body through
// guarded(), which turns any exception into Error(STORAGE). Expected
// refusals (CONFLICT, NOT_FOUND, launch rules) are returned, not thrown.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <array>
#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "cppbatch/core/job_execution.hpp"
#include "cppbatch/repository/sqlite_job_repository.hpp"
#include "repository/sqlite_statements.hpp"
#include "repository/sqlite_writer_turnstile.hpp"

namespace cppbatch {

namespace internal {

// Stored data that cannot be decoded (bad timestamp, status, context).
class StorageFailure : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The transaction manager of one repository (see the public header).
class SqliteTransactions final : public TransactionManager {
 public:
  explicit SqliteTransactions(SqliteJobRepository::Impl& impl) : impl_(impl) {}
  Result<void> begin() override;
  Result<void> commit() override;
  void rollback() override;

 private:
  void finish();
  SqliteJobRepository::Impl& impl_;
  std::atomic<std::thread::id> owner_{};
};

// The dead-letter store of one repository (sqlite_dead_letters.cpp).
class SqliteDeadLetters final : public DeadLetterStore {
 public:
  explicit SqliteDeadLetters(SqliteJobRepository::Impl& impl) : impl_(impl) {}
  Result<int64_t> add(const DeadLetter& letter) override;
  Result<DeadLetter> get(int64_t id) override;
  Result<std::vector<DeadLetter>> find(const DeadLetterQuery& query) override;
  Result<void> update(DeadLetter& letter) override;

 private:
  SqliteJobRepository::Impl& impl_;
};

}  // namespace internal

struct SqliteJobRepository::Impl {
  Impl(SqliteRepositoryOptions opts, SQLite::Database database, internal::WriterTurnstile writer_turnstile);

  // The cached statement, reset and ready to bind.
  SQLite::Statement& statement(internal::Sql sql);
  SQLite::Statement& statement(internal::Selection selection, internal::Part part);

  // The clock's time at the stored precision (microseconds).
  Timestamp now() const { return std::chrono::floor<std::chrono::microseconds>(clock.now()); }
  bool in_transaction() const { return sqlite3_get_autocommit(db.getHandle()) == 0; }
  // Runs a statement without result rows; returns the rows it changed.
  int run(internal::Sql sql);
  // BEGIN IMMEDIATE, queued at the file's writer turnstile.
  void begin_immediate();

  SqliteRepositoryOptions options;
  Clock& clock;
  SQLite::Database db;
  internal::WriterTurnstile turnstile;
  std::recursive_mutex mutex;  // guards db and the statements
  std::array<std::unique_ptr<SQLite::Statement>, static_cast<size_t>(internal::Sql::kCount)> statements;
  std::array<std::unique_ptr<SQLite::Statement>,
             static_cast<size_t>(internal::Selection::kCount) * static_cast<size_t>(internal::Part::kCount)>
      listings;
  internal::SqliteTransactions transactions;
  internal::SqliteDeadLetters dead_letters;
};

namespace internal {

using Impl = SqliteJobRepository::Impl;

// Borrows a cached statement; resets it when done (which also ends the
// statement's read of the database).
class Use {
 public:
  Use(Impl& impl, Sql sql) : statement_(impl.statement(sql)) {}
  Use(Impl& impl, Selection selection, Part part) : statement_(impl.statement(selection, part)) {}
  ~Use() { statement_.tryReset(); }
  Use(const Use&) = delete;
  Use& operator=(const Use&) = delete;
  SQLite::Statement& operator*() { return statement_; }
  SQLite::Statement* operator->() { return &statement_; }

 private:
  SQLite::Statement& statement_;
};

// A write transaction: BEGIN IMMEDIATE unless this thread already has one
// open on the connection (the transaction manager's), which it then joins.
// Holds the connection's mutex for its lifetime; rolls back an own
// transaction that was not committed.
class WriteTransaction {
 public:
  explicit WriteTransaction(Impl& impl);
  ~WriteTransaction();
  WriteTransaction(const WriteTransaction&) = delete;
  WriteTransaction& operator=(const WriteTransaction&) = delete;
  void commit();

 private:
  Impl& impl_;
  std::unique_lock<std::recursive_mutex> lock_;
  bool own_ = false;
};

// A read snapshot over several statements (deferred BEGIN), or the open
// transaction of this thread.
class ReadTransaction {
 public:
  explicit ReadTransaction(Impl& impl);
  ~ReadTransaction();
  ReadTransaction(const ReadTransaction&) = delete;
  ReadTransaction& operator=(const ReadTransaction&) = delete;

 private:
  Impl& impl_;
  std::unique_lock<std::recursive_mutex> lock_;
  bool own_ = false;
};

// Runs `body` (returning Result<T>); any exception becomes Error(STORAGE)
// naming the operation and the file.
template <class F>
auto guarded(Impl& impl, std::string_view operation, F&& body) -> decltype(body()) {
  try {
    return body();
  } catch (const std::exception& e) {
    return Error(ErrorCode::STORAGE,
                 fmt::format("job repository {}: {} failed: {}", impl.options.path, operation, e.what()));
  }
}

// --- row codecs (sqlite_rows.cpp) ---------------------------------------

void bind_time(SQLite::Statement& statement, int index, const std::optional<Timestamp>& time);
std::optional<Timestamp> column_time(SQLite::Statement& statement, int index);
BatchStatus column_status(SQLite::Statement& statement, int index);

// A context as stored: SHORT_CONTEXT (at most 2500 bytes) and, when the
// JSON is longer, SERIALIZED_CONTEXT with all of it.
struct StoredContext {
  std::string short_context;
  std::optional<std::string> serialized_context;
};
StoredContext encode_context(std::string json);
// Binds ?1 = SHORT_CONTEXT, ?2 = SERIALIZED_CONTEXT, ?3 = id.
void bind_context(SQLite::Statement& statement, const StoredContext& context, int64_t id);
// Decodes the two context columns at `short_index` and `short_index + 1`
// (both NULL: an empty context).
ExecutionContext column_context(SQLite::Statement& statement, int short_index);
// UPDATE then, if no row, INSERT of a context row (statements bind as above).
void write_context(Impl& impl, Sql update, Sql insert, int64_t id, std::string json);

JobInstance read_instance(SQLite::Statement& statement);  // JOB_INSTANCE_ID, VERSION, JOB_NAME, JOB_KEY
std::unique_ptr<JobExecution> read_execution(SQLite::Statement& statement, bool with_context);
StepExecution read_step(SQLite::Statement& statement, bool with_context);
// Adds the parameter row to `parameters`.
void read_parameter(SQLite::Statement& statement, std::map<std::string, JobParameter>& parameters);
// Binds ?1..?14 of UPDATE_STEP / INSERT_STEP.
void bind_step_fields(SQLite::Statement& statement, const StepExecution& step, Timestamp now);

// The next id of a Spring sequence table.
int64_t next_id(Impl& impl, Sql next, Sql trim);

// Loads the executions of a selection, newest first, with parameters and
// step executions, and contexts when `with_contexts`: one query per part,
// whatever the number of rows. `bind` binds the selection's parameters.
std::vector<std::unique_ptr<JobExecution>> load_executions(Impl& impl, Selection selection, bool with_contexts,
                                                          const std::function<void(SQLite::Statement&)>& bind);

}  // namespace internal
}  // namespace cppbatch
