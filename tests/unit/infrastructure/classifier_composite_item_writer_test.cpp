#include "cppbatch/infrastructure/classifier_composite_item_writer.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cppbatch/core/job_builder.hpp"
#include "cppbatch/core/step_builder.hpp"
#include "cppbatch/infrastructure/delimited_file_writer.hpp"
#include "cppbatch/infrastructure/delimited_record_reader.hpp"
#include "cppbatch/testing/execution_matchers.hpp"
#include "cppbatch/testing/job_test_fixture.hpp"
#include "cppbatch/testing/recording_item_stream.hpp"
#include "cppbatch/testing/recording_item_writer.hpp"
#include "cppbatch/testing/restartable_list_reader.hpp"
#include "io_test_support.hpp"

namespace cppbatch {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::HasStatus;
using testing::RecordingItemWriter;

std::string parity(const int& i) { return i % 2 == 0 ? "even" : "odd"; }

TEST(ClassifierCompositeItemWriterTest, EachDelegateGetsItsSubChunkOncePerChunkInOrder) {
  std::vector<std::vector<int>> even, odd;
  ClassifierCompositeItemWriter<int> writer(parity);
  writer.route("even", std::make_unique<RecordingItemWriter<int>>(even))
      .route("odd", std::make_unique<RecordingItemWriter<int>>(odd));
  writer.write(Chunk<int>({5, 2, 4, 7, 1, 8}));
  writer.write(Chunk<int>({10, 12}));
  EXPECT_THAT(even, ElementsAre(ElementsAre(2, 4, 8), ElementsAre(10, 12)));
  EXPECT_THAT(odd, ElementsAre(ElementsAre(5, 7, 1))) << "no call for a route without items";
}

TEST(ClassifierCompositeItemWriterTest, UnknownRouteFailsBeforeWritingAnything) {
  std::vector<std::vector<int>> even;
  ClassifierCompositeItemWriter<int> writer(parity, "byParity");
  writer.route("even", std::make_unique<RecordingItemWriter<int>>(even));
  try {
    writer.write(Chunk<int>({2, 4, 3}));
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "writer 'byParity': no route for key 'odd' (item 3 of 3); routes: even");
  }
  EXPECT_TRUE(even.empty()) << "nothing may be written when an item has no route";
  writer.write(Chunk<int>({6}));
  EXPECT_THAT(even, ElementsAre(ElementsAre(6))) << "the failed chunk left nothing behind";
}

TEST(ClassifierCompositeItemWriterTest, FallbackTakesUnroutedItemsAndIsWrittenLast) {
  std::vector<std::vector<int>> small, rest;
  ClassifierCompositeItemWriter<int, int> writer([](const int& i) { return i / 10; });
  writer.otherwise(std::make_unique<RecordingItemWriter<int>>(rest));
  writer.route(0, std::make_unique<RecordingItemWriter<int>>(small));
  writer.write(Chunk<int>({1, 25, 3, 99}));
  EXPECT_THAT(small, ElementsAre(ElementsAre(1, 3)));
  EXPECT_THAT(rest, ElementsAre(ElementsAre(25, 99)));
  EXPECT_THROW(writer.route(0, std::make_unique<RecordingItemWriter<int>>(small)), std::invalid_argument);
}

TEST(ClassifierCompositeItemWriterTest, ForwardsStreamsOfDelegates) {
  testing::EventLog log;
  struct StreamWriter final : ItemWriter<int>, testing::RecordingItemStream {
    using RecordingItemStream::RecordingItemStream;
    void write(const Chunk<int>&) override {}
  };
  ClassifierCompositeItemWriter<int> writer(parity);
  writer.route("even", std::make_unique<StreamWriter>(log, "e")).route("odd", std::make_unique<StreamWriter>(log, "o"));
  ExecutionContext ctx;
  writer.open(ctx);
  writer.update(ctx);
  writer.close();
  EXPECT_THAT(log.events(), ElementsAre("open:e:none", "open:o:none", "update:e:1", "update:o:1", "close:e", "close:o"));
}

TEST(ClassifierCompositeItemWriterTest, RoutesRecordsByAFieldAndNamesAMissingField) {
  auto layout = make_record_layout({"team", "yards"});
  std::vector<std::vector<Record>> mia, nwe;
  ClassifierCompositeItemWriter<Record> writer(record_field_classifier("team"));
  writer.route("mia", std::make_unique<RecordingItemWriter<Record>>(mia))
      .route("nwe", std::make_unique<RecordingItemWriter<Record>>(nwe));
  Chunk<Record> chunk;
  chunk.add(Record(layout, {std::string("nwe"), std::string("1")}));
  chunk.add(Record(layout, {std::string("mia"), std::string("2")}));
  chunk.add(Record(layout, {std::string("nwe"), std::string("3")}));
  writer.write(chunk);
  ASSERT_EQ(nwe.size(), 1u);
  ASSERT_EQ(nwe[0].size(), 2u);
  EXPECT_EQ(nwe[0][1].get_string("yards"), "3");
  EXPECT_EQ(mia[0][0].get_string("yards"), "2");
  ClassifierCompositeItemWriter<Record> wrong(record_field_classifier("club"));
  wrong.route("mia", std::make_unique<RecordingItemWriter<Record>>(mia));
  try {
    wrong.write(chunk);
    FAIL();
  } catch (const RecordError& e) {
    EXPECT_EQ(e.field(), "club");
  }
}

class ClassifierWriterStepTest : public testing::JobTestFixture {};

// Football games split by team into transactional files: a restart after a
// failure writes each file exactly as an uninterrupted run does.
TEST_F(ClassifierWriterStepTest, RestartGivesTheSameRoutedFilesAsACleanRun) {
  testing::ScratchDir dir;
  std::vector<Record> games;
  {
    DelimitedRecordReader reader({.path = std::string(CPPBATCH_REFERENCE_DATA) +
                                          "/spring-batch-samples/football/games.csv",
                                  .names = {"id", "year", "team", "week", "opponent"},
                                  .strict = false});
    ExecutionContext ctx;
    reader.open(ctx);
    RecordMapper mapper({"id", "year", "team", "week", "opponent"});
    while (const FieldSet* fs = reader.next()) {
      games.push_back(mapper(*fs));
      if (games.size() == 500) break;
    }
  }
  std::vector<std::string> teams;
  for (const Record& g : games) {
    std::string t = g.get_string("team");
    if (std::find(teams.begin(), teams.end(), t) == teams.end()) teams.push_back(t);
  }
  ASSERT_GT(teams.size(), 3u);
  auto make_job = [&](const std::string& tag, int fail_at) {
    auto reader = std::make_unique<testing::RestartableListReader<Record>>(games);
    if (fail_at >= 0) reader->fail_at(static_cast<size_t>(fail_at), "boom");
    auto writer = std::make_unique<ClassifierCompositeItemWriter<Record>>(record_field_classifier("team"));
    for (const std::string& t : teams) {
      writer->route(t, std::make_unique<DelimitedFileWriter<Record>>(
                           DelimitedWriterOptions{.path = dir.file(tag + "-" + t + ".csv"), .name = "w." + t,
                                                  .header = "id,year,team,week,opponent"},
                           [](const Record& r, FieldWriter& out) { write_record(r, out); }));
    }
    auto step = StepBuilder("route", repository_).chunk<Record>(50).reader(std::move(reader)).writer(std::move(writer)).build();
    return JobBuilder("route" + tag, repository_).start(std::move(step)).build();
  };
  auto clean = make_job("clean", -1);
  ASSERT_THAT(run(*clean), HasStatus(BatchStatus::COMPLETED));
  auto failing = make_job("restart", 321);
  ASSERT_THAT(run(*failing), HasStatus(BatchStatus::FAILED));
  auto resumed = make_job("restart", -1);
  ASSERT_THAT(run(*resumed), HasStatus(BatchStatus::COMPLETED));
  size_t lines = 0;
  for (const std::string& t : teams) {
    std::string expected = testing::read_file(dir.file("clean-" + t + ".csv"));
    EXPECT_EQ(testing::read_file(dir.file("restart-" + t + ".csv")), expected) << "team " << t;
    lines += static_cast<size_t>(std::count(expected.begin(), expected.end(), '\n')) - 1;
  }
  EXPECT_EQ(lines, games.size()) << "every game in exactly one file";
}

}  // namespace
}  // namespace cppbatch
