// SqlBinding: a parameter value bound to an SQL statement by name or by
// position — how a reader's query gets its parameters from options (and,
// later, from job parameters in a job file).
//
//   std::vector<SqlBinding> b = {{":min_year", int64_t{1990}}, {":team", std::string("mia")}};
//   std::vector<SqlBinding> p = {{"", int64_t{1990}}, {"", nullptr}};   // ?1, ?2
#pragma once

#include <sqlite3.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace cppbatch {

using SqlValue = std::variant<std::nullptr_t, int64_t, double, std::string>;

struct SqlBinding {
  // ":name", "@name" or "$name" (':' is assumed when there is no prefix).
  // Empty: positional — the binding's 1-based position in its list.
  std::string name{};
  SqlValue value{};
};

// Binds every binding to a prepared statement. Throws std::invalid_argument
// naming the parameter when the statement has no such parameter, and
// std::runtime_error when SQLite refuses a value.
void bind_parameters(sqlite3_stmt* statement, const std::vector<SqlBinding>& bindings);

}  // namespace cppbatch
