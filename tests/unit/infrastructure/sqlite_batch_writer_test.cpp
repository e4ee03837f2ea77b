#include "cppbatch/infrastructure/sqlite_batch_writer.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "cppbatch/infrastructure/sqlite_database.hpp"
#include "io_test_support.hpp"

namespace cppbatch {
namespace {

struct Player {
  std::string id;
  std::string name;
  int64_t year;
};

const char* kCreate = "CREATE TABLE IF NOT EXISTS players(id TEXT PRIMARY KEY, name TEXT NOT NULL, year INTEGER)";
const char* kUpsert =
    "INSERT INTO players(id, name, year) VALUES(:id, :name, :year) "
    "ON CONFLICT(id) DO UPDATE SET name = excluded.name, year = excluded.year";

void bind_player(const Player& p, SQLite::Statement& s) {
  s.bind(":id", p.id);
  s.bind(":name", p.name);
  s.bind(":year", p.year);
}

Chunk<Player> players(int from, int to, const std::string& suffix = "") {
  Chunk<Player> chunk;
  for (int i = from; i < to; ++i) chunk.add({"P" + std::to_string(i), "name" + std::to_string(i) + suffix, 1950 + i});
  return chunk;
}

class SqliteBatchWriterTest : public ::testing::Test {
 protected:
  int64_t count(const std::string& where = "1") {
    SQLite::Database db(path_);
    return db.execAndGet("SELECT count(*) FROM players WHERE " + where).getInt64();
  }
  testing::ScratchDir dir_;
  std::string path_ = dir_.file("out.db");
};

TEST_F(SqliteBatchWriterTest, OwnConnectionWritesEachChunkInATransaction) {
  SqliteBatchWriter<Player> writer({.database_path = path_, .sql = kUpsert, .init_sql = kCreate},
                                   bind_player);
  writer.write(players(0, 100));
  writer.write(players(100, 150));
  writer.write(Chunk<Player>());
  EXPECT_EQ(count(), 150);
  SQLite::Database db(path_);
  EXPECT_EQ(db.execAndGet("PRAGMA journal_mode").getString(), "wal");
  EXPECT_EQ(db.execAndGet("SELECT name FROM players WHERE id = 'P42'").getString(), "name42");
}

TEST_F(SqliteBatchWriterTest, UpsertMakesARewriteIdempotent) {
  SqliteBatchWriter<Player> writer({.database_path = path_, .sql = kUpsert, .init_sql = kCreate},
                                   bind_player);
  writer.write(players(0, 20));
  writer.write(players(10, 20));          // a chunk written again after a restart
  writer.write(players(15, 25, " v2"));   // or with changed values
  EXPECT_EQ(count(), 25);
  EXPECT_EQ(count("name LIKE '% v2'"), 10);
}

TEST_F(SqliteBatchWriterTest, FailingItemRollsTheChunkBackAndNamesItsIndex) {
  SqliteBatchWriter<Player> writer(
      {.database_path = path_, .sql = "INSERT INTO players(id, name, year) VALUES(?1, ?2, ?3)",
       .init_sql = kCreate, .name = "players"},
      [](const Player& p, SQLite::Statement& s) {
        s.bind(1, p.id);
        s.bind(2, p.name);
        s.bind(3, p.year);
      });
  writer.write(players(0, 5));
  Chunk<Player> chunk = players(5, 10);
  chunk[3].id = "P1";  // duplicate key
  try {
    writer.write(chunk);
    FAIL();
  } catch (const SqliteWriteError& e) {
    EXPECT_EQ(e.item_index(), 3u);
    EXPECT_EQ(e.sqlite_code(), SQLITE_CONSTRAINT_PRIMARYKEY);
    EXPECT_NE(std::string(e.what()).find("writer 'players': item at index 3 of 5"),
              std::string::npos)
        << e.what();
  }
  EXPECT_EQ(count(), 5);  // nothing of the failed chunk
  writer.write(players(5, 10));  // the writer is usable again
  EXPECT_EQ(count(), 10);
}

TEST_F(SqliteBatchWriterTest, BinderExceptionsAreReportedWithTheItemIndex) {
  SqliteBatchWriter<Player> writer({.database_path = path_, .sql = kUpsert, .init_sql = kCreate},
                                   [](const Player& p, SQLite::Statement& s) {
                                     if (p.year > 1952) throw std::runtime_error("too young");
                                     bind_player(p, s);
                                   });
  try {
    writer.write(players(0, 5));
    FAIL();
  } catch (const SqliteWriteError& e) {
    EXPECT_EQ(e.item_index(), 3u);
    EXPECT_EQ(e.sqlite_code(), -1);
  }
  EXPECT_EQ(count(), 0);
}

TEST_F(SqliteBatchWriterTest, JoinsTheCallersTransaction) {
  SQLite::Database db = open_sqlite_database(path_, {.init_sql = kCreate});
  SqliteBatchWriter<Player> writer(db, {.sql = kUpsert}, bind_player);
  {
    db.exec("BEGIN IMMEDIATE");
    writer.write(players(0, 10));
    EXPECT_EQ(sqlite3_get_autocommit(db.getHandle()), 0) << "the writer must not commit";
    db.exec("ROLLBACK");
  }
  EXPECT_EQ(count(), 0) << "rolled back with the caller's transaction";
  {
    SQLite::Transaction tx(db);
    writer.write(players(0, 10));
    tx.commit();
  }
  EXPECT_EQ(count(), 10);

  // A failure inside a joined transaction leaves it to the caller.
  SqliteBatchWriter<Player> failing(db, {.sql = "INSERT INTO players(id, name) VALUES(:id, NULL)"},
                                    [](const Player& p, SQLite::Statement& s) { s.bind(":id", p.id); });
  db.exec("BEGIN");
  writer.write(players(10, 12));
  EXPECT_THROW(failing.write(players(20, 22)), SqliteWriteError);
  EXPECT_EQ(sqlite3_get_autocommit(db.getHandle()), 0) << "still the caller's to end";
  db.exec("COMMIT");
  EXPECT_EQ(count(), 12);
}

TEST_F(SqliteBatchWriterTest, CallersConnectionInAutocommitGetsItsOwnTransaction) {
  SQLite::Database db = open_sqlite_database(path_, {.init_sql = kCreate});
  SqliteBatchWriter<Player> writer(db, {.sql = kUpsert}, bind_player);
  writer.write(players(0, 3));
  EXPECT_EQ(sqlite3_get_autocommit(db.getHandle()), 1);
  EXPECT_EQ(count(), 3);
}

TEST_F(SqliteBatchWriterTest, OpenErrorsNameThePath) {
  std::string bad = dir_.file("no/such/dir/x.db");
  try {
    SqliteBatchWriter<Player> writer({.database_path = bad, .sql = kUpsert}, bind_player);
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(bad), std::string::npos) << e.what();
  }
  EXPECT_THROW(SqliteBatchWriter<Player>({.database_path = path_, .sql = kUpsert,
                                          .init_sql = "CREATE TABLE oops("},
                                         bind_player),
               std::runtime_error);
  SqliteBatchWriter<Player> no_table({.database_path = path_, .sql = kUpsert}, bind_player);
  EXPECT_THROW(no_table.write(players(0, 1)), std::runtime_error);
}

}  // namespace
}  // namespace cppbatch
