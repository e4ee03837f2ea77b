// The players example (examples/players) on Spring Batch's football
// players file: the README's tour must run as written.
#include <gtest/gtest.h>

#include <cctype>
#include <fstream>
#include <sstream>

#include "e2e/e2e_support.hpp"

namespace cppbatch::testing::e2e {
namespace {

const fs::path kPlayers = fs::path(CPPBATCH_REFERENCE_DATA) / "spring-batch-samples/football/player.csv";

std::vector<std::vector<std::string>> read_csv(const fs::path& path) {
  std::vector<std::vector<std::string>> rows;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> fields;
    std::stringstream split(line);
    std::string field;
    while (std::getline(split, field, ',')) fields.push_back(field);
    rows.push_back(fields);
  }
  return rows;
}

RunResult run_example(const fs::path& dir, const std::vector<std::string>& arguments) {
  // The example is its own program with the whole CLI; reuse the e2e runner
  // by pointing it at the example's binary.
  std::string command = std::string(CPPBATCH_PLAYERS_EXAMPLE) + " --repository sqlite:" + (dir / "batch.db").string();
  for (const auto& a : arguments) command += " " + a;
  command += " > " + (dir / "out.txt").string() + " 2> " + (dir / "err.txt").string();
  int status = std::system(command.c_str());
  return RunResult{exit_code_of(status), read_file(dir / "out.txt"), read_file(dir / "err.txt")};
}

TEST(PlayersExample, UpperCasesLastNamesOfPlayersWhoDebutedSince1990) {
  TempDir dir("players");
  const fs::path output = dir.path() / "players-upper.csv";
  const std::vector<std::string> arguments = {"run", "playersJob", "input=" + kPlayers.string(),
                                              "output=" + output.string(), "since=1990,long"};
  RunResult first = run_example(dir.path(), arguments);
  ASSERT_EQ(first.exit_code, 0) << first.err;

  std::vector<std::vector<std::string>> expected;
  for (auto row : read_csv(kPlayers)) {
    ASSERT_EQ(row.size(), 6u);
    if (std::stol(row[5]) < 1990) continue;
    for (char& c : row[1]) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    row[4] = std::to_string(std::stol(row[4]));  // years are numbers: the file's "0000" is written 0
    expected.push_back(row);
  }
  auto written = read_csv(output);
  ASSERT_FALSE(written.empty());
  EXPECT_EQ(written.front(), (std::vector<std::string>{"id", "last_name", "first_name", "position", "birth_year",
                                                       "debut_year"}));
  written.erase(written.begin());
  EXPECT_GT(expected.size(), 1000u);
  EXPECT_EQ(written, expected);

  RunResult again = run_example(dir.path(), arguments);
  EXPECT_EQ(again.exit_code, 2) << "a completed instance is not run again";
  EXPECT_NE(again.err.find("complete"), std::string::npos) << again.err;
}

}  // namespace
}  // namespace cppbatch::testing::e2e
