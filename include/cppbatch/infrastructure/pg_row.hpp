// PgRow: a read-only view of one row of a PostgreSQL result — what the
// PostgreSQL readers' row mappers see (like SqliteRow). Values arrive as
// text and are converted on access: get_long parses an integer, get_double
// a float ("NaN", "Infinity" too), get_bool 't'/'f'; NULL reads as 0, 0.0,
// false or "" (test is_null first when it matters).
//
//   [](const PgRow& row) {
//     return Game{row.get_long(0), std::string(row.get_string("team")),
//                 row.is_null("yards") ? 0.0 : row.get_double("yards")};
//   }
//
// Valid only during the mapper call; string views die with the row. Column
// indexes are 0-based; a bad index or name throws std::out_of_range, a
// value that does not convert std::runtime_error naming column and value.
#pragma once

#include <cstdint>
#include <string_view>

namespace cppbatch {

class PgRow {
 public:
  // A view of row `row` of `result` (a PGresult*, not owned).
  PgRow(const void* result, int row) : result_(result), row_(row) {}

  int column_count() const;
  const char* column_name(int index) const;
  // Index of a result column by its exact name (first match).
  int index_of(std::string_view name) const;
  // The column's type OID (20 int8, 23 int4, 25 text, 701 float8...).
  unsigned type_oid(int index) const;

  bool is_null(int index) const;
  int64_t get_long(int index) const;
  double get_double(int index) const;
  bool get_bool(int index) const;
  std::string_view get_string(int index) const;

  bool is_null(std::string_view name) const { return is_null(index_of(name)); }
  int64_t get_long(std::string_view name) const { return get_long(index_of(name)); }
  double get_double(std::string_view name) const { return get_double(index_of(name)); }
  bool get_bool(std::string_view name) const { return get_bool(index_of(name)); }
  std::string_view get_string(std::string_view name) const { return get_string(index_of(name)); }

  // The PGresult* and row number, for anything else.
  const void* result() const { return result_; }
  int row() const { return row_; }
  void move_to(int row) { row_ = row; }

 private:
  int checked(int index) const;

  const void* result_;
  int row_;
};

}  // namespace cppbatch
