#include "cppbatch/infrastructure/pg_row.hpp"

#include <libpq-fe.h>

#include <charconv>
#include <stdexcept>
#include <string>

namespace cppbatch {
namespace {

const PGresult* res(const void* result) { return static_cast<const PGresult*>(result); }

[[noreturn]] void not_convertible(const PgRow& row, int index, std::string_view value, const char* expected) {
  throw std::runtime_error("column '" + std::string(row.column_name(index)) + "': '" + std::string(value.substr(0, 100)) +
                           "' is not " + expected);
}

}  // namespace

int PgRow::column_count() const { return PQnfields(res(result_)); }

int PgRow::checked(int index) const {
  const int columns = PQnfields(res(result_));
  if (index < 0 || index >= columns) {
    throw std::out_of_range("no column " + std::to_string(index) + " in a row of " + std::to_string(columns) +
                            " columns");
  }
  return index;
}

const char* PgRow::column_name(int index) const { return PQfname(res(result_), checked(index)); }

int PgRow::index_of(std::string_view name) const {
  const int columns = PQnfields(res(result_));
  for (int i = 0; i < columns; ++i) {
    if (name == PQfname(res(result_), i)) return i;
  }
  std::string known;
  for (int i = 0; i < columns; ++i) known += std::string(i ? ", " : "") + PQfname(res(result_), i);
  throw std::out_of_range("no column named '" + std::string(name) + "' (columns: " + known + ")");
}

unsigned PgRow::type_oid(int index) const { return PQftype(res(result_), checked(index)); }

bool PgRow::is_null(int index) const { return PQgetisnull(res(result_), row_, checked(index)) != 0; }

std::string_view PgRow::get_string(int index) const {
  const int i = checked(index);
  return {PQgetvalue(res(result_), row_, i), static_cast<size_t>(PQgetlength(res(result_), row_, i))};
}

int64_t PgRow::get_long(int index) const {
  if (is_null(index)) return 0;
  std::string_view text = get_string(index);
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) not_convertible(*this, index, text, "an integer");
  return value;
}

double PgRow::get_double(int index) const {
  if (is_null(index)) return 0;
  std::string_view text = get_string(index);
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) not_convertible(*this, index, text, "a number");
  return value;
}

bool PgRow::get_bool(int index) const {
  if (is_null(index)) return false;
  std::string_view text = get_string(index);
  if (text == "t" || text == "true") return true;
  if (text == "f" || text == "false") return false;
  not_convertible(*this, index, text, "a boolean");
}

}  // namespace cppbatch

#include "cppbatch/common/time_format.hpp"
#include "infrastructure/pg_types.hpp"

namespace cppbatch::internal {

Value pg_value(const PgRow& row, int column) {
  if (row.is_null(column)) return Value();
  const unsigned oid = row.type_oid(column);
  if (is_integer_oid(oid)) return row.get_long(column);
  if (is_float_oid(oid)) return row.get_double(column);
  if (oid == kBoolOid) return row.get_bool(column);
  std::string_view text = row.get_string(column);
  if (oid == kDateOid) {
    if (auto day = parse_date(text)) return *day;
  } else if (oid == kTimestampOid) {
    if (auto moment = parse_date_time(text)) return *moment;
  }
  return std::string(text);  // numeric, text, json, infinity dates...: exact text
}

}  // namespace cppbatch::internal
