// Private helpers of the PostgreSQL components (libpq is visible here only).
#pragma once

#include <libpq-fe.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cppbatch/infrastructure/pg_connection.hpp"
#include "cppbatch/infrastructure/sql_binding.hpp"

namespace cppbatch::internal {

struct PgResultDeleter {
  void operator()(PGresult* result) const { PQclear(result); }
};
using PgResultPtr = std::unique_ptr<PGresult, PgResultDeleter>;

inline PGconn* pg(const PgConnection& connection) { return static_cast<PGconn*>(connection.native_handle()); }

// Discards the results still to come of the query being read (up to the
// null result that ends them).
inline void discard_results(PGconn* conn) {
  while (PGresult* result = PQgetResult(conn)) PQclear(result);
}

// "<context>: <server or libpq message>" as a PgError (message trimmed of
// its trailing newline, SQLSTATE taken from `result` when given).
[[noreturn]] void throw_pg_error(const PgConnection& connection, const PGresult* result, std::string_view context);

// Throws unless `result`'s status is `expected` (PGRES_COMMAND_OK,
// PGRES_TUPLES_OK...).
PgResultPtr check(const PgConnection& connection, PGresult* result, ExecStatusType expected,
                  std::string_view context);

// Rewrites :name parameters to $1..$n (after the `first_number - 1`
// positional ones) and returns the names in number order. String literals,
// quoted identifiers, dollar-quoted text, comments and '::' casts are left
// alone. A name used twice gets one number.
std::string rewrite_named_parameters(std::string_view sql, std::vector<std::string>& names, int first_number = 1);

// The values of `bindings` in $n order for a statement rewritten with
// `names`: positional bindings first ($1..), then named ones matched by
// name (":x", "@x", "$x" or "x"). Throws std::invalid_argument for a
// binding the statement lacks or a parameter without a value.
std::vector<SqlValue> order_bindings(const std::vector<SqlBinding>& bindings, const std::vector<std::string>& names,
                                     std::string_view sql);

// Text form of a value for a text-format parameter; false for NULL.
bool to_text(const SqlValue& value, std::string& out);

// Runs `sql` with text parameters.
PgResultPtr exec_params(const PgConnection& connection, std::string_view sql, const std::vector<SqlValue>& parameters);

}  // namespace cppbatch::internal

namespace cppbatch::internal {

// "name" with inner quotes doubled.
inline std::string quote_identifier(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

}  // namespace cppbatch::internal
