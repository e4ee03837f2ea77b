// SqliteCursorReader<T>: a restartable ItemReader over an SQLite SELECT,
// mapping each row to a T with a row mapper (Spring's JdbcCursorItemReader
// with a RowMapper). Options, restart keys and their rules: SqliteCursor
// (sqlite_cursor.hpp) and docs/item-io.md.
//
//   SqliteCursorReader<Game> reader(
//       {.database_path = "football.db",
//        .sql = "SELECT id, player, yards FROM games ORDER BY id",
//        .restart_key_column = "id"},
//       [](const SqliteRow& row) {
//         return Game{row.get_long(0), std::string(row.get_string(1)), row.get_long(2)};
//       });
//   reader.open(ctx);
//   while (auto g = reader.read()) ...
//
// Mapper exceptions propagate unchanged (the row counts as read). Not
// thread-safe.
#pragma once

#include <functional>
#include <optional>
#include <stdexcept>
#include <utility>

#include "cppbatch/core/item_reader.hpp"
#include "cppbatch/core/item_stream.hpp"
#include "cppbatch/infrastructure/sqlite_cursor.hpp"

namespace cppbatch {

template <class T>
class SqliteCursorReader : public ItemReader<T>, public ItemStream {
 public:
  using Mapper = std::function<T(const SqliteRow&)>;

  // Opens options.database_path read-only at open(), closes it at close().
  SqliteCursorReader(SqliteReaderOptions options, Mapper mapper)
      : cursor_(std::move(options)), mapper_(std::move(mapper)) {
    if (!mapper_) throw std::invalid_argument("SqliteCursorReader: empty mapper");
  }
  // Reads through `database`, which must outlive this reader's close().
  SqliteCursorReader(SQLite::Database& database, SqliteReaderOptions options, Mapper mapper)
      : cursor_(database, std::move(options)), mapper_(std::move(mapper)) {
    if (!mapper_) throw std::invalid_argument("SqliteCursorReader: empty mapper");
  }

  // The next mapped row, or nullopt at the end.
  std::optional<T> read() override {
    const SqliteRow* row = cursor_.next();
    if (row == nullptr) return std::nullopt;
    return std::optional<T>(mapper_(*row));
  }

  void open(ExecutionContext& context) override { cursor_.open(context); }
  void update(ExecutionContext& context) override { cursor_.update(context); }
  void close() override { cursor_.close(); }

  const SqliteCursor& cursor() const { return cursor_; }

 private:
  SqliteCursor cursor_;
  Mapper mapper_;
};

}  // namespace cppbatch
