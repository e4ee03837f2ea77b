// PgCopyWriter and PgBatchWriter against the test server: the football
// players file loaded both ways, text escaping, failures that roll a chunk
// back and name the item, and restart after k committed chunks.
#include <gtest/gtest.h>

#include <stdexcept>

#include "cppbatch/infrastructure/delimited_file_reader.hpp"
#include "cppbatch/infrastructure/list_item_reader.hpp"
#include "cppbatch/infrastructure/pg_batch_writer.hpp"
#include "cppbatch/infrastructure/pg_copy_writer.hpp"
#include "postgres/pg_test_support.hpp"

namespace cppbatch {
namespace {

const std::string kPlayers = std::string(CPPBATCH_REFERENCE_DATA) + "/spring-batch-samples/football/player.csv";

struct Player {
  std::string id, last_name, first_name, position;
  int64_t birth_year = 0, debut_year = 0;
  bool operator==(const Player&) const = default;
};

Player map_player(const FieldSet& f) {
  return Player{std::string(f.read_string(0)), std::string(f.read_string(1)), std::string(f.read_string(2)),
                std::string(f.read_string(3)), f.read_long(4, 0), f.read_long(5, 0)};
}

std::unique_ptr<DelimitedFileReader<Player>> player_reader() {
  return std::make_unique<DelimitedFileReader<Player>>(DelimitedReaderOptions{.path = kPlayers, .name = "players"},
                                                       map_player);
}

const char* kCreatePlayers =
    "CREATE TABLE players(id text PRIMARY KEY, last_name text NOT NULL, first_name text, position text, "
    "birth_year int, debut_year int)";
const std::vector<std::string> kPlayerColumns = {"id", "last_name", "first_name", "position", "birth_year",
                                                 "debut_year"};

void format_player(const Player& p, PgCopyRow& row) {
  row.add(p.id);
  row.add(p.last_name);
  row.add(p.first_name);
  row.add(p.position);
  row.add(p.birth_year);
  row.add(p.debut_year);
}

void bind_player(const Player& p, PgParams& params) {
  params.add(p.id);
  params.add(p.last_name);
  params.add(p.first_name);
  params.add(p.position);
  params.add(p.birth_year);
  params.add(p.debut_year);
}

const char* kUpsert =
    "INSERT INTO players(id, last_name, first_name, position, birth_year, debut_year) "
    "VALUES(:id, :last_name, :first_name, :position, :birth_year, :debut_year) "
    "ON CONFLICT(id) DO UPDATE SET last_name = excluded.last_name, first_name = excluded.first_name, "
    "position = excluded.position, birth_year = excluded.birth_year, debut_year = excluded.debut_year";

class PgWritersTest : public testing::PgTest {};

TEST_F(PgWritersTest, CopyWriterLoadsThePlayersFile) {
  db_->execute(kCreatePlayers);
  PgCopyWriter<Player> writer({.url = url(), .table = "players", .columns = kPlayerColumns}, format_player);
  auto reader = player_reader();
  ExecutionContext ctx;
  ASSERT_EQ(testing::run_chunks<Player>(*reader, writer, ctx, 500), "");
  EXPECT_EQ(count("players"), 4320);
  EXPECT_EQ(rows("SELECT * FROM players WHERE id = 'AbduKa00'"),
            std::vector<std::string>{"AbduKa00|Abdul-Jabbar|Karim|rb|1974|1996"});
}

TEST_F(PgWritersTest, CopyWriterEscapesTextAndWritesEveryValueType) {
  db_->execute("CREATE TABLE t(id int, s text, d double precision, b boolean, day date)");
  struct Row {
    int id;
    std::string s;
    double d;
    bool b;
  };
  const std::vector<std::string> texts = {"tab\there", "line\nbreak", "back\\slash", "cr\rlf", "\\N", "",
                                          "ünïcødé ✓", "a\\tb"};
  Chunk<Row> chunk;
  for (size_t i = 0; i < texts.size(); ++i) chunk.add({static_cast<int>(i), texts[i], i * 0.5, i % 2 == 0});
  PgCopyWriter<Row> writer({.url = url(), .table = "t", .columns = {"id", "s", "d", "b", "day"}},
                           [](const Row& r, PgCopyRow& row) {
                             row.add(r.id);
                             row.add(r.s);
                             row.add(r.d);
                             row.add(r.b);
                             if (r.id == 0) {
                               row.add(Value(Date(std::chrono::year(2024), std::chrono::month(2), std::chrono::day(29))));
                             } else {
                               row.add_null();
                             }
                           });
  writer.write(chunk);
  for (size_t i = 0; i < texts.size(); ++i) {
    EXPECT_EQ(db_->query_string("SELECT s FROM t WHERE id = $1", {int64_t(i)}), texts[i]) << i;
  }
  EXPECT_EQ(db_->query_string("SELECT d::text FROM t WHERE id = 3"), "1.5");
  EXPECT_EQ(db_->query_long("SELECT count(*) FROM t WHERE b"), 4);
  EXPECT_EQ(db_->query_string("SELECT day::text FROM t WHERE id = 0"), "2024-02-29");
  EXPECT_EQ(db_->query_long("SELECT count(*) FROM t WHERE day IS NULL"), 7);
}

TEST_F(PgWritersTest, CopyWriterFailureRollsBackTheChunkAndNamesTheItem) {
  db_->execute(kCreatePlayers);
  db_->execute("INSERT INTO players(id, last_name) VALUES('P3', 'taken')");
  Chunk<Player> chunk;
  for (int i = 0; i < 6; ++i) chunk.add({"P" + std::to_string(i), "name", "", "rb", 1970, 1990});
  PgCopyWriter<Player> writer({.url = url(), .table = "players", .columns = kPlayerColumns}, format_player);
  try {
    writer.write(chunk);
    FAIL() << "duplicate key accepted";
  } catch (const PgWriteError& e) {
    EXPECT_EQ(e.item_index(), 3u) << e.what();
    EXPECT_EQ(e.sqlstate(), "23505") << e.what();
    EXPECT_NE(std::string(e.what()).find("pgCopyWriter"), std::string::npos) << e.what();
  }
  EXPECT_EQ(count("players"), 1);

  // The formatter throws at item 2, or adds the wrong number of values.
  int calls = 0;
  PgCopyWriter<Player> throwing({.url = url(), .table = "players", .columns = kPlayerColumns},
                                [&](const Player& p, PgCopyRow& row) {
                                  if (calls++ == 2) throw std::runtime_error("bad item");
                                  format_player(p, row);
                                });
  Chunk<Player> fresh;
  for (int i = 10; i < 15; ++i) fresh.add({"P" + std::to_string(i), "name", "", "rb", 1970, 1990});
  try {
    throwing.write(fresh);
    FAIL();
  } catch (const PgWriteError& e) {
    EXPECT_EQ(e.item_index(), 2u);
    EXPECT_NE(std::string(e.what()).find("bad item"), std::string::npos) << e.what();
  }
  PgCopyWriter<Player> short_rows({.url = url(), .table = "players", .columns = kPlayerColumns},
                                  [](const Player& p, PgCopyRow& row) { row.add(p.id); });
  EXPECT_THROW(short_rows.write(fresh), PgWriteError);
  EXPECT_EQ(count("players"), 1);
  // The writer is usable again after a failure.
  throwing.write(fresh);
  EXPECT_EQ(count("players"), 6);
}

TEST_F(PgWritersTest, CopyWriterJoinsTheCallersTransaction) {
  db_->execute(kCreatePlayers);
  PgCopyWriter<Player> writer(*db_, {.table = "players", .columns = kPlayerColumns}, format_player);
  Chunk<Player> chunk;
  chunk.add({"P1", "one", "", "rb", 1970, 1990});
  db_->execute("BEGIN");
  writer.write(chunk);
  EXPECT_TRUE(db_->in_transaction());
  EXPECT_EQ(count("players"), 1);
  db_->execute("ROLLBACK");
  EXPECT_EQ(count("players"), 0);
  writer.write(chunk);  // autocommit: its own transaction
  EXPECT_FALSE(db_->in_transaction());
  EXPECT_EQ(count("players"), 1);
}

TEST_F(PgWritersTest, CopyWriterWritesRecords) {
  db_->execute("CREATE TABLE r(id bigint, name text, score double precision, born date)");
  auto layout = make_record_layout({"name", "id", "born", "ignored"});
  Chunk<Record> chunk;
  chunk.add(Record(layout, {std::string("ann\tlee"), int64_t{1}, Value(Date(std::chrono::year(1990), std::chrono::month(1),
                                                                             std::chrono::day(2))),
                            std::string("x")}));
  chunk.add(Record(layout, {std::string("bob"), int64_t{2}, Value(), std::string("y")}));
  PgCopyWriter<Record> writer({.url = url(), .table = "r", .columns = {"id", "name", "score", "born"}},
                              record_copy_formatter({"id", "name", "score", "born"}));
  writer.write(chunk);
  EXPECT_EQ(rows("SELECT id, name, score IS NULL, born FROM r ORDER BY id"),
            (std::vector<std::string>{"1|ann\tlee|true|1990-01-02", "2|bob|true|"}));
}

// k chunks commit, the next fails inside the writer (rolled back), the
// restart resumes from the committed context: the table equals an
// uninterrupted run's.
TEST_F(PgWritersTest, CopyWriterRestartAfterAFailedChunkLoadsEveryRowOnce) {
  db_->execute(std::string(kCreatePlayers) + "; CREATE TABLE expected (LIKE players INCLUDING ALL)");
  {
    PgCopyWriter<Player> writer({.url = url(), .table = "expected", .columns = kPlayerColumns}, format_player);
    auto reader = player_reader();
    ExecutionContext ctx;
    ASSERT_EQ(testing::run_chunks<Player>(*reader, writer, ctx, 100), "");
  }
  bool fail = true;
  size_t written = 0;
  auto formatter = [&](const Player& p, PgCopyRow& row) {
    if (fail && written == 1234) throw std::runtime_error("disk full");
    ++written;
    format_player(p, row);
  };
  ExecutionContext committed;
  {
    PgCopyWriter<Player> writer({.url = url(), .table = "players", .columns = kPlayerColumns}, formatter);
    auto reader = player_reader();
    std::string failure = testing::run_chunks<Player>(*reader, writer, committed, 100);
    EXPECT_NE(failure.find("disk full"), std::string::npos) << failure;
  }
  EXPECT_EQ(count("players"), 1200);  // 12 chunks committed, the 13th rolled back
  EXPECT_EQ(committed.get_long("players.read.count"), 1200);
  fail = false;
  {
    PgCopyWriter<Player> writer({.url = url(), .table = "players", .columns = kPlayerColumns}, formatter);
    auto reader = player_reader();
    ASSERT_EQ(testing::run_chunks<Player>(*reader, writer, committed, 100), "");
  }
  EXPECT_EQ(count("players"), 4320);
  EXPECT_EQ(count("(SELECT * FROM players EXCEPT SELECT * FROM expected) d"), 0);
  EXPECT_EQ(count("(SELECT * FROM expected EXCEPT SELECT * FROM players) d"), 0);
}

TEST_F(PgWritersTest, BatchWriterUpsertsThePlayersFileInPipelinedChunks) {
  db_->execute(kCreatePlayers);
  PgBatchWriter<Player> writer({.url = url(), .sql = kUpsert}, bind_player);
  auto reader = player_reader();
  ExecutionContext ctx;
  ASSERT_EQ(testing::run_chunks<Player>(*reader, writer, ctx, 1000), "");  // > 256 in flight per chunk
  EXPECT_EQ(count("players"), 4320);
  EXPECT_EQ(rows("SELECT * FROM players WHERE id = 'AbduKa00'"),
            std::vector<std::string>{"AbduKa00|Abdul-Jabbar|Karim|rb|1974|1996"});
  // Re-writing a chunk is harmless (upsert) and applies changes.
  Chunk<Player> again;
  again.add({"AbduKa00", "Abdul-Jabbar", "K.", "rb", 1974, 1996});
  writer.write(again);
  writer.write(again);
  EXPECT_EQ(count("players"), 4320);
  EXPECT_EQ(db_->query_string("SELECT first_name FROM players WHERE id = 'AbduKa00'"), "K.");
}

TEST_F(PgWritersTest, BatchWriterFailureRollsBackTheChunkAndNamesTheItem) {
  db_->execute("CREATE TABLE t(id int PRIMARY KEY, v text NOT NULL)");
  PgBatchWriter<std::pair<int, const char*>> writer(
      {.url = url(), .sql = "INSERT INTO t(id, v) VALUES($1, $2)", .name = "tw"},
      [](const std::pair<int, const char*>& item, PgParams& params) {
        params.add(item.first);
        if (item.second == nullptr) {
          params.add_null();
        } else {
          params.add(item.second);
        }
      });
  Chunk<std::pair<int, const char*>> chunk;
  for (int i = 0; i < 600; ++i) chunk.add({i, i == 400 ? nullptr : "v"});
  try {
    writer.write(chunk);
    FAIL();
  } catch (const PgWriteError& e) {
    EXPECT_EQ(e.item_index(), 400u) << e.what();
    EXPECT_EQ(e.sqlstate(), "23502") << e.what();  // not_null_violation
    EXPECT_NE(std::string(e.what()).find("writer 'tw'"), std::string::npos) << e.what();
  }
  EXPECT_EQ(count("t"), 0);
  Chunk<std::pair<int, const char*>> good;
  good.add({1, "one"});
  writer.write(good);  // usable again after a failure
  EXPECT_EQ(count("t"), 1);
  // A binder adding the wrong number of values.
  PgBatchWriter<int> short_binder({.url = url(), .sql = "INSERT INTO t(id, v) VALUES($1, $2)"},
                                  [](const int& i, PgParams& params) { params.add(i); });
  Chunk<int> ints;
  ints.add(7);
  EXPECT_THROW(short_binder.write(ints), PgWriteError);
  EXPECT_EQ(count("t"), 1);
}

TEST_F(PgWritersTest, BatchWriterJoinsTheCallersTransactionAndBindsRecords) {
  db_->execute("CREATE TABLE r(id bigint PRIMARY KEY, name text, born date)");
  PgBatchWriter<Record> writer(*db_,
                               {.sql = "INSERT INTO r(id, name, born) VALUES(:id, :name, :born::date) "
                                       "ON CONFLICT(id) DO UPDATE SET name = excluded.name"},
                               record_binder());
  auto layout = make_record_layout({"name", "id", "born"});
  Chunk<Record> chunk;
  chunk.add(Record(layout, {std::string("ann"), int64_t{1},
                            Value(Date(std::chrono::year(1990), std::chrono::month(1), std::chrono::day(2)))}));
  chunk.add(Record(layout, {std::string("bob"), int64_t{2}, Value()}));
  db_->execute("BEGIN");
  writer.write(chunk);
  EXPECT_TRUE(db_->in_transaction());
  db_->execute("ROLLBACK");
  EXPECT_EQ(count("r"), 0);
  writer.write(chunk);
  EXPECT_EQ(rows("SELECT * FROM r ORDER BY id"), (std::vector<std::string>{"1|ann|1990-01-02", "2|bob|"}));
  Chunk<Record> missing;
  missing.add(Record(make_record_layout({"id"}), {int64_t{3}}));
  EXPECT_THROW(writer.write(missing), PgWriteError);
}

// The crash between the writer's commit and the checkpoint: the chunk is
// written, the checkpoint is not. The restart replays it; the upsert makes
// the replay harmless.
TEST_F(PgWritersTest, BatchWriterRestartReplaysTheUncheckpointedChunkIdempotently) {
  db_->execute(std::string(kCreatePlayers) + "; CREATE TABLE expected (LIKE players INCLUDING ALL)");
  {
    std::string sql = kUpsert;
    sql.replace(sql.find("players"), 7, "expected");
    PgBatchWriter<Player> writer({.url = url(), .sql = sql}, bind_player);
    auto reader = player_reader();
    ExecutionContext ctx;
    ASSERT_EQ(testing::run_chunks<Player>(*reader, writer, ctx, 250), "");
  }
  ASSERT_EQ(count("expected"), 4320);
  struct CrashAfterCommit : ItemWriter<Player> {
    PgBatchWriter<Player>& inner;
    int chunks = 0;
    int crash_at;
    CrashAfterCommit(PgBatchWriter<Player>& w, int at) : inner(w), crash_at(at) {}
    void write(const Chunk<Player>& chunk) override {
      inner.write(chunk);
      if (++chunks == crash_at) throw std::runtime_error("killed after the writer's commit");
    }
  };
  ExecutionContext committed;
  {
    PgBatchWriter<Player> writer({.url = url(), .sql = kUpsert}, bind_player);
    CrashAfterCommit crashing(writer, 7);
    auto reader = player_reader();
    EXPECT_NE(testing::run_chunks<Player>(*reader, crashing, committed, 250), "");
  }
  EXPECT_EQ(count("players"), 7 * 250);  // the 7th chunk is in the table...
  EXPECT_EQ(committed.get_long("players.read.count"), 6 * 250);  // ...but not in the checkpoint
  {
    PgBatchWriter<Player> writer({.url = url(), .sql = kUpsert}, bind_player);
    auto reader = player_reader();
    ASSERT_EQ(testing::run_chunks<Player>(*reader, writer, committed, 250), "");
  }
  EXPECT_EQ(count("players"), 4320);
  EXPECT_EQ(count("(SELECT * FROM players EXCEPT SELECT * FROM expected) d"), 0);
}

}  // namespace
}  // namespace cppbatch
