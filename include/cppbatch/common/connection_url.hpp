// ConnectionUrl: where a database is, as one URL string — the form job
// files, the CLI and the item readers/writers take (the job repository's
// URLs are parsed here too).
//
//   sqlite:PATH  sqlite://PATH  sqlite:///abs/PATH   an SQLite file
//   PATH                                            a bare path (no scheme): SQLite too
//   postgresql://[user[:password]@][host][:port][/database][?key=value&...]
//   postgres://...                                  the same
//
// User, password, host, database and option values are percent-decoded
// (`p%40ss` is `p@ss`). Query options are libpq connection keywords
// (sslmode, connect_timeout, application_name, options...); a missing host
// means libpq's default (the local unix socket).
//
//   auto url = parse_connection_url("postgresql://batch:s%3Acret@db:5432/batch?sslmode=require");
//   if (!url) { std::cerr << url.error().message(); return 2; }
//   std::cout << url->redacted();   // postgresql://batch:***@db:5432/batch?sslmode=require
//
// Error messages never contain a password: they quote redact_url(url).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cppbatch/common/result.hpp"

namespace cppbatch {

enum class DatabaseKind { SQLITE, POSTGRESQL };

struct ConnectionUrl {
  DatabaseKind kind = DatabaseKind::SQLITE;
  // SQLITE: the file path (":memory:" works). Never empty after parsing.
  std::string path{};
  // POSTGRESQL: decoded parts; empty / 0 = libpq's default.
  std::string user{};
  std::string password{};
  bool has_password = false;
  std::string host{};
  int port = 0;
  std::string database{};
  // Decoded query options in URL order (libpq keywords).
  std::vector<std::pair<std::string, std::string>> options{};

  // The URL with the password replaced by "***" (also a `password` option).
  // Safe for logs and messages.
  std::string redacted() const;
};

// Parses `url`. Errors (INVALID_ARGUMENT, message quoting the redacted
// URL and saying what is wrong): an unknown scheme (naming the supported
// ones), an empty path or host:port part, a bad port, a bad percent-escape.
Result<ConnectionUrl> parse_connection_url(std::string_view url);

// `url` with any password replaced by "***": the user-info password of
// "scheme://user:password@host/..." and the value of a "password=" key
// (query string or libpq key=value form). Works on any text, even text
// that does not parse. Safe to log.
std::string redact_url(std::string_view url);

// Decodes %XX escapes (a '+' stays a '+'). nullopt-like failure: returns
// false and leaves `out` unspecified for a truncated or non-hex escape.
bool percent_decode(std::string_view text, std::string& out);

// The scheme of "scheme:rest" (RFC 3986 syntax, at least two characters so
// a Windows drive letter stays a path); empty when there is none.
std::string_view url_scheme(std::string_view url);

}  // namespace cppbatch
