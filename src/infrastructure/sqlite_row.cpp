#include "cppbatch/infrastructure/sqlite_row.hpp"

#include <stdexcept>
#include <string>

namespace cppbatch {

SqliteRow::SqliteRow(sqlite3_stmt* statement)
    : stmt_(statement), columns_(sqlite3_column_count(stmt_)) {}

int SqliteRow::checked(int index) const {
  if (index < 0 || index >= columns_) {
    throw std::out_of_range("no column " + std::to_string(index) + " in a row of " +
                            std::to_string(columns_) + " columns");
  }
  return index;
}

const char* SqliteRow::column_name(int index) const {
  return sqlite3_column_name(stmt_, checked(index));
}

int SqliteRow::index_of(std::string_view name) const {
  for (int i = 0; i < columns_; ++i) {
    const char* column = sqlite3_column_name(stmt_, i);
    if (column != nullptr && name == column) return i;
  }
  throw std::out_of_range("no column named '" + std::string(name) + "' in the result of: " +
                          sqlite3_sql(stmt_));
}

std::string_view SqliteRow::get_string(int index) const {
  const int i = checked(index);
  const unsigned char* text = sqlite3_column_text(stmt_, i);
  if (text == nullptr) return {};
  return {reinterpret_cast<const char*>(text), static_cast<size_t>(sqlite3_column_bytes(stmt_, i))};
}

Record SqliteRecordMapper::operator()(const SqliteRow& row) {
  const int columns = row.column_count();
  if (!layout_ || statement_ != row.handle()) {
    std::vector<std::string> names;
    for (int i = 0; i < columns; ++i) names.emplace_back(row.column_name(i));
    layout_ = make_record_layout(std::move(names));
    statement_ = row.handle();
  }
  std::vector<Value> values(static_cast<size_t>(columns));
  for (int i = 0; i < columns; ++i) {
    switch (row.type(i)) {
      case SQLITE_INTEGER: values[static_cast<size_t>(i)] = row.get_long(i); break;
      case SQLITE_FLOAT: values[static_cast<size_t>(i)] = row.get_double(i); break;
      case SQLITE_NULL: break;
      case SQLITE_BLOB: {
        const void* blob = sqlite3_column_blob(row.handle(), i);
        values[static_cast<size_t>(i)] =
            std::string(static_cast<const char*>(blob), static_cast<size_t>(sqlite3_column_bytes(row.handle(), i)));
        break;
      }
      default: values[static_cast<size_t>(i)] = std::string(row.get_string(i)); break;
    }
  }
  return Record(layout_, std::move(values));
}

}  // namespace cppbatch
