// PgConnection: one PostgreSQL connection (libpq), opened from a URL and
// closed by the destructor — what the PostgreSQL readers and writers use.
// libpq stays out of this header; native_handle() gives the PGconn* for
// anything else.
//
//   PgConnection db("postgresql://batch:s%3Acret@db:5432/batch?application_name=load");
//   db.execute("CREATE TABLE IF NOT EXISTS t(id bigint PRIMARY KEY, v text)");
//   db.execute("INSERT INTO t VALUES($1, $2)", {int64_t{1}, std::string("one")});
//   int64_t n = db.query_long("SELECT count(*) FROM t");
//
// Errors are PgError: the message starts with the redacted URL (never the
// password) and gives libpq's or the server's reason; sqlstate() has the
// five-character SQLSTATE when the server sent one. Not thread-safe: one
// thread at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "cppbatch/common/connection_url.hpp"
#include "cppbatch/infrastructure/sql_binding.hpp"

namespace cppbatch {

class PgError : public std::runtime_error {
 public:
  PgError(const std::string& message, std::string sqlstate)
      : std::runtime_error(message), sqlstate_(std::move(sqlstate)) {}
  // "23505" (unique violation), "28P01" (bad password)...; empty when the
  // failure was not the server's (connection refused, bad URL).
  const std::string& sqlstate() const { return sqlstate_; }

 private:
  std::string sqlstate_;
};

// A writer could not write an item of a chunk; the chunk's own transaction
// (if the writer began one) has been rolled back.
class PgWriteError : public PgError {
 public:
  PgWriteError(const std::string& message, std::string sqlstate, size_t item_index)
      : PgError(message, std::move(sqlstate)), item_index_(item_index) {}
  // 0-based index in the chunk of the item that failed; the chunk size
  // when the failure was not an item's (COMMIT, connection lost).
  size_t item_index() const { return item_index_; }

 private:
  size_t item_index_;
};

class PgConnection {
 public:
  // Connects to `url` (postgresql://...; see connection_url.hpp). Throws
  // PgError for a bad URL, a refused connection or failed authentication,
  // quoting the redacted URL.
  explicit PgConnection(std::string_view url);
  explicit PgConnection(const ConnectionUrl& url);
  ~PgConnection();
  PgConnection(PgConnection&& other) noexcept;
  PgConnection& operator=(PgConnection&& other) noexcept;
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  // Runs one or more statements without parameters. Throws PgError.
  void execute(std::string_view sql);
  // Runs one statement with $1..$n parameters (sent as text; the server
  // infers their types). Throws PgError.
  void execute(std::string_view sql, const std::vector<SqlValue>& parameters);
  // The first column of the first row as an integer; nullopt when there is
  // no row or it is NULL. Throws PgError.
  std::optional<int64_t> query_long(std::string_view sql, const std::vector<SqlValue>& parameters = {});
  // The first column of the first row as text; nullopt as above.
  std::optional<std::string> query_string(std::string_view sql, const std::vector<SqlValue>& parameters = {});

  // Whether a transaction is open (BEGIN without COMMIT/ROLLBACK yet).
  bool in_transaction() const;
  // The URL without its password, for messages.
  const std::string& redacted_url() const;
  // The PGconn*, owned by this object.
  void* native_handle() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cppbatch
