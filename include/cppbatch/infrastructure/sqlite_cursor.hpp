// SqliteCursor: a restartable forward cursor over an SQLite SELECT, row by
// row — the untyped engine behind SqliteCursorReader<T> (Spring's
// JdbcCursorItemReader). Rows are stepped straight off one prepared
// statement; nothing is buffered.
//
// Restart (ItemStream):
//  - with restart_key_column: update() saves <name>.last.key, the key of
//    the last row handed out; open() re-runs the query and skips rows whose
//    key <= that key (compared as SQLite orders values: NULL < numbers <
//    text, text byte-wise). The SELECT must ORDER BY that column ascending,
//    the key must be unique and use BINARY collation;
//  - without: open() re-runs the query and skips <name>.read.count rows
//    (correct only if the query returns the same rows in the same order).
//  Both save <name>.read.count. Skipped rows are stepped, not mapped.
//
//   SqliteCursor cursor({.database_path = "games.db",
//                        .sql = "SELECT id, team FROM games WHERE year >= :y ORDER BY id",
//                        .bindings = {{":y", int64_t{1990}}},
//                        .restart_key_column = "id"});
//   cursor.open(ctx);
//   while (const SqliteRow* row = cursor.next()) use(row->get_long(0));
//   cursor.close();
//
// Not thread-safe.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cppbatch/core/item_stream.hpp"
#include "cppbatch/infrastructure/sql_binding.hpp"
#include "cppbatch/infrastructure/sql_parameter_source.hpp"
#include "cppbatch/infrastructure/sqlite_row.hpp"

namespace cppbatch {

struct SqliteReaderOptions {
  // Database file, opened read-only at open() by the constructor without a
  // Database& (ignored by the other one).
  std::string database_path{};
  // The SELECT. Required.
  std::string sql{};
  // Parameters of `sql` (see SqlBinding), bound at every open().
  std::vector<SqlBinding> bindings{};
  // Parameters whose values come from the job's parameters or the step's
  // ExecutionContext, resolved at every open() (sql_parameter_source.hpp).
  std::vector<SqlParameterSource> parameter_sources{};
  // Prefix of the context keys <name>.read.count, <name>.last.key.
  std::string name = "sqliteCursorReader";
  // Result column whose last committed value restart resumes after (see
  // above). Empty: restart by row count.
  std::string restart_key_column{};
  // false: update() saves nothing, open() ignores saved state.
  bool save_state = true;
  // Busy timeout of a connection opened from database_path.
  int busy_timeout_ms = 30000;
};

class SqliteCursor : public ItemStream {
 public:
  // Opens options.database_path (read-only) at open(), closes it at close().
  explicit SqliteCursor(SqliteReaderOptions options);
  // Uses `database`, which must outlive this cursor (or at least its
  // close()); the cursor never closes it. Reading a connection that is
  // also writing inside a transaction sees that transaction's rows.
  SqliteCursor(SQLite::Database& database, SqliteReaderOptions options);
  ~SqliteCursor() override;
  SqliteCursor(const SqliteCursor&) = delete;
  SqliteCursor& operator=(const SqliteCursor&) = delete;

  // Prepares and binds the query and positions it after the saved state.
  // Throws std::runtime_error (bad SQL, missing database, unknown restart
  // key column) or std::invalid_argument (unknown parameter).
  void open(ExecutionContext& context) override;
  void update(ExecutionContext& context) override;
  // Finalises the statement (and closes a database it opened). Idempotent.
  void close() override;

  // The next row, or nullptr at the end (and after). Valid until the next
  // call. Throws SQLite::Exception (a std::runtime_error with the SQLite
  // code) on a database error, std::logic_error before open().
  const SqliteRow* next();

  int64_t read_count() const { return read_count_; }
  const SqliteReaderOptions& options() const { return options_; }

 private:
  struct Finalize {
    void operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }
  };

  bool step();
  void remember_key();
  bool at_or_before_saved_key() const;

  SqliteReaderOptions options_;
  std::string count_key_, last_key_key_;
  SQLite::Database* database_ = nullptr;     // in use (owned or not)
  std::unique_ptr<SQLite::Database> owned_;  // when opened from the path
  bool owns_database_ = false;
  std::unique_ptr<sqlite3_stmt, Finalize> statement_;
  std::optional<SqliteRow> row_;
  int key_column_ = -1;
  bool done_ = false;
  int64_t read_count_ = 0;
  // Key of the last row handed out (numbers or text, kept allocation-free
  // in steady state).
  int last_key_type_ = 0;  // 0 none, else SQLITE_INTEGER / SQLITE_FLOAT / SQLITE_TEXT
  int64_t last_key_long_ = 0;
  double last_key_double_ = 0;
  std::string last_key_text_;
  // Restart key to skip past (while skipping_).
  bool skipping_ = false;
  ExecutionContext::Value saved_key_;
};

}  // namespace cppbatch
