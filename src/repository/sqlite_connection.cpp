// The connection side of SqliteJobRepository: statement cache, scoped
// transactions and the transaction manager.
#include "repository/sqlite_impl.hpp"

namespace cppbatch {

using internal::Part;
using internal::Selection;
using internal::Sql;

SqliteJobRepository::Impl::Impl(SqliteRepositoryOptions opts, SQLite::Database database,
                                internal::WriterTurnstile writer_turnstile)
    : options(std::move(opts)),
      clock(options.clock ? *options.clock : system_clock()),
      db(std::move(database)),
      turnstile(std::move(writer_turnstile)),
      transactions(*this),
      dead_letters(*this) {}

SQLite::Statement& SqliteJobRepository::Impl::statement(Sql sql) {
  auto& slot = statements[static_cast<size_t>(sql)];
  if (!slot) slot = std::make_unique<SQLite::Statement>(db, internal::sql_text(sql, options.table_prefix));
  return *slot;
}

SQLite::Statement& SqliteJobRepository::Impl::statement(Selection selection, Part part) {
  auto& slot = listings[static_cast<size_t>(selection) * static_cast<size_t>(Part::kCount) + static_cast<size_t>(part)];
  if (!slot) {
    slot = std::make_unique<SQLite::Statement>(db, internal::sql_text(selection, part, options.table_prefix));
  }
  return *slot;
}

int SqliteJobRepository::Impl::run(Sql sql) {
  internal::Use use(*this, sql);
  return use->exec();
}

void SqliteJobRepository::Impl::begin_immediate() {
  internal::WriterTurnstile::Turn turn(turnstile);
  run(Sql::BEGIN_IMMEDIATE);
}

namespace internal {

WriteTransaction::WriteTransaction(Impl& impl) : impl_(impl), lock_(impl.mutex) {
  if (!impl_.in_transaction()) {
    impl_.begin_immediate();
    own_ = true;
  }
}

WriteTransaction::~WriteTransaction() {
  if (own_ && impl_.in_transaction()) {
    Use use(impl_, Sql::ROLLBACK);
    use->tryExecuteStep();
  }
}

void WriteTransaction::commit() {
  if (!own_) return;
  impl_.run(Sql::COMMIT);
  own_ = false;
}

ReadTransaction::ReadTransaction(Impl& impl) : impl_(impl), lock_(impl.mutex) {
  if (!impl_.in_transaction()) {
    impl_.run(Sql::BEGIN_DEFERRED);
    own_ = true;
  }
}

ReadTransaction::~ReadTransaction() {
  if (own_ && impl_.in_transaction()) {
    Use use(impl_, Sql::COMMIT);
    if (use->tryExecuteStep() != SQLITE_DONE) {
      Use rollback(impl_, Sql::ROLLBACK);
      rollback->tryExecuteStep();
    }
  }
}

Result<void> SqliteTransactions::begin() {
  impl_.mutex.lock();
  if (impl_.in_transaction()) {
    impl_.mutex.unlock();
    return Error(ErrorCode::ILLEGAL_STATE, "a transaction is already open on this repository's connection");
  }
  try {
    impl_.begin_immediate();
  } catch (const std::exception& e) {
    impl_.mutex.unlock();
    return Error(ErrorCode::STORAGE,
                 fmt::format("job repository {}: BEGIN IMMEDIATE failed: {}", impl_.options.path, e.what()));
  }
  owner_ = std::this_thread::get_id();
  return {};
}

Result<void> SqliteTransactions::commit() {
  if (owner_.load() != std::this_thread::get_id()) {
    return Error(ErrorCode::ILLEGAL_STATE, "commit() without begin() on this thread");
  }
  Result<void> result;
  try {
    impl_.run(Sql::COMMIT);
  } catch (const std::exception& e) {
    result = Error(ErrorCode::STORAGE, fmt::format("job repository {}: COMMIT failed, transaction rolled back: {}",
                                                   impl_.options.path, e.what()));
    if (impl_.in_transaction()) {
      Use use(impl_, Sql::ROLLBACK);
      use->tryExecuteStep();
    }
  }
  finish();
  return result;
}

void SqliteTransactions::rollback() {
  if (owner_.load() != std::this_thread::get_id()) return;
  if (impl_.in_transaction()) {
    Use use(impl_, Sql::ROLLBACK);
    use->tryExecuteStep();
  }
  finish();
}

void SqliteTransactions::finish() {
  owner_ = std::thread::id{};
  impl_.mutex.unlock();
}

}  // namespace internal
}  // namespace cppbatch
