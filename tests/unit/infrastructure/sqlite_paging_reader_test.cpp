// SqlitePagingReader: keyset pages over the football players file loaded
// into SQLite, restart after the last committed key, several threads
// sharing one reader, named parameters from job parameters and the step's
// context; and the Record conversions of the SQLite reader and writer.
#include "cppbatch/infrastructure/sqlite_paging_reader.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <thread>

#include "cppbatch/infrastructure/delimited_record_reader.hpp"
#include "cppbatch/infrastructure/sqlite_batch_writer.hpp"
#include "cppbatch/infrastructure/sqlite_cursor_reader.hpp"
#include "cppbatch/infrastructure/sqlite_database.hpp"
#include "io_test_support.hpp"

namespace cppbatch {
namespace {

const std::string kPlayers = std::string(CPPBATCH_REFERENCE_DATA) + "/spring-batch-samples/football/player.csv";

struct Player {
  std::string id;
  std::string last_name;
  int64_t birth_year;
  bool operator==(const Player&) const = default;
  bool operator<(const Player& o) const { return id < o.id; }
};

Player map_player(const SqliteRow& row) {
  return Player{std::string(row.get_string("id")), std::string(row.get_string("last_name")),
                row.get_long("birth_year")};
}

class SqlitePagingReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Loaded through the Record binder: a record per CSV line.
    SqliteBatchWriter<Record> writer(
        {.database_path = path_,
         .sql = "INSERT INTO players VALUES(:id, :last_name, :first_name, :position, :birth_year, :debut_year)",
         .init_sql = "CREATE TABLE players(id TEXT PRIMARY KEY, last_name TEXT, first_name TEXT, position TEXT, "
                     "birth_year INTEGER, debut_year INTEGER)"},
        sqlite_record_binder());
    DelimitedRecordReader reader(
        {.path = kPlayers, .names = {"id", "last_name", "first_name", "position", "birth_year", "debut_year"}});
    ExecutionContext ctx;
    reader.open(ctx);
    RecordMapper to_record;
    Chunk<Record> chunk;
    while (const FieldSet* f = reader.next()) chunk.add(to_record(*f));
    writer.write(chunk);
  }

  std::vector<Player> all(const std::string& where = "1") {
    SqliteCursorReader<Player> reader(
        {.database_path = path_, .sql = "SELECT * FROM players WHERE " + where + " ORDER BY id"}, map_player);
    ExecutionContext ctx;
    reader.open(ctx);
    std::vector<Player> out;
    while (auto p = reader.read()) out.push_back(*p);
    return out;
  }

  std::unique_ptr<SqlitePagingReader<Player>> make(size_t page_size = 300) {
    return std::make_unique<SqlitePagingReader<Player>>(
        SqlitePagingOptions{.database_path = path_, .sql = "SELECT * FROM players", .sort_key = "id",
                            .page_size = page_size, .name = "players"},
        map_player);
  }

  testing::ScratchDir dir_;
  std::string path_ = dir_.file("players.db");
};

TEST_F(SqlitePagingReaderTest, ReadsEveryRowInKeyOrder) {
  const auto expected = all();
  ASSERT_EQ(expected.size(), 4320u);
  for (size_t page : {size_t{1}, size_t{7}, size_t{4320}, size_t{5000}}) {
    auto reader = make(page);
    ExecutionContext ctx;
    reader->open(ctx);
    std::vector<Player> got;
    while (auto p = reader->read()) got.push_back(*p);
    EXPECT_FALSE(reader->read().has_value());
    EXPECT_TRUE(got == expected) << "page " << page;
    reader->close();
  }
}

TEST_F(SqlitePagingReaderTest, RestartResumesAfterTheLastCommittedKey) {
  for (size_t k : {size_t{0}, size_t{1}, size_t{299}, size_t{300}, size_t{301}, size_t{4319}}) {
    testing::expect_reader_restart<SqlitePagingReader<Player>>([&] { return make(); }, k, k == 4319 ? 1 : 40);
  }
}

TEST_F(SqlitePagingReaderTest, RestartIsByKeyNotByCount) {
  ExecutionContext ctx;
  {
    auto reader = make(100);
    reader->open(ctx);
    for (int i = 0; i < 150; ++i) (void)reader->read();
    reader->update(ctx);
  }
  const auto expected = all();
  EXPECT_EQ(ctx.get_string("players.last.key"), expected[149].id);
  EXPECT_EQ(ctx.get_long("players.read.count"), 150);
  {
    SQLite::Database db = open_sqlite_database(path_);
    db.exec("DELETE FROM players WHERE id < '" + expected[50].id + "'");  // before the key
  }
  ExecutionContext restored = testing::persisted(ctx);
  auto reader = make(100);
  reader->open(restored);
  EXPECT_EQ(reader->read(), expected[150]);
}

TEST_F(SqlitePagingReaderTest, ThreadsSharingOneReaderGetEveryRowOnce) {
  SqlitePagingReader<Player> reader({.database_path = path_, .sql = "SELECT * FROM players", .sort_key = "id",
                                     .page_size = 64, .save_state = false},
                                    map_player);
  ExecutionContext ctx;
  reader.open(ctx);
  std::vector<std::vector<Player>> got(4);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < got.size(); ++t) {
    threads.emplace_back([&, t] {
      while (auto p = reader.read()) got[t].push_back(*p);
    });
  }
  for (auto& thread : threads) thread.join();
  std::vector<Player> merged;
  for (auto& part : got) merged.insert(merged.end(), part.begin(), part.end());
  std::sort(merged.begin(), merged.end());
  EXPECT_TRUE(merged == all());
  reader.update(ctx);
  EXPECT_TRUE(ctx.empty()) << "save_state = false saves nothing";
  reader.close();
}

TEST_F(SqlitePagingReaderTest, NamedParametersFromJobParametersAndContext) {
  const auto expected = all("birth_year >= 1980 AND position = 'qb'");
  ASSERT_FALSE(expected.empty());
  JobParameters params = JobParametersBuilder().add_long("min_year", 1980).build();
  ExecutionContext ctx;
  ctx.put_string("position", "qb");
  SqlitePagingReader<Player> reader(
      {.database_path = path_,
       .sql = "SELECT * FROM players WHERE birth_year >= :min_year AND position = :position",
       .sort_key = "id",
       .page_size = 10,
       .parameter_sources = {job_parameter(":min_year", params), context_value(":position")}},
      map_player);
  reader.open(ctx);
  std::vector<Player> got;
  while (auto p = reader.read()) got.push_back(*p);
  EXPECT_TRUE(got == expected);
  reader.close();

  // The cursor reader takes them too; a missing one fails open().
  SqliteCursorReader<Player> cursor({.database_path = path_,
                                     .sql = "SELECT * FROM players WHERE birth_year >= :min_year AND "
                                            "position = :position ORDER BY id",
                                     .parameter_sources = {job_parameter(":min_year", params),
                                                           context_value(":position")}},
                                    map_player);
  cursor.open(ctx);
  std::vector<Player> via_cursor;
  while (auto p = cursor.read()) via_cursor.push_back(*p);
  EXPECT_TRUE(via_cursor == expected);
  ExecutionContext empty;
  cursor.close();
  try {
    cursor.open(empty);
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("position"), std::string::npos) << e.what();
  }
  SqliteCursorReader<Player> no_param({.database_path = path_,
                                       .sql = "SELECT * FROM players WHERE birth_year >= :min_year",
                                       .parameter_sources = {job_parameter(":min_year", JobParameters())}},
                                      map_player);
  EXPECT_THROW(no_param.open(empty), std::invalid_argument);
}

TEST_F(SqlitePagingReaderTest, MapperFailureIsHandedOutInOrderAndCountsAsRead) {
  SqlitePagingReader<std::string> reader({.database_path = path_, .sql = "SELECT id FROM players WHERE id < 'AbduRb'",
                                          .sort_key = "id", .page_size = 10, .name = "p"},
                                         [](const SqliteRow& row) {
                                           std::string id(row.get_string(0));
                                           if (id == "AbduKa00") throw std::runtime_error("bad row");
                                           return id;
                                         });
  ExecutionContext ctx;
  reader.open(ctx);
  EXPECT_THROW(reader.read(), std::runtime_error);  // the first row
  auto next = reader.read();
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(*next, "AbduRa00");
  EXPECT_FALSE(reader.read().has_value());
  reader.update(ctx);
  EXPECT_EQ(ctx.get_long("p.read.count"), 2);
}

TEST_F(SqlitePagingReaderTest, ErrorsNameTheProblem) {
  ExecutionContext ctx;
  SqlitePagingReader<Player> bad_key({.database_path = path_, .sql = "SELECT * FROM players", .sort_key = "nope"},
                                     map_player);
  EXPECT_THROW(bad_key.open(ctx), std::runtime_error);
  SqlitePagingReader<Player> bad_sql({.database_path = path_, .sql = "SELECT * FROM nothing", .sort_key = "id"},
                                     map_player);
  EXPECT_THROW(bad_sql.open(ctx), std::runtime_error);
  EXPECT_THROW(SqlitePagingReader<Player>({.database_path = path_, .sql = "SELECT 1"}, map_player),
               std::invalid_argument);
  auto unopened = make();
  EXPECT_THROW(unopened->read(), std::logic_error);
  {
    SQLite::Database db = open_sqlite_database(path_);
    db.exec("CREATE TABLE nk(k INTEGER, v INTEGER); INSERT INTO nk VALUES (NULL, 1)");
  }
  SqlitePagingReader<int64_t> null_key({.database_path = path_, .sql = "SELECT * FROM nk", .sort_key = "k"},
                                       [](const SqliteRow& row) { return row.get_long(1); });
  null_key.open(ctx);
  EXPECT_THROW(null_key.read(), std::runtime_error);
}

TEST_F(SqlitePagingReaderTest, RowsAsRecordsAndRecordsAsParameters) {
  SqliteCursorReader<Record> reader(
      {.database_path = path_,
       .sql = "SELECT id, birth_year, birth_year / 2.0 AS half, NULL AS missing FROM players ORDER BY id LIMIT 2"},
      SqliteRecordMapper());
  ExecutionContext ctx;
  reader.open(ctx);
  auto r = reader.read();
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->layout()->list(), (std::vector<std::string>{"id", "birth_year", "half", "missing"}));
  EXPECT_EQ(r->get("id"), Value(std::string("AbduKa00")));
  EXPECT_EQ(r->get("birth_year"), Value(int64_t{1974}));
  EXPECT_EQ(r->get("half"), Value(987.0));
  EXPECT_TRUE(r->is_null("missing"));
  auto second = reader.read();
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(second->layout(), r->layout()) << "one layout for the whole result";
  reader.close();

  SqliteBatchWriter<Record> writer({.database_path = dir_.file("out.db"),
                                    .sql = "INSERT INTO r VALUES(:id, :birth_year, :half, :missing)",
                                    .init_sql = "CREATE TABLE r(id TEXT, y INTEGER, h REAL, n TEXT)"},
                                   sqlite_record_binder());
  Chunk<Record> chunk;
  chunk.add(*r);
  writer.write(chunk);
  SQLite::Database out(dir_.file("out.db"));
  EXPECT_EQ(out.execAndGet("SELECT id || ',' || y || ',' || h || ',' || (n IS NULL) FROM r").getString(),
            "AbduKa00,1974,987.0,1");
  Chunk<Record> incomplete;
  incomplete.add(Record(make_record_layout({"id"}), {std::string("x")}));
  EXPECT_THROW(writer.write(incomplete), SqliteWriteError);
}

}  // namespace
}  // namespace cppbatch
