// Private: PostgreSQL values ↔ cppbatch values (type OIDs from pg_type.h).
#pragma once

#include <string>

#include "cppbatch/core/execution_context.hpp"
#include "cppbatch/infrastructure/pg_row.hpp"
#include "cppbatch/infrastructure/record.hpp"
#include "cppbatch/infrastructure/sql_binding.hpp"

namespace cppbatch::internal {

constexpr unsigned kBoolOid = 16, kInt8Oid = 20, kInt2Oid = 21, kInt4Oid = 23, kOidOid = 26, kFloat4Oid = 700,
                   kFloat8Oid = 701, kDateOid = 1082, kTimestampOid = 1114;

inline bool is_integer_oid(unsigned oid) {
  return oid == kInt8Oid || oid == kInt2Oid || oid == kInt4Oid || oid == kOidOid;
}
inline bool is_float_oid(unsigned oid) { return oid == kFloat4Oid || oid == kFloat8Oid; }

// A sort key as a typed value: integers, floats, else text.
inline SqlValue key_value(const PgRow& row, int column) {
  const unsigned oid = row.type_oid(column);
  if (is_integer_oid(oid)) return row.get_long(column);
  if (is_float_oid(oid)) return row.get_double(column);
  return std::string(row.get_string(column));
}

// A column as a Record value (see PgRecordMapper).
Value pg_value(const PgRow& row, int column);

// SqlValue ↔ ExecutionContext value (NULL is not stored).
inline void put_key(ExecutionContext& context, const std::string& key, const SqlValue& value) {
  if (const auto* l = std::get_if<int64_t>(&value)) context.put_long(key, *l);
  else if (const auto* d = std::get_if<double>(&value)) context.put_double(key, *d);
  else if (const auto* s = std::get_if<std::string>(&value)) context.put_string(key, *s);
}
inline SqlValue to_sql_value(const ExecutionContext::Value& value) {
  if (const auto* b = std::get_if<bool>(&value)) return int64_t{*b ? 1 : 0};
  if (const auto* l = std::get_if<int64_t>(&value)) return *l;
  if (const auto* d = std::get_if<double>(&value)) return *d;
  return std::get<std::string>(value);
}

}  // namespace cppbatch::internal
