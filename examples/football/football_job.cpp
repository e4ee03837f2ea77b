// footballJob — Spring Batch's football sample on its real data: load the
// players and the games into SQLite, then write one summary line per player
// and season (games joined to players, statistics summed).
//
//   player.csv ──► [playerLoad: chunk 100] ──► players ┐
//   games.csv  ──► [gameLoad:   chunk 500] ──► games   ┴─► [playerSummarization: chunk 100] ──► summary.csv
//
//   build/examples/football_example run footballJob
//       players=../shared/reference-data/spring-batch-samples/football/player.csv
//       games=../shared/reference-data/spring-batch-samples/football/games.csv
//       database=football.db output=player-summary.csv          (one command line)
//
// Restart-safe throughout: both loads are upserts keyed so that re-writing
// a chunk after a crash changes nothing (players by id, games by their line
// in the file, since the file itself holds 17 repeated player/season/week
// lines); the summary file is cut back to its last committed chunk.
#include <memory>
#include <optional>
#include <string>

#include "cppbatch/cli/cli_runner.hpp"
#include "cppbatch/core/deferred_item_io.hpp"
#include "cppbatch/core/job_parameters_scope.hpp"
#include "cppbatch/cppbatch.hpp"
#include "cppbatch/infrastructure/delimited_file_reader.hpp"
#include "cppbatch/infrastructure/delimited_file_writer.hpp"
#include "cppbatch/infrastructure/sqlite_batch_writer.hpp"
#include "cppbatch/infrastructure/sqlite_cursor_reader.hpp"

namespace {

using namespace cppbatch;

struct Player {
  std::string id, last_name, first_name, position;
  int64_t birth_year = 0, debut_year = 0;
};

// One line of games.csv: a player's statistics in one game.
struct Game {
  int64_t line = 0;  // line in the file: the row's key
  std::string player_id, team, opponent;
  int64_t year = 0, week = 0;
  int64_t completes = 0, attempts = 0, passing_yards = 0, passing_td = 0, interceptions = 0;
  int64_t rushes = 0, rush_yards = 0, receptions = 0, reception_yards = 0, total_td = 0;
};

// A player's season: the games summed.
struct PlayerSummary {
  std::string player_id;
  int64_t year = 0, games = 0;
  int64_t completes = 0, attempts = 0, passing_yards = 0, passing_td = 0, interceptions = 0;
  int64_t rushes = 0, rush_yards = 0, receptions = 0, reception_yards = 0, total_td = 0;
};

constexpr const char* kSchema =
    "CREATE TABLE IF NOT EXISTS players(player_id TEXT PRIMARY KEY, last_name TEXT, "
    "first_name TEXT, position TEXT, birth_year INTEGER, debut_year INTEGER);"
    "CREATE TABLE IF NOT EXISTS games(line INTEGER PRIMARY KEY, player_id TEXT, year_no INTEGER,"
    " team TEXT, week INTEGER, opponent TEXT, completes INTEGER, attempts INTEGER,"
    " passing_yards INTEGER, passing_td INTEGER, interceptions INTEGER, rushes INTEGER,"
    " rush_yards INTEGER, receptions INTEGER, reception_yards INTEGER, total_td INTEGER);"
    "CREATE INDEX IF NOT EXISTS games_player_year ON games(player_id, year_no);";

std::string database_of(const JobParameters& parameters) {
  return parameters.get_string("database").value_or("football.db");
}

std::unique_ptr<ItemReader<Player>> player_reader(const JobParameters& parameters) {
  DelimitedReaderOptions options;
  options.path = parameters.get_string("players").value_or("");
  options.name = "playerReader";
  options.names = {"id", "last_name", "first_name", "position", "birth_year", "debut_year"};
  return std::make_unique<DelimitedFileReader<Player>>(options, [](const FieldSet& f) {
    return Player{std::string(f.read_string("id")), std::string(f.read_string("last_name")),
                  std::string(f.read_string("first_name")), std::string(f.read_string("position")),
                  f.read_long("birth_year"), f.read_long("debut_year")};
  });
}

std::unique_ptr<ItemWriter<Player>> player_writer(const JobParameters& parameters) {
  SqliteWriterOptions options;
  options.database_path = database_of(parameters);
  options.init_sql = kSchema;
  options.synchronous = "FULL";  // at least as durable as the repository
  options.sql =
      "INSERT INTO players VALUES(?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(player_id) DO UPDATE SET "
      "last_name = excluded.last_name, first_name = excluded.first_name, "
      "position = excluded.position, birth_year = excluded.birth_year, "
      "debut_year = excluded.debut_year";
  return std::make_unique<SqliteBatchWriter<Player>>(options, [](const Player& p, SQLite::Statement& s) {
    s.bind(1, p.id);
    s.bind(2, p.last_name);
    s.bind(3, p.first_name);
    s.bind(4, p.position);
    s.bind(5, p.birth_year);
    s.bind(6, p.debut_year);
  });
}

std::unique_ptr<ItemReader<Game>> game_reader(const JobParameters& parameters) {
  DelimitedReaderOptions options;
  options.path = parameters.get_string("games").value_or("");
  options.name = "gameReader";
  options.names = {"player_id", "year",          "team",       "week",           "opponent",
                   "completes", "attempts",      "passing_yards", "passing_td", "interceptions",
                   "rushes",    "rush_yards",    "receptions", "reception_yards", "total_td"};
  return std::make_unique<DelimitedFileReader<Game>>(options, [](const FieldSet& f) {
    Game g;
    g.line = f.line_number();
    g.player_id = std::string(f.read_string("player_id"));
    g.year = f.read_long("year");
    g.team = std::string(f.read_string("team"));
    g.week = f.read_long("week");
    g.opponent = std::string(f.read_string("opponent"));
    g.completes = f.read_long("completes", 0);
    g.attempts = f.read_long("attempts", 0);
    g.passing_yards = f.read_long("passing_yards", 0);
    g.passing_td = f.read_long("passing_td", 0);
    g.interceptions = f.read_long("interceptions", 0);
    g.rushes = f.read_long("rushes", 0);
    g.rush_yards = f.read_long("rush_yards", 0);
    g.receptions = f.read_long("receptions", 0);
    g.reception_yards = f.read_long("reception_yards", 0);
    g.total_td = f.read_long("total_td", 0);
    return g;
  });
}

std::unique_ptr<ItemWriter<Game>> game_writer(const JobParameters& parameters) {
  SqliteWriterOptions options;
  options.database_path = database_of(parameters);
  options.init_sql = kSchema;
  options.synchronous = "FULL";
  options.sql =
      "INSERT OR REPLACE INTO games VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, "
      "?13, ?14, ?15, ?16)";
  return std::make_unique<SqliteBatchWriter<Game>>(options, [](const Game& g, SQLite::Statement& s) {
    s.bind(1, g.line);
    s.bind(2, g.player_id);
    s.bind(3, g.year);
    s.bind(4, g.team);
    s.bind(5, g.week);
    s.bind(6, g.opponent);
    const int64_t stats[] = {g.completes, g.attempts,   g.passing_yards, g.passing_td,
                             g.interceptions, g.rushes, g.rush_yards,    g.receptions,
                             g.reception_yards, g.total_td};
    int index = 7;
    for (int64_t value : stats) s.bind(index++, value);
  });
}

std::unique_ptr<ItemReader<PlayerSummary>> summary_reader(const JobParameters& parameters) {
  SqliteReaderOptions options;
  options.database_path = database_of(parameters);
  options.name = "summaryReader";
  // Games of known players only (Spring's summary joins the two tables);
  // the order is total, so restart by row count is exact.
  options.sql =
      "SELECT g.player_id, g.year_no, COUNT(*), SUM(completes), SUM(attempts), "
      "SUM(passing_yards), SUM(passing_td), SUM(interceptions), SUM(rushes), SUM(rush_yards), "
      "SUM(receptions), SUM(reception_yards), SUM(total_td) "
      "FROM games g JOIN players p ON p.player_id = g.player_id "
      "GROUP BY g.player_id, g.year_no ORDER BY g.player_id, g.year_no";
  return std::make_unique<SqliteCursorReader<PlayerSummary>>(options, [](const SqliteRow& row) {
    PlayerSummary s;
    s.player_id = std::string(row.get_string(0));
    s.year = row.get_long(1);
    s.games = row.get_long(2);
    int64_t* stats[] = {&s.completes, &s.attempts,   &s.passing_yards, &s.passing_td,
                        &s.interceptions, &s.rushes, &s.rush_yards,    &s.receptions,
                        &s.reception_yards, &s.total_td};
    int column = 3;
    for (int64_t* stat : stats) *stat = row.get_long(column++);
    return s;
  });
}

std::unique_ptr<ItemWriter<PlayerSummary>> summary_writer(const JobParameters& parameters) {
  DelimitedWriterOptions options;
  options.path = parameters.get_string("output").value_or("player-summary.csv");
  options.name = "summaryWriter";
  options.header =
      "player_id,year,games,completes,attempts,passing_yards,passing_td,interceptions,rushes,"
      "rush_yards,receptions,reception_yards,total_td";
  return std::make_unique<DelimitedFileWriter<PlayerSummary>>(
      options, [](const PlayerSummary& s, FieldWriter& out) {
        out.write(s.player_id);
        for (int64_t value : {s.year, s.games, s.completes, s.attempts, s.passing_yards, s.passing_td,
                              s.interceptions, s.rushes, s.rush_yards, s.receptions,
                              s.reception_yards, s.total_td}) {
          out.write(value);
        }
      });
}

std::unique_ptr<Job> make_football_job(JobRepository& repo) {
  // Paths are job parameters: each reader/writer is made when its step opens.
  auto scope = std::make_shared<JobParametersScope>();
  auto player_load = StepBuilder("playerLoad", repo)
                         .chunk<Player>(100)
                         .listener(scope)
                         .reader(std::make_unique<DeferredItemReader<Player>>([scope] { return player_reader(scope->get()); }))
                         .writer(std::make_unique<DeferredItemWriter<Player>>([scope] { return player_writer(scope->get()); }))
                         .build();
  auto game_load = StepBuilder("gameLoad", repo)
                       .chunk<Game>(500)
                       .listener(scope)
                       .reader(std::make_unique<DeferredItemReader<Game>>([scope] { return game_reader(scope->get()); }))
                       .writer(std::make_unique<DeferredItemWriter<Game>>([scope] { return game_writer(scope->get()); }))
                       .build();
  auto summarize = StepBuilder("playerSummarization", repo)
                       .chunk<PlayerSummary>(100)
                       .listener(scope)
                       .reader(std::make_unique<DeferredItemReader<PlayerSummary>>([scope] { return summary_reader(scope->get()); }))
                       .writer(std::make_unique<DeferredItemWriter<PlayerSummary>>([scope] { return summary_writer(scope->get()); }))
                       .build();
  return JobBuilder("footballJob", repo)
      .start(std::move(player_load))
      .next(std::move(game_load))
      .next(std::move(summarize))
      .validator(std::make_shared<DefaultJobParametersValidator>(
          std::vector<std::string>{"players", "games"},
          std::vector<std::string>{"database", "output", "run.id"}))
      .incrementer(std::make_shared<RunIdIncrementer>())
      .build();
}

}  // namespace

int main(int argc, char** argv) {
  JobRegistry registry;
  if (auto added = registry.add("footballJob", make_football_job,
                                "load football players and games, summarise each player's seasons "
                                "(players, games, database, output)");
      !added) {
    return kExitRunnerError;
  }
  return run_cli(argc, argv, registry);
}
