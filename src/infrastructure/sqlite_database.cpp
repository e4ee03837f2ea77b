#include "cppbatch/infrastructure/sqlite_database.hpp"

#include <stdexcept>

namespace cppbatch {

SQLite::Database open_sqlite_database(const std::string& path, const SqliteOpenOptions& options) {
  const std::string& sync = options.synchronous;
  if (!options.read_only && sync != "OFF" && sync != "NORMAL" && sync != "FULL" &&
      sync != "EXTRA") {
    throw std::invalid_argument("SQLite synchronous must be OFF, NORMAL, FULL or EXTRA, not '" +
                                sync + "'");
  }
  int flags = options.read_only
                  ? SQLite::OPEN_READONLY
                  : SQLite::OPEN_READWRITE | (options.create ? SQLite::OPEN_CREATE : 0);
  try {
    SQLite::Database db(path, flags, options.busy_timeout_ms);
    if (!options.read_only) {
      if (options.wal) db.exec("PRAGMA journal_mode=WAL");
      db.exec("PRAGMA synchronous=" + sync);
    }
    if (!options.init_sql.empty()) {
      try {
        db.exec(options.init_sql);
      } catch (const SQLite::Exception& e) {
        throw std::runtime_error("initialising SQLite database '" + path + "': " + e.what());
      }
    }
    return db;
  } catch (const SQLite::Exception& e) {
    throw std::runtime_error("cannot open SQLite database '" + path + "': " + e.what());
  }
}

}  // namespace cppbatch
