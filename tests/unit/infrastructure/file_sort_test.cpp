#include "cppbatch/infrastructure/file_sort.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

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
using testing::reference_sort;
using testing::ScratchDir;
using testing::write_file;

SortKey column(size_t c, SortKeyType type = SortKeyType::STRING, SortOrder order = SortOrder::ASCENDING) {
  return SortKey{.field = "", .column = c, .type = type, .order = order};
}

TEST(SortKeyTest, ParsesSpecs) {
  auto keys = parse_sort_keys("team, year:numeric:desc,2:desc");
  ASSERT_EQ(keys.size(), 3u);
  EXPECT_EQ(keys[0].field, "team");
  EXPECT_EQ(keys[0].type, SortKeyType::STRING);
  EXPECT_EQ(keys[1].type, SortKeyType::NUMERIC);
  EXPECT_EQ(keys[1].order, SortOrder::DESCENDING);
  EXPECT_EQ(keys[2].column, std::optional<size_t>(2));
  EXPECT_EQ(describe_sort_keys(keys), "team:string:asc,year:numeric:desc,#2:string:desc");
  EXPECT_THROW(parse_sort_keys("team:up"), std::invalid_argument);
  EXPECT_THROW(parse_sort_keys("a,,b"), std::invalid_argument);
}

TEST(SortKeyTest, EncodedKeysCompareLikeTheValues) {
  KeyEncoder text({column(0)});
  KeyEncoder number({column(0, SortKeyType::NUMERIC)});
  KeyEncoder down({column(0, SortKeyType::NUMERIC, SortOrder::DESCENDING), column(1)});
  auto enc = [](const KeyEncoder& e, std::vector<std::string_view> values) {
    FieldSet fs(values);
    std::string out;
    e.encode(fs, out);
    return out;
  };
  EXPECT_LT(enc(text, {"a"}), enc(text, {"ab"}));
  EXPECT_LT(enc(text, {"ab"}), enc(text, {"b"}));
  EXPECT_LT(enc(text, {""}), enc(text, {"a"}));
  EXPECT_LT(enc(number, {"-10"}), enc(number, {"-2.5"}));
  EXPECT_LT(enc(number, {"-2.5"}), enc(number, {"0"}));
  EXPECT_EQ(enc(number, {"-0"}), enc(number, {"0"}));
  EXPECT_LT(enc(number, {"9"}), enc(number, {"10"}));
  EXPECT_LT(enc(number, {"1e300"}), enc(number, {"inf"}));
  EXPECT_LT(enc(number, {"inf"}), enc(number, {"nan"}));
  EXPECT_LT(enc(down, {"10", "z"}), enc(down, {"9", "a"}));
  EXPECT_LT(enc(down, {"9", "a"}), enc(down, {"9", "b"})) << "second key ascending";
  EXPECT_THROW(enc(number, {" "}), ParseError);
}

TEST(FileSortTest, SortsByNamedKeysKeepingTheHeaderAndInputOrderOfEqualKeys) {
  ScratchDir dir;
  write_file(dir.file("in.csv"),
             "id,team,score\n1,mia,3\n2,buf,10\n3,mia,3\n4,buf,9\n5,\"x,y\",1\n6,mia,-1\n");
  SortResult r = sort_file({.input = {.path = dir.file("in.csv"), .header_as_names = true},
                            .output = dir.file("out.csv"),
                            .keys = parse_sort_keys("team,score:numeric:desc")});
  EXPECT_EQ(r.records, 6);
  EXPECT_EQ(r.runs, 0u) << "fits in memory: no temporary run";
  EXPECT_EQ(read_file(dir.file("out.csv")),
            "id,team,score\n2,buf,10\n4,buf,9\n1,mia,3\n3,mia,3\n6,mia,-1\n5,\"x,y\",1\n");
  EXPECT_EQ(entries(dir.path()), (std::set<std::string>{"in.csv", "out.csv"})) << "no temporary file left";
}

TEST(FileSortTest, KeepsQuotedRecordsWithLineBreaksWhole) {
  ScratchDir dir;
  write_file(dir.file("in.csv"), "b,\"two\nlines\"\r\na,one\n");
  sort_file({.input = {.path = dir.file("in.csv")}, .output = dir.file("out.csv"), .keys = {column(0)}});
  EXPECT_EQ(read_file(dir.file("out.csv")), "a,one\nb,\"two\nlines\"\n");
}

// The core property: a file many times the memory budget sorts to exactly
// what std::stable_sort gives in memory, through runs and merge passes.
TEST(FileSortTest, FileLargerThanTheBudgetSortsLikeStableSortInMemory) {
  ScratchDir dir;
  const std::string text = testing::generated_csv(40000);  // ~1 MB
  write_file(dir.file("in.csv"), text);
  std::vector<SortKey> keys = {column(1), column(2, SortKeyType::NUMERIC, SortOrder::DESCENDING)};
  SortResult r = sort_file({.input = {.path = dir.file("in.csv"), .header_as_names = true},
                            .output = dir.file("out.csv"),
                            .keys = keys,
                            .memory_budget = 64 * 1024,
                            .fan_in = 4});
  EXPECT_EQ(r.records, 40000);
  EXPECT_GT(r.runs, 16u) << "the budget must force many runs";
  EXPECT_GE(r.merge_passes, 2u) << "more runs than the fan-in need intermediate passes";
  EXPECT_EQ(read_file(dir.file("out.csv")), reference_sort(text, keys, /*header=*/true));
  EXPECT_EQ(entries(dir.path()), (std::set<std::string>{"in.csv", "out.csv"}));

  // The same with every key and the budget varied: equal keys abound (team only).
  SortResult by_team = sort_file({.input = {.path = dir.file("in.csv"), .header_as_names = true},
                                  .output = dir.file("team.csv"),
                                  .keys = {column(1, SortKeyType::STRING, SortOrder::DESCENDING)},
                                  .memory_budget = 100 * 1000,
                                  .fan_in = 64});
  EXPECT_EQ(by_team.merge_passes, 0u);
  EXPECT_EQ(read_file(dir.file("team.csv")),
            reference_sort(text, {column(1, SortKeyType::STRING, SortOrder::DESCENDING)}, true));
}

TEST(FileSortTest, FootballGamesByTeamYearDescAndWeek) {
  ScratchDir dir;
  std::vector<SortKey> keys = {column(2), column(1, SortKeyType::NUMERIC, SortOrder::DESCENDING),
                               column(3, SortKeyType::NUMERIC)};
  SortResult r = sort_file({.input = {.path = testing::football_games()},
                            .output = dir.file("games.csv"),
                            .keys = keys,
                            .memory_budget = 256 * 1024,
                            .temp_directory = dir.path().string()});
  EXPECT_EQ(r.records, 56377);
  EXPECT_GT(r.runs, 1u);
  EXPECT_EQ(read_file(dir.file("games.csv")), reference_sort(read_file(testing::football_games()), keys, false));
}

TEST(FileSortTest, BadNumericKeyFailsNamingFileLineAndFieldAndLeavesNoOutput) {
  ScratchDir dir;
  std::string text = testing::generated_csv(5000);
  text += "5000,mia,lots,x\n";
  write_file(dir.file("in.csv"), text);
  write_file(dir.file("out.csv"), "previous output\n");
  try {
    sort_file({.input = {.path = dir.file("in.csv"), .header_as_names = true},
               .output = dir.file("out.csv"),
               .keys = parse_sort_keys("score:numeric"),
               .memory_budget = 64 * 1024});
    FAIL() << "expected a ParseError";
  } catch (const ParseError& e) {
    EXPECT_EQ(e.line(), 5002);
    EXPECT_EQ(e.field(), "score");
    EXPECT_THAT(e.what(), HasSubstr("'lots' is not a number"));
  }
  EXPECT_EQ(read_file(dir.file("out.csv")), "previous output\n") << "a failed sort leaves the old output alone";
  EXPECT_EQ(entries(dir.path()), (std::set<std::string>{"in.csv", "out.csv"})) << "runs and temporary file removed";
}

TEST(FileSortTest, UnknownKeyFieldAndBadOptionsAreRefused) {
  ScratchDir dir;
  write_file(dir.file("in.csv"), "id,team\n1,a\n");
  try {
    sort_file({.input = {.path = dir.file("in.csv"), .header_as_names = true},
               .output = dir.file("out.csv"),
               .keys = parse_sort_keys("club")});
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "sort key 'club' is not a field of the input (fields: id, team)");
  }
  EXPECT_THROW(sort_file({.input = {.path = dir.file("in.csv")}, .output = dir.file("in.csv"), .keys = {column(0)}}),
               std::invalid_argument);
  EXPECT_THROW(SortTasklet({.input = {.path = dir.file("in.csv")}, .output = dir.file("o.csv")}),
               std::invalid_argument);
  EXPECT_FALSE(std::filesystem::exists(dir.file("out.csv")));
}

TEST(FileSortTest, EmptyInputGivesTheHeaderOnly) {
  ScratchDir dir;
  write_file(dir.file("in.csv"), "id,team\n");
  SortResult r = sort_file({.input = {.path = dir.file("in.csv"), .header_as_names = true},
                            .output = dir.file("out.csv"),
                            .keys = parse_sort_keys("team")});
  EXPECT_EQ(r.records, 0);
  EXPECT_EQ(read_file(dir.file("out.csv")), "id,team\n");
}

class SortStepTest : public testing::JobTestFixture {};

// A sort step that fails (bad record found while writing runs) leaves no
// output and no temporary file; after the input is fixed, the restart
// reruns the sort and gives exactly the output of an uninterrupted run.
TEST_F(SortStepTest, FailedRunLeavesNothingAndTheRestartSortsAgain) {
  ScratchDir dir;
  ScratchDir temp;
  std::string good = testing::generated_csv(20000, 3);
  std::string bad = good;
  bad.insert(bad.find('\n', bad.size() / 2) + 1, "oops,mia\n");  // too few fields
  write_file(dir.file("in.csv"), bad);
  SortOptions options{.input = {.path = dir.file("in.csv"), .header_as_names = true},
                      .output = dir.file("sorted.csv"),
                      .keys = parse_sort_keys("team,score:numeric"),
                      .memory_budget = 64 * 1024,
                      .fan_in = 3,
                      .temp_directory = temp.path().string()};
  auto job = JobBuilder("sortJob", repository_)
                 .start(StepBuilder("sort", repository_).tasklet(std::make_unique<SortTasklet>(options)).build())
                 .build();
  JobExecution& failed = run(*job);
  ASSERT_THAT(failed, testing::HasStatus(BatchStatus::FAILED));
  EXPECT_THAT(failed.step_executions.at(0)->exit_status.description(), HasSubstr("in.csv:"));
  EXPECT_FALSE(std::filesystem::exists(dir.file("sorted.csv")));
  EXPECT_EQ(entries(dir.path()), (std::set<std::string>{"in.csv"}));
  EXPECT_TRUE(entries(temp.path()).empty()) << "runs removed after the failure";

  write_file(dir.file("in.csv"), good);
  JobExecution& restarted = run(*job);
  ASSERT_THAT(restarted, testing::HasStatus(BatchStatus::COMPLETED));
  EXPECT_EQ(restarted.job_instance.id, failed.job_instance.id);
  EXPECT_THAT(restarted, testing::HasStepExecution("sort", testing::HasCounts({.read = 20000, .write = 20000})));
  EXPECT_EQ(read_file(dir.file("sorted.csv")),
            reference_sort(good, {column(1), column(2, SortKeyType::NUMERIC)}, true));
  EXPECT_TRUE(entries(temp.path()).empty());
}

}  // namespace
}  // namespace cppbatch
