// SqliteRow: a cheap, read-only view of the current row of an SQLite
// cursor — what a SqliteCursorReader row mapper sees. Accessors go straight
// to sqlite3_column_* (no per-column objects, no copies); SQLite's usual
// conversions apply (TEXT "12" read as a long is 12, NULL reads as 0 or "").
//
//   [](const SqliteRow& row) {
//     return Game{row.get_long(0), std::string(row.get_string("team")),
//                 row.is_null(2) ? 0.0 : row.get_double(2)};
//   }
//
// Valid only during the mapper call; string views die at the next read.
// Column indexes are 0-based; an index or name that does not exist throws
// std::out_of_range.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <string_view>

#include "cppbatch/infrastructure/record.hpp"

namespace cppbatch {

class SqliteRow {
 public:
  // A view of `statement`'s current row (not owned).
  explicit SqliteRow(sqlite3_stmt* statement);

  int column_count() const { return columns_; }
  const char* column_name(int index) const;
  // Index of a result column by name (as in the SELECT list), first match.
  int index_of(std::string_view name) const;
  // SQLITE_INTEGER, SQLITE_FLOAT, SQLITE_TEXT, SQLITE_BLOB or SQLITE_NULL.
  int type(int index) const { return sqlite3_column_type(stmt_, checked(index)); }

  bool is_null(int index) const { return type(index) == SQLITE_NULL; }
  int64_t get_long(int index) const { return sqlite3_column_int64(stmt_, checked(index)); }
  double get_double(int index) const { return sqlite3_column_double(stmt_, checked(index)); }
  std::string_view get_string(int index) const;

  bool is_null(std::string_view name) const { return is_null(index_of(name)); }
  int64_t get_long(std::string_view name) const { return get_long(index_of(name)); }
  double get_double(std::string_view name) const { return get_double(index_of(name)); }
  std::string_view get_string(std::string_view name) const { return get_string(index_of(name)); }

  // The underlying statement, for anything else (blobs, declared types...).
  sqlite3_stmt* handle() const { return stmt_; }

 private:
  int checked(int index) const;

  sqlite3_stmt* stmt_;
  int columns_;
};

// Row → Record: one field per result column, named like it, typed by the
// value's storage class: INTEGER → integer, REAL → double, TEXT and BLOB →
// text, NULL → null. Use as a reader's mapper:
//   SqliteCursorReader<Record> reader(options, SqliteRecordMapper());
// The layout is built from the first row and reused while the columns stay.
class SqliteRecordMapper {
 public:
  Record operator()(const SqliteRow& row);

 private:
  RecordLayout layout_;
  sqlite3_stmt* statement_ = nullptr;  // the statement layout_ was built for
};

}  // namespace cppbatch
