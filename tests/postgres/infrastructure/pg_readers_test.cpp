// PgCursorReader and PgPagingReader against the test server, on the
// football games file: every row once, named parameters from bindings, job
// parameters and the step's context, Record mapping, and restart after k
// committed chunks (keyset and by count).
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <thread>

#include "cppbatch/infrastructure/pg_copy_writer.hpp"
#include "cppbatch/infrastructure/pg_cursor_reader.hpp"
#include "cppbatch/infrastructure/pg_paging_reader.hpp"
#include "cppbatch/infrastructure/delimited_record_reader.hpp"
#include "postgres/pg_test_support.hpp"

namespace cppbatch {
namespace {

const std::string kGamesCsv = std::string(CPPBATCH_REFERENCE_DATA) + "/spring-batch-samples/football/games.csv";

struct Game {
  int64_t id;
  std::string player;
  int64_t year;
  int64_t rush_yards;
  bool operator==(const Game&) const = default;
  bool operator<(const Game& o) const { return id < o.id; }
};

Game map_game(const PgRow& row) {
  return Game{row.get_long("id"), std::string(row.get_string("player")), row.get_long("year"),
              row.get_long("rush_yards")};
}

class PgReadersTest : public testing::PgTest {
 protected:
  void SetUp() override {
    PgTest::SetUp();
    // games.csv: player, year, team, week, opponent, completes, attempts,
    // passing yards, passing td, interceptions, rushes, rush yards, ...
    db_->execute(
        "CREATE TABLE games(id bigint PRIMARY KEY, player text NOT NULL, year int, team text, week int, "
        "rush_yards int)");
    struct Line {
      int64_t id;
      std::string player, team;
      int64_t year, week, rush;
    };
    DelimitedRecordReader reader({.path = kGamesCsv});
    ExecutionContext ctx;
    reader.open(ctx);
    PgCopyWriter<Line> writer({.url = url(), .table = "games",
                               .columns = {"id", "player", "year", "team", "week", "rush_yards"}},
                              [](const Line& l, PgCopyRow& row) {
                                row.add(l.id);
                                row.add(l.player);
                                row.add(l.year);
                                row.add(l.team);
                                row.add(l.week);
                                row.add(l.rush);
                              });
    Chunk<Line> chunk;
    int64_t id = 0;
    while (const FieldSet* f = reader.next()) {
      // ids with gaps, not in file order: restart must follow the key
      chunk.add({(id * 7919) % 56377 * 3 + 1, std::string(f->read_string(0)), std::string(f->read_string(2)),
                 f->read_long(1), f->read_long(3), f->read_long(11, 0)});
      ++id;
    }
    reader.close();
    writer.write(chunk);
    total_ = count("games");
  }

  template <class Reader>
  std::vector<Game> read_all(Reader& reader, ExecutionContext& ctx) {
    reader.open(ctx);
    std::vector<Game> out;
    while (auto g = reader.read()) out.push_back(*g);
    reader.close();
    return out;
  }

  std::vector<Game> expected(const std::string& where = "true") {
    PgCursorReader<Game> reader({.url = url(), .sql = "SELECT * FROM games WHERE " + where + " ORDER BY id"},
                                map_game);
    ExecutionContext ctx;
    return read_all(reader, ctx);
  }

  int64_t total_ = 0;
};

TEST_F(PgReadersTest, CursorReadsEveryRowInFetches) {
  ASSERT_EQ(total_, 56377);
  PgCursorReader<Game> reader({.url = url(), .sql = "SELECT * FROM games ORDER BY id", .fetch_size = 500}, map_game);
  ExecutionContext ctx;
  auto games = read_all(reader, ctx);
  ASSERT_EQ(games.size(), 56377u);
  EXPECT_TRUE(std::is_sorted(games.begin(), games.end()));
  EXPECT_EQ(games.front().id, 1);
  std::set<int64_t> ids;
  for (const Game& g : games) ids.insert(g.id);
  EXPECT_EQ(ids.size(), games.size());
  EXPECT_EQ(games, expected());
}

TEST_F(PgReadersTest, NamedParametersFromBindingsJobParametersAndContext) {
  const auto want = expected("year >= 2000 AND team = 'mia'");
  ASSERT_FALSE(want.empty());
  PgCursorReader<Game> fixed({.url = url(),
                              .sql = "SELECT * FROM games WHERE year >= :min_year AND team = :team "
                                     "AND player <> ':not_a_param' AND year::text <> '' ORDER BY id",
                              .bindings = {{":min_year", int64_t{2000}}, {"team", std::string("mia")}}},
                             map_game);
  ExecutionContext ctx;
  EXPECT_EQ(read_all(fixed, ctx), want);

  auto scope = std::make_shared<JobParametersScope>();
  StepExecution step;
  JobExecution job;
  job.job_parameters = JobParametersBuilder().add_long("min_year", 2000).add_string("team", "mia").build();
  step.job_execution = &job;
  scope->before_step(step);
  PgCursorReader<Game> from_job({.url = url(),
                                 .sql = "SELECT * FROM games WHERE year >= :min_year AND team = :team ORDER BY id",
                                 .parameter_sources = {job_parameter(":min_year", scope), job_parameter("team", scope)}},
                                map_game);
  EXPECT_EQ(read_all(from_job, ctx), want);

  ExecutionContext step_ctx;
  step_ctx.put_long("partition.min_year", 2000);
  step_ctx.put_string("team", "mia");
  PgPagingReader<Game> from_context({.url = url(),
                                     .sql = "SELECT * FROM games WHERE year >= :min_year AND team = $1",
                                     .sort_key = "id",
                                     .page_size = 100,
                                     .bindings = {{"", std::string("mia")}},
                                     .parameter_sources = {context_value(":min_year", "partition.min_year")}},
                                    map_game);
  EXPECT_EQ(read_all(from_context, step_ctx), want);

  ExecutionContext empty;
  PgCursorReader<Game> missing({.url = url(),
                                .sql = "SELECT * FROM games WHERE year >= :min_year",
                                .parameter_sources = {context_value(":min_year")}},
                               map_game);
  try {
    missing.open(empty);
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("min_year"), std::string::npos) << e.what();
  }
  PgCursorReader<Game> unbound({.url = url(), .sql = "SELECT * FROM games WHERE year >= :min_year"}, map_game);
  EXPECT_THROW(unbound.open(empty), std::invalid_argument);
}

TEST_F(PgReadersTest, CursorRestartsByKeyAndByCount) {
  const auto all = expected();
  for (bool by_key : {true, false}) {
    auto make = [&] {
      return std::make_unique<PgCursorReader<Game>>(
          PgReaderOptions{.url = url(), .sql = "SELECT * FROM games ORDER BY id", .name = "games",
                          .restart_key_column = by_key ? "id" : "", .fetch_size = 333},
          map_game);
    };
    // k = 0, inside a fetch, on a fetch boundary
    for (size_t k : {size_t{0}, size_t{1000}, size_t{999}}) {
      std::vector<Game> got;
      ExecutionContext committed;
      {
        auto reader = make();
        ExecutionContext ctx;
        reader->open(ctx);
        for (size_t i = 0; i < k; ++i) got.push_back(*reader->read());
        reader->update(ctx);
        committed = testing::persisted(ctx);
        for (int i = 0; i < 50; ++i) (void)reader->read();  // read, never committed
      }
      if (by_key && k > 0) {
        EXPECT_EQ(committed.get_long("games.last.key"), all[k - 1].id);
      }
      auto reader = make();
      reader->open(committed);
      while (auto g = reader->read()) got.push_back(*g);
      EXPECT_EQ(got.size(), all.size()) << "by_key=" << by_key << " k=" << k;
      EXPECT_TRUE(got == all) << "by_key=" << by_key << " k=" << k;
    }
  }
}

TEST_F(PgReadersTest, CursorRestartSkipsRowsDeletedBeforeTheKey) {
  const auto all = expected();
  ExecutionContext committed;
  PgReaderOptions options{.url = url(), .sql = "SELECT * FROM games ORDER BY id", .name = "games",
                          .restart_key_column = "id", .fetch_size = 100};
  {
    PgCursorReader<Game> reader(options, map_game);
    ExecutionContext ctx;
    reader.open(ctx);
    for (int i = 0; i < 250; ++i) (void)reader.read();
    reader.update(ctx);
    committed = testing::persisted(ctx);
  }
  db_->execute("DELETE FROM games WHERE id <= $1", {all[100].id});  // a count would now skip too far
  PgCursorReader<Game> reader(options, map_game);
  reader.open(committed);
  EXPECT_EQ(reader.read(), all[250]);
  reader.update(committed);
  EXPECT_EQ(committed.get_long("games.read.count"), 251);
}

TEST_F(PgReadersTest, CursorErrors) {
  ExecutionContext ctx;
  PgCursorReader<Game> bad_sql({.url = url(), .sql = "SELECT nope FROM games"}, map_game);
  EXPECT_THROW(bad_sql.open(ctx), PgError);
  PgCursorReader<Game> bad_key({.url = url(), .sql = "SELECT * FROM games", .restart_key_column = "key"}, map_game);
  EXPECT_THROW(bad_key.open(ctx), std::runtime_error);
  PgCursorReader<Game> unopened({.url = url(), .sql = "SELECT 1"}, map_game);
  EXPECT_THROW(unopened.read(), std::logic_error);
  db_->execute("CREATE TABLE nk(k int, v int); INSERT INTO nk VALUES (1, 1), (NULL, 2)");
  PgCursorReader<int64_t> null_key({.url = url(), .sql = "SELECT * FROM nk ORDER BY k", .restart_key_column = "k"},
                                   [](const PgRow& row) { return row.get_long(1); });
  null_key.open(ctx);
  EXPECT_EQ(null_key.read(), 1);
  EXPECT_THROW(null_key.read(), std::runtime_error);
}

// The reader asks for the next fetch while the current one is read: an
// error the server meets in a later fetch still surfaces at that fetch's
// first row, the rows before it are all handed out, and close() ends the
// connection cleanly with a fetch under way.
TEST_F(PgReadersTest, CursorErrorInALaterFetchSurfacesWhenItsRowsAreRead) {
  PgCursorReader<int64_t> reader(
      {.url = url(), .sql = "SELECT g, 1 / (g - 1250) AS q FROM generate_series(1, 2000) g", .fetch_size = 500},
      [](const PgRow& row) { return row.get_long(0); });
  ExecutionContext ctx;
  reader.open(ctx);
  for (int64_t expected_row = 1; expected_row <= 1000; ++expected_row) ASSERT_EQ(reader.read(), expected_row);
  try {
    reader.read();
    FAIL() << "row 1001 is in the fetch holding the division by zero";
  } catch (const PgError& e) {
    EXPECT_NE(std::string(e.what()).find("division by zero"), std::string::npos) << e.what();
  }
  reader.close();

  PgCursorReader<int64_t> partial({.url = url(), .sql = "SELECT g FROM generate_series(1, 2000) g", .fetch_size = 100},
                                  [](const PgRow& row) { return row.get_long(0); });
  for (int round = 0; round < 2; ++round) {
    partial.open(ctx);
    EXPECT_EQ(partial.read(), 1);
    EXPECT_NO_THROW(partial.close());  // the second fetch is under way
  }
}

TEST_F(PgReadersTest, RowsAsRecords) {
  db_->execute(
      "CREATE TABLE typed(i int, b bigint, f double precision, n numeric(10,2), t text, ok boolean, d date, "
      "ts timestamp, nothing text)");
  db_->execute(
      "INSERT INTO typed VALUES (1, 9000000000, 1.5, 12.30, 'tab\there', true, '2024-02-29', "
      "'2024-02-29 10:11:12.5', NULL)");
  PgCursorReader<Record> reader({.url = url(), .sql = "SELECT * FROM typed"}, PgRecordMapper());
  ExecutionContext ctx;
  reader.open(ctx);
  auto r = reader.read();
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->layout()->list(),
            (std::vector<std::string>{"i", "b", "f", "n", "t", "ok", "d", "ts", "nothing"}));
  EXPECT_EQ(r->get("i"), Value(int64_t{1}));
  EXPECT_EQ(r->get("b"), Value(int64_t{9000000000}));
  EXPECT_EQ(r->get("f"), Value(1.5));
  EXPECT_EQ(r->get("n"), Value(std::string("12.30")));
  EXPECT_EQ(r->get_double("n"), 12.3);
  EXPECT_EQ(r->get("t"), Value(std::string("tab\there")));
  EXPECT_EQ(r->get("ok"), Value(true));
  EXPECT_EQ(value_to_string(r->get("d")), "2024-02-29");
  EXPECT_EQ(value_to_string(r->get("ts")), "2024-02-29T10:11:12.500000");
  EXPECT_TRUE(r->is_null("nothing"));
  reader.close();

  // Record → table → Record round trip through the COPY writer.
  db_->execute("CREATE TABLE copy_of (LIKE typed)");
  PgCopyWriter<Record> writer({.url = url(), .table = "copy_of",
                               .columns = {"i", "b", "f", "n", "t", "ok", "d", "ts", "nothing"}},
                              record_copy_formatter({"i", "b", "f", "n", "t", "ok", "d", "ts", "nothing"}));
  Chunk<Record> chunk;
  chunk.add(*r);
  writer.write(chunk);
  EXPECT_EQ(count("(SELECT * FROM typed EXCEPT SELECT * FROM copy_of) d"), 0);
  EXPECT_EQ(count("copy_of"), 1);
}

TEST_F(PgReadersTest, PagingReadsEveryRowAndRestartsAfterTheCommittedKey) {
  const auto all = expected();
  auto make = [&] {
    return std::make_unique<PgPagingReader<Game>>(
        PgPagingOptions{.url = url(), .sql = "SELECT * FROM games", .sort_key = "id", .page_size = 700,
                        .name = "games"},
        map_game);
  };
  {
    auto reader = make();
    ExecutionContext ctx;
    EXPECT_TRUE(read_all(*reader, ctx) == all);
  }
  for (size_t k : {size_t{0}, size_t{1}, size_t{700}, size_t{1401}}) {
    std::vector<Game> got;
    ExecutionContext committed;
    {
      auto reader = make();
      ExecutionContext ctx;
      reader->open(ctx);
      for (size_t i = 0; i < k; ++i) got.push_back(*reader->read());
      reader->update(ctx);
      committed = testing::persisted(ctx);
      for (int i = 0; i < 30; ++i) (void)reader->read();  // uncommitted
    }
    auto reader = make();
    reader->open(committed);
    while (auto g = reader->read()) got.push_back(*g);
    EXPECT_TRUE(got == all) << "k=" << k << " got " << got.size();
  }
}

// The next page is asked for while one is mapped; a mapper failing mid-page
// makes the reader continue after the failed row instead, so that request
// is dropped: every other row still comes once, in key order.
TEST_F(PgReadersTest, PagingContinuesAfterARowItsMapperRejectedMidPage) {
  const auto all = expected();
  const int64_t bad_id = all.at(1050).id;  // page 2 of 700, mid-page
  PgPagingReader<Game> reader({.url = url(), .sql = "SELECT * FROM games", .sort_key = "id", .page_size = 700},
                              [&](const PgRow& row) {
                                if (row.get_long("id") == bad_id) throw std::runtime_error("bad row");
                                return map_game(row);
                              });
  ExecutionContext ctx;
  reader.open(ctx);
  std::vector<Game> got;
  int failures = 0;
  for (;;) {
    try {
      auto g = reader.read();
      if (!g) break;
      got.push_back(*g);
    } catch (const std::runtime_error& e) {
      EXPECT_STREQ(e.what(), "bad row");
      ++failures;
    }
  }
  reader.close();
  EXPECT_EQ(failures, 1);
  std::vector<Game> want = all;
  want.erase(want.begin() + 1050);
  EXPECT_TRUE(got == want) << got.size() << " rows of " << want.size();
}

TEST_F(PgReadersTest, PagingReaderSharedByThreadsHandsOutEveryRowOnce) {
  PgPagingReader<Game> reader({.url = url(), .sql = "SELECT * FROM games WHERE year >= :y", .sort_key = "id",
                               .page_size = 250, .bindings = {{":y", int64_t{1990}}}, .save_state = false},
                              map_game);
  ExecutionContext ctx;
  reader.open(ctx);
  std::vector<std::vector<Game>> per_thread(4);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < per_thread.size(); ++t) {
    threads.emplace_back([&, t] {
      while (auto g = reader.read()) per_thread[t].push_back(*g);
    });
  }
  for (auto& th : threads) th.join();
  reader.update(ctx);
  EXPECT_TRUE(ctx.empty());  // save_state = false
  std::vector<Game> merged;
  for (auto& v : per_thread) merged.insert(merged.end(), v.begin(), v.end());
  std::sort(merged.begin(), merged.end());
  EXPECT_TRUE(merged == expected("year >= 1990"));
  reader.close();
}

}  // namespace
}  // namespace cppbatch
