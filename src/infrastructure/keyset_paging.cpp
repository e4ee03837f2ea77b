#include <stdexcept>

#include "cppbatch/infrastructure/keyset_paging_reader.hpp"
#include "cppbatch/infrastructure/pg_connection.hpp"
#include "cppbatch/infrastructure/pg_paging_reader.hpp"
#include "cppbatch/infrastructure/sqlite_database.hpp"
#include "cppbatch/infrastructure/sqlite_paging_reader.hpp"
#include "infrastructure/pg_internal.hpp"
#include "infrastructure/pg_types.hpp"

namespace cppbatch {
namespace internal {
namespace {

[[noreturn]] void null_key(const std::string& reader, const std::string& key) {
  throw std::runtime_error("reader '" + reader + "': sort key '" + key +
                           "' is NULL in a row; a paging reader's sort key must be unique and not NULL");
}

std::string quote_sqlite_identifier(const std::string& name) { return quote_identifier(name); }

}  // namespace

void put_sql_key(ExecutionContext& context, const std::string& key, const SqlValue& value) {
  put_key(context, key, value);
}

std::optional<SqlValue> get_sql_key(const ExecutionContext& context, const std::string& key) {
  auto it = context.values().find(key);
  if (it == context.values().end()) return std::nullopt;
  return to_sql_value(it->second);
}

// ---- SQLite

SqlitePageQuery::SqlitePageQuery(SqlitePagingOptions options) : options_(std::move(options)) {
  const std::string who = "SqlitePagingReader '" + options_.name + "'";
  if (options_.database_path.empty()) throw std::invalid_argument(who + ": database_path is empty");
  if (options_.sql.empty()) throw std::invalid_argument(who + ": sql is empty");
  if (options_.sort_key.empty()) throw std::invalid_argument(who + ": sort_key is empty");
}

SqlitePageQuery::~SqlitePageQuery() { close(); }

void SqlitePageQuery::open(const ExecutionContext& context) {
  close();
  const std::string who = "reader '" + options_.name + "': ";
  SqliteOpenOptions open_options;
  open_options.read_only = true;
  open_options.busy_timeout_ms = options_.busy_timeout_ms;
  database_ = std::make_unique<SQLite::Database>(open_sqlite_database(options_.database_path, open_options));
  const std::string key = "cppbatch_q." + quote_sqlite_identifier(options_.sort_key);
  const std::string base = "SELECT * FROM (" + options_.sql + ") AS cppbatch_q";
  const std::string tail = " ORDER BY " + key + " LIMIT " + std::to_string(options_.page_size);
  auto prepare = [&](const std::string& sql) {
    sqlite3_stmt* prepared = nullptr;
    int rc = sqlite3_prepare_v2(database_->getHandle(), sql.c_str(), static_cast<int>(sql.size()), &prepared, nullptr);
    std::unique_ptr<sqlite3_stmt, Finalize> owned(prepared);
    if (rc != SQLITE_OK || prepared == nullptr) {
      std::string reason = rc != SQLITE_OK ? sqlite3_errmsg(database_->getHandle()) : "no statement";
      throw std::runtime_error(who + "cannot prepare query: " + reason + " — " + options_.sql);
    }
    return owned;
  };
  try {
    first_ = prepare(base + tail);
    next_ = prepare(base + " WHERE " + key + " > :cppbatch_after" + tail);
    std::vector<SqlBinding> bindings = resolve_bindings(options_.bindings, options_.parameter_sources, context);
    bind_parameters(first_.get(), bindings);
    bind_parameters(next_.get(), bindings);
    after_index_ = sqlite3_bind_parameter_index(next_.get(), ":cppbatch_after");
    key_column_ = -1;
    for (int i = 0; i < sqlite3_column_count(first_.get()); ++i) {
      if (options_.sort_key == sqlite3_column_name(first_.get(), i)) key_column_ = i;
    }
    if (key_column_ < 0) {
      throw std::runtime_error(who + "sort key '" + options_.sort_key + "' is not a column of: " + options_.sql);
    }
  } catch (...) {
    close();
    throw;
  }
}

void SqlitePageQuery::close() {
  first_.reset();
  next_.reset();
  database_.reset();
}

void SqlitePageQuery::fetch(const std::optional<SqlValue>& after,
                            const std::function<void(const SqliteRow&, SqlValue&&)>& on_row) {
  sqlite3_stmt* stmt = after ? next_.get() : first_.get();
  if (stmt == nullptr) throw std::logic_error("reader '" + options_.name + "': read before open()");
  struct Reset {
    sqlite3_stmt* s;
    ~Reset() { sqlite3_reset(s); }  // ends the read transaction of the page
  } reset{stmt};
  if (after) {
    int rc = std::visit(
        [&](const auto& v) {
          using V = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<V, int64_t>) {
            return sqlite3_bind_int64(stmt, after_index_, v);
          } else if constexpr (std::is_same_v<V, double>) {
            return sqlite3_bind_double(stmt, after_index_, v);
          } else if constexpr (std::is_same_v<V, std::string>) {
            return sqlite3_bind_text(stmt, after_index_, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
          } else {
            return sqlite3_bind_null(stmt, after_index_);
          }
        },
        *after);
    if (rc != SQLITE_OK) throw std::runtime_error("binding the page key: " + std::string(sqlite3_errstr(rc)));
  }
  SqliteRow row(stmt);
  for (;;) {
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) throw SQLite::Exception(database_->getHandle(), rc);
    SqlValue key;
    switch (sqlite3_column_type(stmt, key_column_)) {
      case SQLITE_INTEGER: key = sqlite3_column_int64(stmt, key_column_); break;
      case SQLITE_FLOAT: key = sqlite3_column_double(stmt, key_column_); break;
      case SQLITE_TEXT: key = std::string(row.get_string(key_column_)); break;
      case SQLITE_NULL: null_key(options_.name, options_.sort_key);
      default:
        throw std::runtime_error("reader '" + options_.name + "': sort key '" + options_.sort_key +
                                 "' holds a BLOB; it must be INTEGER, REAL or TEXT");
    }
    on_row(row, std::move(key));
  }
}

// ---- PostgreSQL

struct PgPageQuery::Impl {
  std::unique_ptr<PgConnection> connection;
  std::vector<std::string> texts;  // parameter values as text
  std::vector<bool> nulls;
  std::string first_name, next_name;
  int key_column = -1;
  std::string after_text;
  // The page after this key was asked for and its result not read yet:
  // the server produces it while the reader maps the page before.
  std::optional<SqlValue> prefetched_after;

  // Sends the page query after `after` (none: the first page); false if
  // libpq could not send it.
  bool send(const std::optional<SqlValue>& after) {
    std::vector<const char*> values(texts.size() + (after ? 1 : 0));
    for (size_t i = 0; i < texts.size(); ++i) values[i] = nulls[i] ? nullptr : texts[i].c_str();
    if (after) {
      to_text(*after, after_text);
      values.back() = after_text.c_str();
    }
    const std::string& name = after ? next_name : first_name;
    return PQsendQueryPrepared(pg(*connection), name.c_str(), static_cast<int>(values.size()), values.data(), nullptr,
                               nullptr, 0) != 0;
  }
  // The result of the query sent last, and the end of its results.
  PGresult* receive() {
    PGresult* result = PQgetResult(pg(*connection));
    discard_results(pg(*connection));
    return result;
  }
};

PgPageQuery::PgPageQuery(PgPagingOptions options) : options_(std::move(options)), impl_(std::make_unique<Impl>()) {
  const std::string who = "PgPagingReader '" + options_.name + "'";
  if (options_.url.empty()) throw std::invalid_argument(who + ": url is empty");
  if (options_.sql.empty()) throw std::invalid_argument(who + ": sql is empty");
  if (options_.sort_key.empty()) throw std::invalid_argument(who + ": sort_key is empty");
}

PgPageQuery::~PgPageQuery() { close(); }

void PgPageQuery::open(const ExecutionContext& context) {
  close();
  const std::string who = "reader '" + options_.name + "'";
  std::vector<SqlBinding> bindings = resolve_bindings(options_.bindings, options_.parameter_sources, context);
  size_t positional = 0;
  for (const SqlBinding& b : bindings) positional += b.name.empty() ? 1 : 0;
  std::vector<std::string> names;
  std::string sql = rewrite_named_parameters(options_.sql, names, static_cast<int>(positional) + 1);
  std::vector<SqlValue> values = order_bindings(bindings, names, options_.sql);
  impl_->texts.assign(values.size(), std::string());
  impl_->nulls.assign(values.size(), false);
  for (size_t i = 0; i < values.size(); ++i) impl_->nulls[i] = !to_text(values[i], impl_->texts[i]);

  const std::string key = "cppbatch_q." + quote_identifier(options_.sort_key);
  const std::string base = "SELECT * FROM (" + sql + ") AS cppbatch_q";
  const std::string tail = " ORDER BY " + key + " LIMIT " + std::to_string(options_.page_size);
  impl_->connection = std::make_unique<PgConnection>(options_.url);
  PgConnection& db = *impl_->connection;
  impl_->first_name = "cppbatch_page_first";
  impl_->next_name = "cppbatch_page_next";
  try {
    check(db, PQprepare(pg(db), impl_->first_name.c_str(), (base + tail).c_str(), 0, nullptr), PGRES_COMMAND_OK,
          who + ": preparing the first page of " + options_.sql);
    check(db,
          PQprepare(pg(db), impl_->next_name.c_str(),
                    (base + " WHERE " + key + " > $" + std::to_string(values.size() + 1) + tail).c_str(), 0, nullptr),
          PGRES_COMMAND_OK, who + ": preparing the next pages of " + options_.sql);
    auto described = check(db, PQdescribePrepared(pg(db), impl_->first_name.c_str()), PGRES_COMMAND_OK,
                           who + ": describing " + options_.sql);
    impl_->key_column = -1;
    for (int i = 0; i < PQnfields(described.get()); ++i) {
      if (options_.sort_key == PQfname(described.get(), i)) impl_->key_column = i;
    }
    if (impl_->key_column < 0) {
      throw std::runtime_error(who + ": sort key '" + options_.sort_key + "' is not a column of: " + options_.sql);
    }
  } catch (...) {
    close();
    throw;
  }
}

void PgPageQuery::close() {
  impl_->connection.reset();  // a page query under way ends with it
  impl_->prefetched_after.reset();
}

void PgPageQuery::fetch(const std::optional<SqlValue>& after,
                        const std::function<void(const PgRow&, SqlValue&&)>& on_row) {
  if (!impl_->connection) throw std::logic_error("reader '" + options_.name + "': read before open()");
  PgConnection& db = *impl_->connection;
  const std::string context = "reader '" + options_.name + "': page query";
  bool sent = false;
  if (impl_->prefetched_after) {
    sent = after && *after == *impl_->prefetched_after;
    // Another page is wanted (a mapper failed mid-page): drop the one sent.
    if (!sent) PQclear(impl_->receive());
    impl_->prefetched_after.reset();
  }
  if (!sent && !impl_->send(after)) throw_pg_error(db, nullptr, context);
  auto result = check(db, impl_->receive(), PGRES_TUPLES_OK, context);
  const int rows = PQntuples(result.get());
  PgRow row(result.get(), 0);
  if (rows > 0 && static_cast<size_t>(rows) == options_.page_size) {
    row.move_to(rows - 1);
    if (!row.is_null(impl_->key_column)) {
      SqlValue last = key_value(row, impl_->key_column);
      if (impl_->send(last)) impl_->prefetched_after = std::move(last);
    }
  }
  for (int i = 0; i < rows; ++i) {
    row.move_to(i);
    if (row.is_null(impl_->key_column)) null_key(options_.name, options_.sort_key);
    on_row(row, key_value(row, impl_->key_column));
  }
}

}  // namespace internal
}  // namespace cppbatch
