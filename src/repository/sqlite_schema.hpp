// The SQLite repository schema (sql/schema-sqlite.sql, compiled into the
// binary) and the table prefix rules. Internal.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace cppbatch::internal {

// True if `prefix` is a valid table prefix: [A-Za-z0-9_]+.
bool valid_table_prefix(std::string_view prefix);

// The DDL of sql/schema-sqlite.sql with every identifier that starts with
// the placeholder BATCH_ starting with `prefix` instead.
std::string sqlite_schema(std::string_view prefix);

// The names of the tables and indexes that DDL creates, in file order.
std::vector<std::string> sqlite_schema_objects(std::string_view prefix);

}  // namespace cppbatch::internal
