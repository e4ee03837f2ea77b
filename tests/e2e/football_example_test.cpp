// The football example (examples/football) on Spring Batch's full football
// data: the per-player season summary must equal one computed here
// independently, and a run that fails in the middle of the games load must
// restart to the same summary with every game loaded once.
#include <gtest/gtest.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include <array>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "e2e/e2e_support.hpp"

namespace cppbatch::testing::e2e {
namespace {

const fs::path kFootball = fs::path(CPPBATCH_REFERENCE_DATA) / "spring-batch-samples/football";

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> fields;
  std::string field;
  std::stringstream in(line);
  while (std::getline(in, field, ',')) fields.push_back(field);
  if (!line.empty() && line.back() == ',') fields.emplace_back();
  return fields;
}

// player_id,year,games,10 sums — what the summary file should hold.
std::vector<std::string> expected_summary(const fs::path& players, const fs::path& games) {
  std::set<std::string> known;
  std::ifstream player_in(players);
  std::string line;
  while (std::getline(player_in, line)) known.insert(split(line).at(0));

  std::map<std::pair<std::string, int64_t>, std::array<int64_t, 11>> seasons;
  std::ifstream game_in(games);
  while (std::getline(game_in, line)) {
    auto f = split(line);
    if (f.size() != 15) ADD_FAILURE() << "bad test input line: " << line;
    if (!known.count(f[0])) continue;
    auto& sums = seasons[{f[0], std::stol(f[1])}];
    sums[0] += 1;
    for (size_t i = 5; i < 15; ++i) sums[i - 4] += f[i].empty() ? 0 : std::stol(f[i]);
  }
  std::vector<std::string> out = {
      "player_id,year,games,completes,attempts,passing_yards,passing_td,interceptions,rushes,"
      "rush_yards,receptions,reception_yards,total_td"};
  for (const auto& [key, sums] : seasons) {
    std::string row = key.first + "," + std::to_string(key.second);
    for (int64_t v : sums) row += "," + std::to_string(v);
    out.push_back(row);
  }
  return out;
}

std::vector<std::string> lines_of(const fs::path& path) {
  std::vector<std::string> lines;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) lines.push_back(line);
  return lines;
}

RunResult run_example(const fs::path& dir, const std::vector<std::string>& arguments) {
  std::string command =
      std::string(CPPBATCH_FOOTBALL_EXAMPLE) + " --repository sqlite:" + (dir / "batch.db").string();
  for (const auto& a : arguments) command += " " + a;
  command += " > " + (dir / "out.txt").string() + " 2> " + (dir / "err.txt").string();
  int status = std::system(command.c_str());
  return RunResult{exit_code_of(status), read_file(dir / "out.txt"), read_file(dir / "err.txt")};
}

TEST(FootballExample, SummarisesEveryPlayersSeasonsFromTheFullData) {
  TempDir dir("football");
  const fs::path output = dir.path() / "summary.csv";
  RunResult run = run_example(
      dir.path(), {"run", "footballJob", "players=" + (kFootball / "player.csv").string(),
                   "games=" + (kFootball / "games.csv").string(),
                   "database=" + (dir.path() / "football.db").string(), "output=" + output.string()});
  ASSERT_EQ(run.exit_code, 0) << run.err;

  auto expected = expected_summary(kFootball / "player.csv", kFootball / "games.csv");
  EXPECT_GT(expected.size(), 1000u);
  EXPECT_EQ(lines_of(output), expected);

  SQLite::Database db((dir.path() / "football.db").string());
  EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM players").getInt64(), 4320);
  EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM games").getInt64(), 56377);
}

TEST(FootballExample, FailedGamesLoadRestartsToTheSameSummaryWithEveryGameOnce) {
  TempDir dir("football-restart");
  // A copy of games.csv with one malformed line in the middle.
  const fs::path games = dir.path() / "games.csv";
  auto original = lines_of(kFootball / "games.csv");
  const size_t bad = 30'123;  // 0-based line: chunks before it commit
  {
    std::ofstream out(games);
    for (size_t i = 0; i < original.size(); ++i) {
      out << (i == bad ? std::string("AbduKa00,nineteen,mia") : original[i]) << '\n';
    }
  }
  const fs::path output = dir.path() / "summary.csv";
  const std::vector<std::string> arguments = {
      "run", "footballJob", "players=" + (kFootball / "player.csv").string(),
      "games=" + games.string(), "database=" + (dir.path() / "football.db").string(),
      "output=" + output.string()};
  RunResult failed = run_example(dir.path(), arguments);
  ASSERT_EQ(failed.exit_code, 1) << failed.out << failed.err;
  EXPECT_NE((failed.out + failed.err).find("games.csv:" + std::to_string(bad + 1)), std::string::npos)
      << "the failure names the file and line: " << failed.out << failed.err;

  SQLite::Database partial((dir.path() / "football.db").string());
  EXPECT_EQ(partial.execAndGet("SELECT COUNT(*) FROM games").getInt64(), 30'000)
      << "the chunks before the bad line committed, the one holding it did not";

  {  // fix the line, then restart the failed execution
    std::ofstream out(games);
    for (const auto& line : original) out << line << '\n';
  }
  RunResult restarted = run_example(dir.path(), {"restart", "1"});
  ASSERT_EQ(restarted.exit_code, 0) << restarted.out << restarted.err;

  EXPECT_EQ(lines_of(output), expected_summary(kFootball / "player.csv", kFootball / "games.csv"));
  SQLite::Database db((dir.path() / "football.db").string());
  EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM games").getInt64(), 56377);
  EXPECT_EQ(db.execAndGet("SELECT COUNT(*) FROM players").getInt64(), 4320);
}

}  // namespace
}  // namespace cppbatch::testing::e2e
