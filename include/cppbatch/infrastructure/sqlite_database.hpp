// open_sqlite_database: the one place cppbatch's item readers and writers
// open an SQLite file, so every connection gets the same pragmas: WAL
// journal (readers never block the writer), synchronous=NORMAL (durable at
// each WAL checkpoint, safe against application crashes; a power loss can
// lose the last commits but never corrupts), a 30 s busy timeout instead of
// failing on a locked database.
//
//   SQLite::Database db = open_sqlite_database("out.db",
//       {.init_sql = "CREATE TABLE IF NOT EXISTS t(id INTEGER PRIMARY KEY, v TEXT)"});
//
// The returned connection is like any SQLite connection: use it from one
// thread at a time.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <string>

namespace cppbatch {

struct SqliteOpenOptions {
  // Open read-only (the file must exist; no pragma is changed).
  bool read_only = false;
  // Read-write only: create the file when missing.
  bool create = true;
  // How long a statement waits for another connection's lock before
  // failing with SQLITE_BUSY.
  int busy_timeout_ms = 30000;
  // Read-write only: PRAGMA journal_mode=WAL (persistent in the file).
  bool wal = true;
  // Read-write only: PRAGMA synchronous = OFF | NORMAL | FULL | EXTRA.
  std::string synchronous = "NORMAL";
  // Executed once after opening, e.g. "CREATE TABLE IF NOT EXISTS ...".
  // May hold several statements.
  std::string init_sql{};
};

// Opens (and, read-write, creates) the database at `path` (":memory:"
// works). Throws std::runtime_error naming the path when it cannot be
// opened, a pragma fails, or init_sql fails; std::invalid_argument for a
// bad `synchronous` value.
SQLite::Database open_sqlite_database(const std::string& path,
                                      const SqliteOpenOptions& options = {});

}  // namespace cppbatch
