#include "cppbatch/infrastructure/sqlite_cursor.hpp"

#include <stdexcept>

#include "cppbatch/infrastructure/sqlite_database.hpp"

namespace cppbatch {
namespace {

// SQLite's cross-type order: NULL < INTEGER/REAL < TEXT < BLOB.
int type_rank(int type) {
  switch (type) {
    case SQLITE_NULL: return 0;
    case SQLITE_INTEGER:
    case SQLITE_FLOAT: return 1;
    case SQLITE_TEXT: return 2;
    default: return 3;
  }
}

}  // namespace

SqliteCursor::SqliteCursor(SqliteReaderOptions options)
    : options_(std::move(options)), owns_database_(true) {
  if (options_.database_path.empty()) {
    throw std::invalid_argument("SqliteCursor '" + options_.name + "': database_path is empty");
  }
  if (options_.sql.empty()) throw std::invalid_argument("SqliteCursor '" + options_.name + "': sql is empty");
  count_key_ = options_.name + ".read.count";
  last_key_key_ = options_.name + ".last.key";
}

SqliteCursor::SqliteCursor(SQLite::Database& database, SqliteReaderOptions options)
    : options_(std::move(options)), database_(&database) {
  if (options_.sql.empty()) throw std::invalid_argument("SqliteCursor '" + options_.name + "': sql is empty");
  count_key_ = options_.name + ".read.count";
  last_key_key_ = options_.name + ".last.key";
}

SqliteCursor::~SqliteCursor() { close(); }

void SqliteCursor::open(ExecutionContext& context) {
  close();
  const std::string who = "reader '" + options_.name + "': ";
  if (owns_database_) {
    SqliteOpenOptions open_options;
    open_options.read_only = true;
    open_options.busy_timeout_ms = options_.busy_timeout_ms;
    owned_ = std::make_unique<SQLite::Database>(
        open_sqlite_database(options_.database_path, open_options));
    database_ = owned_.get();
  }
  sqlite3_stmt* prepared = nullptr;
  int rc = sqlite3_prepare_v2(database_->getHandle(), options_.sql.c_str(),
                              static_cast<int>(options_.sql.size()), &prepared, nullptr);
  statement_.reset(prepared);
  if (rc != SQLITE_OK || prepared == nullptr) {
    std::string reason = rc != SQLITE_OK ? sqlite3_errmsg(database_->getHandle()) : "no statement";
    close();
    throw std::runtime_error(who + "cannot prepare query: " + reason + " — " + options_.sql);
  }
  try {
    bind_parameters(prepared, resolve_bindings(options_.bindings, options_.parameter_sources, context));
  } catch (...) {
    close();
    throw;
  }
  row_.emplace(prepared);
  key_column_ = -1;
  if (!options_.restart_key_column.empty()) {
    for (int i = 0; i < row_->column_count(); ++i) {
      if (options_.restart_key_column == row_->column_name(i)) {
        key_column_ = i;
        break;
      }
    }
    if (key_column_ < 0) {
      close();
      throw std::runtime_error(who + "restart key column '" + options_.restart_key_column +
                               "' is not in the result of: " + options_.sql);
    }
  }
  done_ = false;
  read_count_ = 0;
  last_key_type_ = 0;
  skipping_ = false;
  if (!options_.save_state) return;

  const int64_t saved_count = context.get_long(count_key_).value_or(0);
  if (key_column_ >= 0) {
    auto it = context.values().find(last_key_key_);
    if (it != context.values().end()) {
      saved_key_ = it->second;
      skipping_ = true;  // done lazily by next(): rows are stepped, not mapped
    } else {
      // Every committed row had a NULL key (NULLs sort first): they are the
      // first saved_count rows.
      for (int64_t i = 0; i < saved_count && step(); ++i) {
      }
    }
    read_count_ = saved_count;
  } else {
    for (int64_t i = 0; i < saved_count && step(); ++i) {
    }
    read_count_ = saved_count;
  }
}

void SqliteCursor::update(ExecutionContext& context) {
  if (!options_.save_state) return;
  context.put_long(count_key_, read_count_);
  switch (last_key_type_) {
    case SQLITE_INTEGER: context.put_long(last_key_key_, last_key_long_); break;
    case SQLITE_FLOAT: context.put_double(last_key_key_, last_key_double_); break;
    case SQLITE_TEXT: context.put_string(last_key_key_, last_key_text_); break;
    default: break;  // no row yet: keep what was there
  }
}

void SqliteCursor::close() {
  row_.reset();
  statement_.reset();
  if (owns_database_) {
    owned_.reset();
    database_ = nullptr;
  }
}

bool SqliteCursor::step() {
  if (done_) return false;
  const int rc = sqlite3_step(statement_.get());
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) {
    done_ = true;  // sqlite3_step() after DONE would restart the query
    return false;
  }
  throw SQLite::Exception(database_->getHandle(), rc);
}

bool SqliteCursor::at_or_before_saved_key() const {
  sqlite3_stmt* stmt = statement_.get();
  const int type = sqlite3_column_type(stmt, key_column_);
  if (const auto* saved = std::get_if<int64_t>(&saved_key_)) {
    if (type == SQLITE_INTEGER) return sqlite3_column_int64(stmt, key_column_) <= *saved;
    if (type == SQLITE_FLOAT) return sqlite3_column_double(stmt, key_column_) <= static_cast<double>(*saved);
    return type_rank(type) < 1;
  }
  if (const auto* saved = std::get_if<double>(&saved_key_)) {
    if (type == SQLITE_INTEGER || type == SQLITE_FLOAT) {
      return sqlite3_column_double(stmt, key_column_) <= *saved;
    }
    return type_rank(type) < 1;
  }
  if (const auto* saved = std::get_if<std::string>(&saved_key_)) {
    if (type != SQLITE_TEXT) return type_rank(type) < 2;
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, key_column_));
    std::string_view key(text, static_cast<size_t>(sqlite3_column_bytes(stmt, key_column_)));
    return key.compare(*saved) <= 0;
  }
  return false;
}

void SqliteCursor::remember_key() {
  sqlite3_stmt* stmt = statement_.get();
  switch (sqlite3_column_type(stmt, key_column_)) {
    case SQLITE_INTEGER:
      last_key_type_ = SQLITE_INTEGER;
      last_key_long_ = sqlite3_column_int64(stmt, key_column_);
      break;
    case SQLITE_FLOAT:
      last_key_type_ = SQLITE_FLOAT;
      last_key_double_ = sqlite3_column_double(stmt, key_column_);
      break;
    case SQLITE_TEXT: {
      last_key_type_ = SQLITE_TEXT;
      const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, key_column_));
      last_key_text_.assign(text, static_cast<size_t>(sqlite3_column_bytes(stmt, key_column_)));
      break;
    }
    case SQLITE_NULL:
      break;  // sorts first: the previous key still marks the position
    default:
      throw std::runtime_error("reader '" + options_.name + "': restart key column '" +
                               options_.restart_key_column +
                               "' holds a BLOB; it must be INTEGER, REAL or TEXT");
  }
}

const SqliteRow* SqliteCursor::next() {
  if (!statement_) {
    throw std::logic_error("reader '" + options_.name + "': next() called before open()");
  }
  for (;;) {
    if (!step()) return nullptr;
    if (skipping_) {
      if (at_or_before_saved_key()) continue;
      skipping_ = false;
    }
    break;
  }
  if (key_column_ >= 0) remember_key();
  ++read_count_;
  return &*row_;
}

}  // namespace cppbatch
