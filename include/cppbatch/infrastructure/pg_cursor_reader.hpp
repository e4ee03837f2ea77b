// PgCursorReader<T>: a restartable ItemReader over a PostgreSQL SELECT,
// streamed through a server-side cursor (DECLARE ... CURSOR inside a
// read-only REPEATABLE READ transaction, FETCH fetch_size rows at a time)
// and mapped row by row — Spring's JdbcCursorItemReader with a RowMapper.
// The next FETCH is sent as soon as one arrives, so the server produces the
// next rows while these are mapped; an error of that fetch surfaces when
// its first row is read. Memory holds two fetches, whatever the result's
// size.
//
//   PgCursorReader<Game> reader(
//       {.url = "postgresql://batch@db/football",
//        .sql = "SELECT id, player, yards FROM games WHERE year >= :min_year ORDER BY id",
//        .bindings = {{":min_year", int64_t{1990}}},
//        .restart_key_column = "id"},
//       [](const PgRow& row) { return Game{row.get_long(0), std::string(row.get_string(1)), row.get_long(2)}; });
//
// Parameters: :name (see SqlBinding; a positional binding is $1, $2...),
// plus parameter_sources resolved from job parameters or the step's
// context at open() (sql_parameter_source.hpp).
//
// Restart (ItemStream):
//  - with restart_key_column (keyset): update() saves <name>.last.key, the
//    key of the last row handed out; open() runs
//      SELECT * FROM (<sql>) q WHERE q.<key> > <saved key> ORDER BY q.<key>
//    so the server skips what was committed. The key must be unique and
//    not NULL (a NULL key fails the read); <sql> must order by it;
//  - without: open() moves the cursor forward <name>.read.count rows
//    (correct only if the query returns the same rows in the same order).
// Both save <name>.read.count.
//
// The reader opens its own connection at open() and closes it at close().
// Not thread-safe (use a paging reader to share one among threads).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "cppbatch/core/item_reader.hpp"
#include "cppbatch/core/item_stream.hpp"
#include "cppbatch/infrastructure/pg_row.hpp"
#include "cppbatch/infrastructure/record.hpp"
#include "cppbatch/infrastructure/sql_binding.hpp"
#include "cppbatch/infrastructure/sql_parameter_source.hpp"

namespace cppbatch {

struct PgReaderOptions {
  // Connection URL (postgresql://...). Required.
  std::string url{};
  // The SELECT. Required.
  std::string sql{};
  // Parameters of `sql`, bound at every open().
  std::vector<SqlBinding> bindings{};
  // Parameters resolved at open() from job parameters or the step's context.
  std::vector<SqlParameterSource> parameter_sources{};
  // Prefix of the context keys <name>.read.count, <name>.last.key.
  std::string name = "pgCursorReader";
  // Result column whose last committed value restart resumes after.
  // Empty: restart by row count.
  std::string restart_key_column{};
  // Rows per FETCH.
  int fetch_size = 1000;
  // false: update() saves nothing, open() ignores saved state.
  bool save_state = true;
};

// The untyped engine of PgCursorReader: rows as PgRow views.
class PgCursor : public ItemStream {
 public:
  explicit PgCursor(PgReaderOptions options);
  ~PgCursor() override;
  PgCursor(const PgCursor&) = delete;
  PgCursor& operator=(const PgCursor&) = delete;

  // Connects, begins the read transaction, declares the cursor after the
  // saved position. Throws PgError (connection, SQL), std::invalid_argument
  // (a parameter without value), std::runtime_error (unknown key column).
  void open(ExecutionContext& context) override;
  void update(ExecutionContext& context) override;
  // Ends the transaction and disconnects. Idempotent.
  void close() override;

  // The next row, or nullptr at the end (and after). Valid until the next
  // call. Throws PgError on a database error, std::logic_error before open().
  const PgRow* next();

  int64_t read_count() const { return read_count_; }
  const PgReaderOptions& options() const { return options_; }

 private:
  struct Impl;
  void fetch();
  void remember_key();

  PgReaderOptions options_;
  std::string count_key_, last_key_key_;
  std::unique_ptr<Impl> impl_;
  std::optional<PgRow> row_;
  int rows_in_fetch_ = 0;
  int position_ = 0;
  bool last_fetch_ = false;
  int key_column_ = -1;
  int64_t read_count_ = 0;
  std::optional<SqlValue> last_key_;
};

template <class T>
class PgCursorReader : public ItemReader<T>, public ItemStream {
 public:
  using Mapper = std::function<T(const PgRow&)>;

  PgCursorReader(PgReaderOptions options, Mapper mapper) : cursor_(std::move(options)), mapper_(std::move(mapper)) {
    if (!mapper_) throw std::invalid_argument("PgCursorReader: empty mapper");
  }

  // The next mapped row, or nullopt at the end. Mapper exceptions propagate
  // (the row counts as read).
  std::optional<T> read() override {
    const PgRow* row = cursor_.next();
    if (row == nullptr) return std::nullopt;
    return std::optional<T>(mapper_(*row));
  }

  void open(ExecutionContext& context) override { cursor_.open(context); }
  void update(ExecutionContext& context) override { cursor_.update(context); }
  void close() override { cursor_.close(); }

  const PgCursor& cursor() const { return cursor_; }

 private:
  PgCursor cursor_;
  Mapper mapper_;
};

// Row → Record: one field per column, named like it, typed by the column's
// type: integers → integer, float4/float8 → double, boolean → bool, date →
// Date, timestamp → DateTime, NULL → null, anything else (numeric, text,
// json, timestamptz...) → text. Use as the reader's mapper:
//   PgCursorReader<Record> reader(options, PgRecordMapper());
// The layout is built from the first row and reused.
class PgRecordMapper {
 public:
  Record operator()(const PgRow& row);

 private:
  RecordLayout layout_;
};

}  // namespace cppbatch
