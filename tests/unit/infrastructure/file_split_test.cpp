#include "cppbatch/infrastructure/file_split.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

#include "cppbatch/core/job_builder.hpp"
#include "cppbatch/core/step_builder.hpp"
#include "cppbatch/testing/execution_matchers.hpp"
#include "cppbatch/testing/job_test_fixture.hpp"
#include "file_utility_test_support.hpp"

namespace cppbatch {
namespace {

using ::testing::HasSubstr;
using testing::entries;
using testing::read_file;
using testing::ScratchDir;
using testing::write_file;

// What a split must produce: per value of column `col`, the lines in input order.
std::map<std::string, std::string> expected_split(const std::string& text, size_t col, bool header) {
  std::vector<std::string> lines = testing::lines_of(text);
  std::map<std::string, std::string> out;
  for (size_t i = header ? 1 : 0; i < lines.size(); ++i) {
    std::string& file = out[testing::split_fields(lines[i]).at(col)];
    if (file.empty() && header) file = lines[0] + "\n";
    file += lines[i] + "\n";
  }
  return out;
}

TEST(FileSplitTest, OneFilePerValueWithTheHeaderRepeated) {
  ScratchDir dir;
  const std::string text = testing::generated_csv(3000);
  write_file(dir.file("in.csv"), text);
  SplitResult r = split_file({.input = {.path = dir.file("in.csv"), .header_as_names = true},
                              .field = "team",
                              .output_directory = dir.file("out"),
                              .file_name_pattern = "games-{}.csv"});
  EXPECT_EQ(r.records, 3000);
  EXPECT_EQ(r.files, 10u);
  EXPECT_EQ(r.reopens, 0u);
  auto expected = expected_split(text, 1, true);
  ASSERT_EQ(expected.size(), 10u);
  for (const auto& [team, content] : expected) {
    EXPECT_EQ(read_file(dir.file("out/games-" + team + ".csv")), content) << team;
  }
  EXPECT_EQ(entries(dir.file("out")).size(), 10u) << "no staging directory left";
}

TEST(FileSplitTest, FewOpenFilesGiveTheSameOutputThroughCloseAndReopen) {
  ScratchDir dir;
  const std::string text = testing::generated_csv(4000, 11);
  write_file(dir.file("in.csv"), text);
  SplitResult r = split_file({.input = {.path = dir.file("in.csv"), .header_as_names = true},
                              .column = 1,
                              .output_directory = dir.file("out"),
                              .max_open_files = 2});
  EXPECT_GT(r.reopens, 100u) << "10 values through 2 open files must reopen often";
  for (const auto& [team, content] : expected_split(text, 1, true)) {
    EXPECT_EQ(read_file(dir.file("out/" + team + ".csv")), content) << team << ": header once, lines in order";
  }
}

TEST(FileSplitTest, FootballGamesByTeamWithoutHeader) {
  ScratchDir dir;
  SplitResult r = split_file({.input = {.path = testing::football_games()},
                              .column = 2,
                              .output_directory = dir.path().string(),
                              .max_open_files = 8});
  EXPECT_EQ(r.records, 56377);
  auto expected = expected_split(read_file(testing::football_games()), 2, false);
  EXPECT_EQ(r.files, expected.size());
  for (const auto& [team, content] : expected) EXPECT_EQ(read_file(dir.file(team + ".csv")), content) << team;
}

TEST(FileSplitTest, ValuesAreSanitisedIntoDistinctSafeNames) {
  EXPECT_EQ(sanitize_file_name("mia"), "mia");
  EXPECT_EQ(sanitize_file_name("a-b_c.9"), "a-b_c.9");
  std::string slash = sanitize_file_name("a/b");
  EXPECT_THAT(slash, ::testing::MatchesRegex("a_b-[0-9a-f]{8}"));
  EXPECT_NE(slash, sanitize_file_name("a_b"));
  EXPECT_NE(slash, sanitize_file_name("a b"));
  EXPECT_THAT(sanitize_file_name(".."), ::testing::MatchesRegex("_\\.-[0-9a-f]{8}"));
  EXPECT_THAT(sanitize_file_name(""), ::testing::MatchesRegex("_-[0-9a-f]{8}"));
  EXPECT_LE(sanitize_file_name(std::string(500, 'x')).size(), 109u);

  ScratchDir dir;
  write_file(dir.file("in.csv"), "k,v\na/b,1\n../x,2\n,3\na/b,4\n");
  SplitResult r = split_file({.input = {.path = dir.file("in.csv"), .header_as_names = true},
                              .field = "k",
                              .output_directory = dir.file("out")});
  EXPECT_EQ(r.files, 3u);
  EXPECT_EQ(read_file(dir.file("out/" + sanitize_file_name("a/b") + ".csv")), "k,v\na/b,1\na/b,4\n");
  EXPECT_EQ(entries(dir.file("out")).size(), 3u) << "nothing escaped the output directory";
}

TEST(FileSplitTest, BadOptionsAreRefused) {
  ScratchDir dir;
  write_file(dir.file("in.csv"), "k\n1\n");
  EXPECT_THROW(split_file({.input = {.path = dir.file("in.csv")}, .output_directory = dir.path().string()}),
               std::invalid_argument);
  EXPECT_THROW(split_file({.input = {.path = dir.file("in.csv")}, .column = 0, .output_directory = dir.path().string(),
                           .file_name_pattern = "x.csv"}),
               std::invalid_argument);
  EXPECT_THROW(split_file({.input = {.path = dir.file("in.csv")}, .column = 0, .output_directory = dir.path().string(),
                           .file_name_pattern = "../{}.csv"}),
               std::invalid_argument);
  try {
    split_file({.input = {.path = dir.file("in.csv"), .header_as_names = true},
                .field = "team",
                .output_directory = dir.file("out")});
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_THAT(e.what(), HasSubstr("split field 'team' is not a field of"));
  }
}

TEST(FileSplitTest, AnOutputThatWouldReplaceTheInputIsRefusedAndNothingIsMoved) {
  ScratchDir dir;
  write_file(dir.file("mia.csv"), "team,n\nbuf,1\nmia,2\n");
  try {
    split_file({.input = {.path = dir.file("mia.csv"), .header_as_names = true},
                .field = "team",
                .output_directory = dir.path().string()});
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("would replace the input"));
  }
  EXPECT_EQ(read_file(dir.file("mia.csv")), "team,n\nbuf,1\nmia,2\n");
  EXPECT_EQ(entries(dir.path()), (std::set<std::string>{"mia.csv"}));
}

class SplitStepTest : public testing::JobTestFixture {};

TEST_F(SplitStepTest, FailedSplitLeavesNoOutputAndTheRestartSplitsAgain) {
  ScratchDir dir;
  const std::string good = testing::generated_csv(5000, 5);
  std::string bad = good;
  bad.insert(bad.find('\n', bad.size() * 3 / 4) + 1, "1,2,3,4,5\n");  // one field too many
  write_file(dir.file("in.csv"), bad);
  write_file(dir.file("mia.csv"), "from an earlier run\n");
  SplitOptions options{.input = {.path = dir.file("in.csv"), .header_as_names = true},
                       .field = "team",
                       .output_directory = dir.path().string(),
                       .max_open_files = 3};
  auto job = JobBuilder("splitJob", repository_)
                 .start(StepBuilder("split", repository_).tasklet(std::make_unique<SplitTasklet>(options)).build())
                 .build();
  JobExecution& failed = run(*job);
  ASSERT_THAT(failed, testing::HasStatus(BatchStatus::FAILED));
  EXPECT_THAT(failed.step_executions.at(0)->exit_status.description(), HasSubstr("expected 4 fields"));
  EXPECT_EQ(entries(dir.path()), (std::set<std::string>{"in.csv", "mia.csv"})) << "no partial output, no staging";
  EXPECT_EQ(read_file(dir.file("mia.csv")), "from an earlier run\n");

  write_file(dir.file("in.csv"), good);
  JobExecution& restarted = run(*job);
  ASSERT_THAT(restarted, testing::HasStatus(BatchStatus::COMPLETED));
  EXPECT_THAT(restarted, testing::HasStepExecution("split", testing::HasCounts({.read = 5000, .write = 5000})));
  for (const auto& [team, content] : expected_split(good, 1, true)) {
    EXPECT_EQ(read_file(dir.file(team + ".csv")), content) << team;
  }
  EXPECT_EQ(entries(dir.path()).size(), 11u);
}

}  // namespace
}  // namespace cppbatch
