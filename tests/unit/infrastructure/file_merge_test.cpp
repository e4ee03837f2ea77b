#include "cppbatch/infrastructure/file_merge.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cppbatch/core/job_builder.hpp"
#include "cppbatch/core/step_builder.hpp"
#include "cppbatch/infrastructure/file_sort.hpp"
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

TEST(FileMergeTest, MergesSortedInputsKeepingInputOrderForEqualKeys) {
  ScratchDir dir;
  write_file(dir.file("a.csv"), "team,n\nbuf,a1\nmia,a2\nnwe,a3\n");
  write_file(dir.file("b.csv"), "team,n\nbuf,b1\nden,b2\nmia,b3\n");
  write_file(dir.file("c.csv"), "team,n\n");
  write_file(dir.file("d.csv"), "team,n\nzzz,d1\n");
  MergeResult r = merge_files({.inputs = {dir.file("a.csv"), dir.file("b.csv"), dir.file("c.csv"), dir.file("d.csv")},
                               .input = {.header_as_names = true},
                               .output = dir.file("out.csv"),
                               .keys = parse_sort_keys("team")});
  EXPECT_EQ(r.records, 7);
  EXPECT_EQ(read_file(dir.file("out.csv")), "team,n\nbuf,a1\nbuf,b1\nden,b2\nmia,a2\nmia,b3\nnwe,a3\nzzz,d1\n");
}

TEST(FileMergeTest, OutOfOrderInputIsAnErrorNamingFileAndLineAndLeavesNoOutput) {
  ScratchDir dir;
  write_file(dir.file("a.csv"), "year,team\n1990,a\n1995,b\n");
  write_file(dir.file("b.csv"), "year,team\n1991,c\n1996,d\n\n1993,e\n");
  try {
    merge_files({.inputs = {dir.file("a.csv"), dir.file("b.csv")},
                 .input = {.header_as_names = true},
                 .output = dir.file("out.csv"),
                 .keys = parse_sort_keys("year:numeric")});
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()), "merge: input '" + dir.file("b.csv") +
                                         "' is not sorted by year:numeric:asc: line 5 (year=1993) sorts before line 3");
  }
  EXPECT_EQ(entries(dir.path()), (std::set<std::string>{"a.csv", "b.csv"}));
}

TEST(FileMergeTest, InputsWithDifferentFieldsAreRefused) {
  ScratchDir dir;
  write_file(dir.file("a.csv"), "year,team\n1990,a\n");
  write_file(dir.file("b.csv"), "year,club\n1991,c\n");
  try {
    merge_files({.inputs = {dir.file("a.csv"), dir.file("b.csv")},
                 .input = {.header_as_names = true},
                 .output = dir.file("out.csv"),
                 .keys = parse_sort_keys("year:numeric")});
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_THAT(e.what(), HasSubstr("has fields (year, club) but"));
  }
  EXPECT_THROW(merge_files({.inputs = {dir.file("a.csv")}, .output = dir.file("a.csv"), .keys = parse_sort_keys("0")}),
               std::invalid_argument);
}

// Football games cut into three parts, each sorted, then merged: the same as
// sorting the whole file at once (both stable).
TEST(FileMergeTest, MergingSortedPartsEqualsSortingTheWhole) {
  ScratchDir dir;
  std::vector<std::string> lines = testing::lines_of(read_file(testing::football_games()));
  std::vector<std::string> parts;
  for (size_t p = 0; p < 3; ++p) {
    std::string text;
    for (size_t i = p * lines.size() / 3; i < (p + 1) * lines.size() / 3; ++i) text += lines[i] + "\n";
    std::string part = dir.file("part" + std::to_string(p) + ".csv");
    write_file(part, text);
    std::string sorted = dir.file("sorted" + std::to_string(p) + ".csv");
    sort_file({.input = {.path = part}, .output = sorted, .keys = parse_sort_keys("2,1:numeric")});
    parts.push_back(sorted);
  }
  MergeResult r = merge_files({.inputs = parts, .output = dir.file("merged.csv"), .keys = parse_sort_keys("2,1:numeric")});
  EXPECT_EQ(r.records, static_cast<int64_t>(lines.size()));
  sort_file({.input = {.path = testing::football_games()}, .output = dir.file("whole.csv"),
             .keys = parse_sort_keys("2,1:numeric"), .memory_budget = 128 * 1024});
  EXPECT_EQ(read_file(dir.file("merged.csv")), read_file(dir.file("whole.csv")));
}

class MergeStepTest : public testing::JobTestFixture {};

TEST_F(MergeStepTest, FailedMergeLeavesNoOutputAndTheRestartMergesAgain) {
  ScratchDir dir;
  write_file(dir.file("a.csv"), "k\n1\n3\n5\n");
  write_file(dir.file("b.csv"), "k\n2\n6\n4\n");
  MergeOptions options{.inputs = {dir.file("a.csv"), dir.file("b.csv")},
                       .input = {.header_as_names = true},
                       .output = dir.file("out.csv"),
                       .keys = parse_sort_keys("k:numeric")};
  auto job = JobBuilder("mergeJob", repository_)
                 .start(StepBuilder("merge", repository_).tasklet(std::make_unique<MergeTasklet>(options)).build())
                 .build();
  JobExecution& failed = run(*job);
  ASSERT_THAT(failed, testing::HasStatus(BatchStatus::FAILED));
  EXPECT_THAT(failed.step_executions.at(0)->exit_status.description(), HasSubstr("b.csv' is not sorted"));
  EXPECT_EQ(entries(dir.path()), (std::set<std::string>{"a.csv", "b.csv"}));
  write_file(dir.file("b.csv"), "k\n2\n4\n6\n");
  JobExecution& restarted = run(*job);
  ASSERT_THAT(restarted, testing::HasStatus(BatchStatus::COMPLETED));
  EXPECT_THAT(restarted, testing::HasStepExecution("merge", testing::HasCounts({.read = 6, .write = 6})));
  EXPECT_EQ(read_file(dir.file("out.csv")), "k\n1\n2\n3\n4\n5\n6\n");
}

}  // namespace
}  // namespace cppbatch
