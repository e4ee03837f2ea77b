#include "cppbatch/infrastructure/sqlite_batch_writer.hpp"

#include <sqlite3.h>

#include "cppbatch/infrastructure/sqlite_database.hpp"
#include "infrastructure/pg_internal.hpp"

namespace cppbatch::internal {

SqliteBatchSession::SqliteBatchSession(SqliteWriterOptions options)
    : options_(std::move(options)) {
  if (options_.database_path.empty()) {
    throw std::invalid_argument("SqliteBatchWriter '" + options_.name + "': database_path is empty");
  }
  if (options_.sql.empty()) {
    throw std::invalid_argument("SqliteBatchWriter '" + options_.name + "': sql is empty");
  }
  SqliteOpenOptions open_options;
  open_options.busy_timeout_ms = options_.busy_timeout_ms;
  open_options.synchronous = options_.synchronous;
  open_options.init_sql = options_.init_sql;
  owned_ = std::make_unique<SQLite::Database>(
      open_sqlite_database(options_.database_path, open_options));
  database_ = owned_.get();
}

SqliteBatchSession::SqliteBatchSession(SQLite::Database& database, SqliteWriterOptions options)
    : options_(std::move(options)), database_(&database) {
  if (options_.sql.empty()) {
    throw std::invalid_argument("SqliteBatchWriter '" + options_.name + "': sql is empty");
  }
}

SqliteBatchSession::~SqliteBatchSession() {
  statement_.reset();  // before the connection it belongs to
  owned_.reset();
}

SQLite::Statement& SqliteBatchSession::statement() {
  if (!statement_) {
    try {
      statement_ = std::make_unique<SQLite::Statement>(*database_, options_.sql);
    } catch (const SQLite::Exception& e) {
      throw std::runtime_error("writer '" + options_.name + "': cannot prepare statement: " +
                               e.what() + " — " + options_.sql);
    }
  }
  return *statement_;
}

bool SqliteBatchSession::begin() {
  if (sqlite3_get_autocommit(database_->getHandle()) == 0) return false;  // join the caller's
  database_->exec("BEGIN IMMEDIATE");
  return true;
}

void SqliteBatchSession::commit() { database_->exec("COMMIT"); }

void SqliteBatchSession::fail(size_t index, size_t size, bool owns_transaction) {
  if (statement_) {
    statement_->tryReset();
    try {
      statement_->clearBindings();
    } catch (const SQLite::Exception&) {  // cannot fail on a reset statement; keep the real error
    }
  }
  if (owns_transaction && sqlite3_get_autocommit(database_->getHandle()) == 0) {
    sqlite3_exec(database_->getHandle(), "ROLLBACK", nullptr, nullptr, nullptr);
  }
  std::string where = index < size ? "item at index " + std::to_string(index) + " of " +
                                         std::to_string(size)
                                   : "commit of " + std::to_string(size) + " items";
  std::string prefix = "writer '" + options_.name + "': " + where + " failed: ";
  try {
    throw;
  } catch (const SQLite::Exception& e) {
    throw SqliteWriteError(prefix + e.what(), index, e.getExtendedErrorCode());
  } catch (const std::exception& e) {
    throw SqliteWriteError(prefix + e.what(), index, -1);
  }
}

}  // namespace cppbatch::internal

namespace cppbatch {

std::function<void(const Record&, SQLite::Statement&)> sqlite_record_binder() {
  // The statement's parameter names, found once per query text.
  struct Names {
    std::string query;
    std::vector<std::string> names;
  };
  return [cache = std::make_shared<Names>()](const Record& record, SQLite::Statement& statement) {
    if (cache->query != statement.getQuery()) {
      cache->query = statement.getQuery();
      (void)internal::rewrite_named_parameters(cache->query, cache->names);
      if (static_cast<int>(cache->names.size()) != statement.getBindParameterCount()) {
        cache->query.clear();
        throw std::invalid_argument("sqlite_record_binder: the statement has positional parameters; name them "
                                    "(:field) to bind them from a record: " + statement.getQuery());
      }
    }
    for (const std::string& name : cache->names) {
      const Value& value = record.get(name);
      const std::string parameter = ":" + name;
      switch (value.index()) {
        case 0: statement.bind(parameter); break;
        case 1: statement.bind(parameter, std::get<bool>(value) ? 1 : 0); break;
        case 2: statement.bind(parameter, static_cast<int64_t>(std::get<int64_t>(value))); break;
        case 3: statement.bind(parameter, std::get<double>(value)); break;
        case 4: statement.bind(parameter, std::get<std::string>(value)); break;
        default: statement.bind(parameter, value_to_string(value)); break;
      }
    }
  };
}

}  // namespace cppbatch
