#include "cppbatch/infrastructure/composite_item_writer.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cppbatch/core/job_builder.hpp"
#include "cppbatch/core/step_builder.hpp"
#include "cppbatch/infrastructure/delimited_file_writer.hpp"
#include "cppbatch/testing/event_log.hpp"
#include "cppbatch/testing/execution_matchers.hpp"
#include "cppbatch/testing/job_test_fixture.hpp"
#include "cppbatch/testing/recording_item_writer.hpp"
#include "cppbatch/testing/restartable_list_reader.hpp"
#include "io_test_support.hpp"

namespace cppbatch {
namespace {

using ::testing::ElementsAre;
using testing::HasStatus;

// A writer that logs its calls (and stream calls) and can fail once.
class LoggingWriter final : public ItemWriter<int>, public ItemStream {
 public:
  LoggingWriter(testing::EventLog& log, std::string name, bool fail = false)
      : log_(log), name_(std::move(name)), fail_(fail) {}
  void write(const Chunk<int>& chunk) override {
    if (fail_) throw std::runtime_error(name_ + " failed");
    std::string items;
    for (int i : chunk) items += std::to_string(i);
    log_.add("write:" + name_ + ":" + items);
  }
  void open(ExecutionContext&) override { log_.add("open:" + name_); }
  void update(ExecutionContext&) override { log_.add("update:" + name_); }
  void close() override {
    log_.add("close:" + name_);
    if (fail_) throw std::runtime_error(name_ + " close failed");
  }

 private:
  testing::EventLog& log_;
  std::string name_;
  bool fail_;
};

TEST(CompositeItemWriterTest, WritesTheChunkToEveryDelegateInOrder) {
  testing::EventLog log;
  std::vector<std::vector<int>> plain;
  std::vector<std::unique_ptr<ItemWriter<int>>> delegates;
  delegates.push_back(std::make_unique<LoggingWriter>(log, "a"));
  delegates.push_back(std::make_unique<testing::RecordingItemWriter<int>>(plain));  // not a stream
  delegates.push_back(std::make_unique<LoggingWriter>(log, "b"));
  CompositeItemWriter<int> writer(std::move(delegates));
  ExecutionContext ctx;
  writer.open(ctx);
  writer.write(Chunk<int>({1, 2, 3}));
  writer.update(ctx);
  writer.close();
  EXPECT_THAT(log.events(), ElementsAre("open:a", "open:b", "write:a:123", "write:b:123", "update:a", "update:b",
                                        "close:a", "close:b"));
  EXPECT_THAT(plain, ElementsAre(ElementsAre(1, 2, 3)));
}

TEST(CompositeItemWriterTest, AFailingDelegateStopsTheChunkAndCloseReachesAll) {
  testing::EventLog log;
  std::vector<std::unique_ptr<ItemWriter<int>>> delegates;
  delegates.push_back(std::make_unique<LoggingWriter>(log, "a"));
  delegates.push_back(std::make_unique<LoggingWriter>(log, "bad", /*fail=*/true));
  delegates.push_back(std::make_unique<LoggingWriter>(log, "c"));
  CompositeItemWriter<int> writer(std::move(delegates));
  EXPECT_THROW(writer.write(Chunk<int>({1})), std::runtime_error);
  EXPECT_EQ(log.count("write:c:1"), 0u);
  EXPECT_THROW(writer.close(), std::runtime_error);
  EXPECT_EQ(log.count("close:c"), 1u) << "close must reach delegates after one that failed";
}

TEST(CompositeItemWriterTest, RejectsEmptyOrNullDelegates) {
  EXPECT_THROW(CompositeItemWriter<int>({}), std::invalid_argument);
  std::vector<std::unique_ptr<ItemWriter<int>>> with_null;
  with_null.push_back(nullptr);
  EXPECT_THROW(CompositeItemWriter<int>(std::move(with_null)), std::invalid_argument);
}

class CompositeWriterStepTest : public testing::JobTestFixture {};

// Two transactional file writers behind one composite: a failure after two
// committed chunks, then a restart, gives both files exactly the content of
// an uninterrupted run.
TEST_F(CompositeWriterStepTest, RestartLeavesEveryDelegateFileIdenticalToACleanRun) {
  testing::ScratchDir dir;
  auto make_job = [&](const std::string& tag, int fail_at) {
    std::vector<int> items;
    for (int i = 0; i < 11; ++i) items.push_back(i);
    auto reader = std::make_unique<testing::RestartableListReader<int>>(items);
    if (fail_at >= 0) reader->fail_at(static_cast<size_t>(fail_at), "boom");
    std::vector<std::unique_ptr<ItemWriter<int>>> delegates;
    delegates.push_back(std::make_unique<DelimitedFileWriter<int>>(
        DelimitedWriterOptions{.path = dir.file(tag + "-a.csv"), .name = "a", .header = "n"},
        [](const int& i, FieldWriter& out) { out.write(i); }));
    delegates.push_back(std::make_unique<DelimitedFileWriter<int>>(
        DelimitedWriterOptions{.path = dir.file(tag + "-b.csv"), .name = "b"},
        [](const int& i, FieldWriter& out) { out.write(i * i); }));
    auto step = StepBuilder("write", repository_)
                    .chunk<int>(4)
                    .reader(std::move(reader))
                    .writer(std::make_unique<CompositeItemWriter<int>>(std::move(delegates)))
                    .build();
    return JobBuilder("compositeWriter" + tag, repository_).start(std::move(step)).build();
  };
  auto clean = make_job("clean", -1);
  ASSERT_THAT(run(*clean), HasStatus(BatchStatus::COMPLETED));
  auto failing = make_job("restart", 9);
  ASSERT_THAT(run(*failing), HasStatus(BatchStatus::FAILED));
  EXPECT_EQ(testing::read_file(dir.file("restart-a.csv")), "n\n0\n1\n2\n3\n4\n5\n6\n7\n");
  auto resumed = make_job("restart", -1);
  ASSERT_THAT(run(*resumed), HasStatus(BatchStatus::COMPLETED));
  EXPECT_EQ(testing::read_file(dir.file("restart-a.csv")), testing::read_file(dir.file("clean-a.csv")));
  EXPECT_EQ(testing::read_file(dir.file("restart-b.csv")), testing::read_file(dir.file("clean-b.csv")));
  EXPECT_EQ(testing::read_file(dir.file("clean-b.csv")), "0\n1\n4\n9\n16\n25\n36\n49\n64\n81\n100\n");
}

}  // namespace
}  // namespace cppbatch
