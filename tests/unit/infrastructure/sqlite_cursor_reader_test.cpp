#include "cppbatch/infrastructure/sqlite_cursor_reader.hpp"

#include <gtest/gtest.h>

#include "cppbatch/infrastructure/sqlite_database.hpp"
#include "io_test_support.hpp"

namespace cppbatch {
namespace {

struct Game {
  int64_t id;
  std::string team;
  double yards;
  bool operator==(const Game&) const = default;
};

Game map_game(const SqliteRow& row) {
  return Game{row.get_long("id"), std::string(row.get_string(1)),
              row.is_null(2) ? -1.0 : row.get_double(2)};
}

class SqliteCursorReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SQLite::Database db = open_sqlite_database(path_);
    db.exec("CREATE TABLE games(id INTEGER PRIMARY KEY, team TEXT, yards REAL, code TEXT UNIQUE)");
    SQLite::Transaction tx(db);
    SQLite::Statement insert(db, "INSERT INTO games VALUES(?, ?, ?, ?)");
    for (int i = 1; i <= 200; ++i) {
      insert.bind(1, i * 3);  // gaps in the keys
      insert.bind(2, i % 2 == 0 ? "mia" : "nwe");
      if (i % 10 == 0) {
        insert.bind(3);
      } else {
        insert.bind(3, i * 1.5);
      }
      char code[16];
      std::snprintf(code, sizeof code, "K%04d", i);
      insert.bind(4, code);
      insert.exec();
      insert.reset();
    }
    tx.commit();
  }

  std::vector<Game> read_all(SqliteCursorReader<Game>& reader, ExecutionContext& ctx) {
    reader.open(ctx);
    std::vector<Game> out;
    while (auto g = reader.read()) out.push_back(*g);
    reader.close();
    return out;
  }

  testing::ScratchDir dir_;
  std::string path_ = dir_.file("games.db");
};

TEST_F(SqliteCursorReaderTest, ReadsAllRowsWithNamedAndPositionalBindings) {
  SqliteCursorReader<Game> named(
      {.database_path = path_,
       .sql = "SELECT id, team, yards FROM games WHERE team = :team AND id > @min ORDER BY id",
       .bindings = {{"team", std::string("mia")}, {"@min", int64_t{30}}}},
      map_game);
  ExecutionContext ctx;
  auto games = read_all(named, ctx);
  ASSERT_EQ(games.size(), 95u);
  EXPECT_EQ(games.front(), (Game{36, "mia", 18.0}));
  EXPECT_EQ(games.back(), (Game{600, "mia", -1.0}));

  SqliteCursorReader<Game> positional(
      {.database_path = path_,
       .sql = "SELECT id, team, yards FROM games WHERE id <= ?1 AND (?2 IS NULL) ORDER BY id",
       .bindings = {{"", int64_t{9}}, {"", nullptr}}},
      map_game);
  EXPECT_EQ(read_all(positional, ctx).size(), 3u);
}

TEST_F(SqliteCursorReaderTest, EndOfInputStaysTheEnd) {
  SqliteCursorReader<Game> reader(
      {.database_path = path_, .sql = "SELECT id, team, yards FROM games WHERE id <= 6"}, map_game);
  ExecutionContext ctx;
  reader.open(ctx);
  EXPECT_TRUE(reader.read().has_value());
  EXPECT_TRUE(reader.read().has_value());
  EXPECT_FALSE(reader.read().has_value());
  EXPECT_FALSE(reader.read().has_value());  // the query is not re-run
}

TEST_F(SqliteCursorReaderTest, RestartByKeyContinuesAtNextItem) {
  auto make = [&] {
    return std::make_unique<SqliteCursorReader<Game>>(
        SqliteReaderOptions{.database_path = path_,
                            .sql = "SELECT id, team, yards FROM games ORDER BY id",
                            .restart_key_column = "id"},
        map_game);
  };
  for (size_t k : {size_t{0}, size_t{1}, size_t{120}, size_t{199}}) {
    testing::expect_reader_restart<SqliteCursorReader<Game>>(make, k, k == 199 ? 0 : 3);
  }
}

TEST_F(SqliteCursorReaderTest, RestartByCountContinuesAtNextItem) {
  auto make = [&] {
    return std::make_unique<SqliteCursorReader<Game>>(
        SqliteReaderOptions{.database_path = path_,
                            .sql = "SELECT id, team, yards FROM games ORDER BY id"},
        map_game);
  };
  testing::expect_reader_restart<SqliteCursorReader<Game>>(make, 77);
}

TEST_F(SqliteCursorReaderTest, RestartByTextKeyAndByKeySurvivesDeletedRows) {
  SqliteReaderOptions options{.database_path = path_,
                              .sql = "SELECT code, id FROM games ORDER BY code",
                              .name = "codes",
                              .restart_key_column = "code"};
  auto mapper = [](const SqliteRow& row) { return std::string(row.get_string(0)); };
  ExecutionContext ctx;
  {
    SqliteCursorReader<std::string> reader(options, mapper);
    reader.open(ctx);
    for (int i = 0; i < 50; ++i) reader.read();
    reader.update(ctx);
  }
  EXPECT_EQ(ctx.get_string("codes.last.key"), "K0050");
  EXPECT_EQ(ctx.get_long("codes.read.count"), 50);
  {
    // Rows before the key vanish between the runs: a count would now skip
    // too far, the key does not.
    SQLite::Database db = open_sqlite_database(path_);
    db.exec("DELETE FROM games WHERE id <= 30");
  }
  ExecutionContext restored = testing::persisted(ctx);
  SqliteCursorReader<std::string> reader(options, mapper);
  reader.open(restored);
  EXPECT_EQ(reader.read(), "K0051");
  reader.update(restored);
  EXPECT_EQ(restored.get_long("codes.read.count"), 51);
}

// Rows whose key is NULL sort first and carry no key: a checkpoint taken
// while only such rows were read holds a count but no key. The restart
// must still not hand them out again.
TEST_F(SqliteCursorReaderTest, RestartByKeyAfterOnlyNullKeysWereCommitted) {
  {
    SQLite::Database db = open_sqlite_database(path_);
    db.exec("CREATE TABLE tagged(tag TEXT, v INTEGER)");
    db.exec("INSERT INTO tagged VALUES(NULL, 1), (NULL, 2), (NULL, 3), ('a', 4), ('b', 5), ('c', 6)");
  }
  auto make = [&] {
    return std::make_unique<SqliteCursorReader<int64_t>>(
        SqliteReaderOptions{.database_path = path_,
                            .sql = "SELECT tag, v FROM tagged ORDER BY tag, v",
                            .name = "tagged",
                            .restart_key_column = "tag"},
        [](const SqliteRow& row) { return row.get_long(1); });
  };
  for (size_t k : {size_t{1}, size_t{3}, size_t{4}}) {
    testing::expect_reader_restart<SqliteCursorReader<int64_t>>(make, k, 1);
  }
}

TEST_F(SqliteCursorReaderTest, WorksOnACallersConnection) {
  SQLite::Database db = open_sqlite_database(path_);
  SQLite::Transaction tx(db);
  db.exec("INSERT INTO games VALUES(1000, 'tmp', 1, 'Z')");
  SqliteCursorReader<Game> reader(db, {.sql = "SELECT id, team, yards FROM games WHERE id >= 600"},
                                  map_game);
  ExecutionContext ctx;
  reader.open(ctx);
  std::vector<Game> games;
  while (auto g = reader.read()) games.push_back(*g);
  reader.close();
  EXPECT_EQ(games.size(), 2u);  // sees its own connection's uncommitted row
}

TEST_F(SqliteCursorReaderTest, ErrorsNameTheProblem) {
  ExecutionContext ctx;
  std::string missing = dir_.file("missing.db");
  SqliteCursorReader<Game> no_db({.database_path = missing, .sql = "SELECT 1"}, map_game);
  try {
    no_db.open(ctx);
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(missing), std::string::npos) << e.what();
  }
  SqliteCursorReader<Game> bad_sql({.database_path = path_, .sql = "SELECT nope FROM games"},
                                   map_game);
  EXPECT_THROW(bad_sql.open(ctx), std::runtime_error);
  SqliteCursorReader<Game> bad_key(
      {.database_path = path_, .sql = "SELECT id FROM games", .restart_key_column = "key"},
      map_game);
  EXPECT_THROW(bad_key.open(ctx), std::runtime_error);
  SqliteCursorReader<Game> bad_param(
      {.database_path = path_, .sql = "SELECT id FROM games WHERE id = :id",
       .bindings = {{":other", int64_t{1}}}},
      map_game);
  EXPECT_THROW(bad_param.open(ctx), std::invalid_argument);
  SqliteCursorReader<Game> unopened({.database_path = path_, .sql = "SELECT 1"}, map_game);
  EXPECT_THROW(unopened.read(), std::logic_error);
}

}  // namespace
}  // namespace cppbatch
