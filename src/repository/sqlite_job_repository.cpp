// SqliteJobRepository: opening the file, leases and accessors. The other
// methods live in sqlite_launch.cpp (launch rules), sqlite_updates.cpp
// (writes of executions and contexts) and sqlite_explorer.cpp (queries).
#include "cppbatch/repository/sqlite_job_repository.hpp"

#include <limits>

#include "cppbatch/common/logging.hpp"
#include "cppbatch/common/process.hpp"
#include "repository/sqlite_impl.hpp"
#include "repository/sqlite_schema.hpp"

namespace cppbatch {

using internal::guarded;
using internal::Sql;
using internal::Use;
using internal::WriteTransaction;

namespace {

// True if every table and index of the schema exists (a read: it does not
// wait for another connection's write transaction).
bool schema_complete(SQLite::Database& db, const std::string& prefix) {
  SQLite::Statement exists(db, "SELECT 1 FROM sqlite_master WHERE type IN ('table', 'index') AND name = ?");
  for (const std::string& name : internal::sqlite_schema_objects(prefix)) {
    exists.bind(1, name);
    bool found = exists.executeStep();
    exists.reset();
    if (!found) return false;
  }
  return true;
}

// Creates the schema if anything is missing, in one write transaction: two
// processes opening a new file at once are serialized by the lock, and the
// second finds every object already there. An existing repository is
// opened without taking the write lock.
void apply_schema(SQLite::Database& db, const std::string& prefix) {
  if (schema_complete(db, prefix)) return;
  std::string ddl = internal::sqlite_schema(prefix);
  db.exec("BEGIN IMMEDIATE");
  try {
    db.exec(ddl);
    db.exec("COMMIT");
  } catch (...) {
    db.tryExec("ROLLBACK");
    throw;
  }
}

// Opens the file in WAL mode with the options' pragmas and the schema.
// Connections opening one file at once take turns at the turnstile:
// switching a new file to WAL while another connection reads it fails with
// "database is locked" at once (SQLite calls no busy handler there).
SQLite::Database open_database(const SqliteRepositoryOptions& options, const internal::WriterTurnstile& turnstile) {
  internal::WriterTurnstile::Turn turn(turnstile);
  SQLite::Database db(options.path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE,
                      static_cast<int>(options.busy_timeout.count()));
  std::string mode = db.execAndGet("PRAGMA journal_mode=WAL").getString();
  if (mode != "wal" && mode != "memory") {
    logger().warn("job repository {}: journal mode is {}, not WAL (file system without shared memory?)",
                  options.path, mode);
  }
  db.exec(options.synchronous == SqliteRepositoryOptions::Synchronous::FULL ? "PRAGMA synchronous=FULL"
                                                                             : "PRAGMA synchronous=NORMAL");
  db.exec("PRAGMA foreign_keys=ON");
  if (options.synchronous == SqliteRepositoryOptions::Synchronous::NORMAL) {
    // Closing the last connection would checkpoint the WAL with several
    // fsyncs — most of a short CLI command's time. With NORMAL a power
    // loss may already undo the last commits; leaving the WAL for the next
    // opener (or the automatic checkpoint) changes nothing about that.
    sqlite3_db_config(db.getHandle(), SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
  }
  apply_schema(db, options.table_prefix);
  return db;
}

}  // namespace

Result<std::unique_ptr<SqliteJobRepository>> SqliteJobRepository::open(const SqliteRepositoryOptions& options) {
  if (!internal::valid_table_prefix(options.table_prefix)) {
    return Error(ErrorCode::INVALID_ARGUMENT,
                 fmt::format("invalid table prefix '{}': use letters, digits and '_' only", options.table_prefix));
  }
  if (options.busy_timeout.count() < 0 || options.busy_timeout.count() > std::numeric_limits<int>::max()) {
    return Error(ErrorCode::INVALID_ARGUMENT, "busy_timeout must be between 0 and INT_MAX milliseconds");
  }
  if (options.lease.lease_duration.count() <= 0) {
    return Error(ErrorCode::INVALID_ARGUMENT, "lease duration must be positive");
  }
  try {
    internal::WriterTurnstile turnstile(options.path);
    SQLite::Database db = open_database(options, turnstile);
    auto impl = std::make_unique<Impl>(options, std::move(db), std::move(turnstile));  // statements: on first use
    return std::unique_ptr<SqliteJobRepository>(new SqliteJobRepository(std::move(impl)));
  } catch (const std::exception& e) {
    return Error(ErrorCode::STORAGE, fmt::format("cannot open job repository '{}': {}", options.path, e.what()));
  }
}

SqliteJobRepository::SqliteJobRepository(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

SqliteJobRepository::~SqliteJobRepository() = default;

Result<void> SqliteJobRepository::heartbeat(const JobExecution& execution) {
  return guarded(*impl_, "heartbeat", [&]() -> Result<void> {
    WriteTransaction tx(*impl_);
    Use use(*impl_, Sql::BEAT_LEASE);
    internal::bind_time(*use, 1, impl_->now());
    use->bind(2, execution.id);
    use->bind(3, host_name());
    use->bind(4, static_cast<int64_t>(current_pid()));
    if (use->exec() == 0) {
      return Error(ErrorCode::CONFLICT, fmt::format("This process no longer holds the lease of job execution {} "
                                                    "(released, or taken away when it was found dead)",
                                                    execution.id));
    }
    tx.commit();
    return {};
  });
}

Result<void> SqliteJobRepository::release(const JobExecution& execution) {
  return guarded(*impl_, "release", [&]() -> Result<void> {
    WriteTransaction tx(*impl_);
    Use use(*impl_, Sql::RELEASE_LEASE);
    use->bind(1, execution.id);
    use->bind(2, host_name());
    use->bind(3, static_cast<int64_t>(current_pid()));
    use->exec();
    tx.commit();
    return {};
  });
}

Result<std::optional<ExecutionLease>> SqliteJobRepository::lease(int64_t execution_id) {
  return guarded(*impl_, "lease", [&]() -> Result<std::optional<ExecutionLease>> {
    std::lock_guard lock(impl_->mutex);
    Use use(*impl_, Sql::GET_LEASE);
    use->bind(1, execution_id);
    if (!use->executeStep()) return std::optional<ExecutionLease>{};
    ExecutionLease lease{use->getColumn(0).getString(), static_cast<long>(use->getColumn(1).getInt64()),
                         internal::column_time(*use, 2).value()};
    return std::optional<ExecutionLease>{std::move(lease)};
  });
}

TransactionManager& SqliteJobRepository::transaction_manager() { return impl_->transactions; }
DeadLetterStore& SqliteJobRepository::dead_letters() { return impl_->dead_letters; }

const LeaseOptions& SqliteJobRepository::lease_options() const { return impl_->options.lease; }
Clock& SqliteJobRepository::clock() const { return impl_->clock; }

SQLite::Database& SqliteJobRepository::database() { return impl_->db; }

const SqliteRepositoryOptions& SqliteJobRepository::options() const { return impl_->options; }

}  // namespace cppbatch
