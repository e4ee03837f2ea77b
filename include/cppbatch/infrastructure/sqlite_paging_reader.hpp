// SqlitePagingReader<T>: a thread-safe, restartable ItemReader over an
// SQLite SELECT, one keyset page at a time (see keyset_paging_reader.hpp
// for paging, threads and restart).
//
//   SqlitePagingReader<Game> reader(
//       {.database_path = "football.db",
//        .sql = "SELECT id, player, yards FROM games WHERE year >= :min_year",
//        .sort_key = "id", .page_size = 500,
//        .bindings = {{":min_year", int64_t{1990}}}},
//       [](const SqliteRow& row) { return Game{row.get_long(0), std::string(row.get_string(1)), row.get_long(2)}; });
//
// `sql` needs no ORDER BY (the reader orders by sort_key); sort_key is a
// column of its result. The database is opened read-only at open() and
// closed at close(); each page is one statement execution (SQLite keeps no
// snapshot between pages: rows committed meanwhile after the last key are
// seen). Keys compare as SQLite compares the column (its collation).
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <memory>
#include <string>
#include <vector>

#include "cppbatch/infrastructure/keyset_paging_reader.hpp"
#include "cppbatch/infrastructure/sql_parameter_source.hpp"
#include "cppbatch/infrastructure/sqlite_row.hpp"

namespace cppbatch {

struct SqlitePagingOptions {
  // Database file, opened read-only at open(). Required.
  std::string database_path{};
  // The SELECT (without ORDER BY / LIMIT). Required.
  std::string sql{};
  // The unique, non-NULL result column pages are ordered and keyed by. Required.
  std::string sort_key{};
  // Rows per page (per query).
  size_t page_size = 1000;
  // Parameters of `sql`: fixed, and resolved at open().
  std::vector<SqlBinding> bindings{};
  std::vector<SqlParameterSource> parameter_sources{};
  // Prefix of the context keys <name>.read.count, <name>.last.key.
  std::string name = "sqlitePagingReader";
  // false (multi-threaded steps): update() saves nothing, open() ignores saved state.
  bool save_state = true;
  int busy_timeout_ms = 30000;
};

namespace internal {

// The page query of SqlitePagingReader.
class SqlitePageQuery {
 public:
  explicit SqlitePageQuery(SqlitePagingOptions options);
  ~SqlitePageQuery();
  void open(const ExecutionContext& context);
  void close();
  void fetch(const std::optional<SqlValue>& after, const std::function<void(const SqliteRow&, SqlValue&&)>& on_row);
  const SqlitePagingOptions& options() const { return options_; }

 private:
  struct Finalize {
    void operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }
  };
  SqlitePagingOptions options_;
  std::unique_ptr<SQLite::Database> database_;
  std::unique_ptr<sqlite3_stmt, Finalize> first_, next_;
  int key_column_ = -1;
  int after_index_ = 0;
};

}  // namespace internal

template <class T>
class SqlitePagingReader : public KeysetPagingReader<T, SqliteRow> {
 public:
  SqlitePagingReader(SqlitePagingOptions options, typename KeysetPagingReader<T, SqliteRow>::Mapper mapper)
      : KeysetPagingReader<T, SqliteRow>(options.name, options.save_state, options.page_size, std::move(mapper)),
        query_(std::move(options)) {}
  ~SqlitePagingReader() override { query_.close(); }

 protected:
  void open_source(const ExecutionContext& context) override { query_.open(context); }
  void close_source() override { query_.close(); }
  void fetch_page(const std::optional<SqlValue>& after,
                  const std::function<void(const SqliteRow&, SqlValue&&)>& on_row) override {
    query_.fetch(after, on_row);
  }

 private:
  internal::SqlitePageQuery query_;
};

}  // namespace cppbatch
