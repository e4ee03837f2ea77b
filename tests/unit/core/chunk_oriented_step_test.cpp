// ChunkOrientedStep: read → process → write in chunks, one transaction per
// chunk, with the counters Spring Batch reports (the chunk that meets end
// of input commits too), stream callbacks inside each chunk, and a
// rollback that fails the step on any exception.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

#include "cppbatch/core/job_builder.hpp"
#include "cppbatch/core/step_builder.hpp"
#include "cppbatch/testing/event_log.hpp"
#include "cppbatch/testing/execution_matchers.hpp"
#include "cppbatch/testing/job_test_fixture.hpp"
#include "cppbatch/testing/restartable_list_reader.hpp"
#include "cppbatch/testing/recording_item_writer.hpp"
#include "cppbatch/testing/recording_item_stream.hpp"
#include "cppbatch/testing/recording_listener.hpp"

namespace cppbatch {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::EventLog;
using testing::HasCounts;
using testing::HasExitCode;
using testing::HasExitDescription;
using testing::HasStatus;
using testing::RestartableListReader;
using testing::RecordingItemWriter;

std::vector<int> numbers(int n) {
  std::vector<int> out(static_cast<size_t>(n));
  std::iota(out.begin(), out.end(), 0);
  return out;
}

class ChunkStepTest : public testing::JobTestFixture {
 protected:
  // A one-step job: RestartableListReader over `items` → (identity) → RecordingItemWriter
  // into written_.
  std::unique_ptr<Job> list_job(std::vector<int> items, size_t chunk_size,
                                RestartableListReader<int>** reader_out = nullptr) {
    auto reader = std::make_unique<RestartableListReader<int>>(std::move(items));
    if (reader_out) *reader_out = reader.get();
    auto step = StepBuilder("copy", repository_)
                    .chunk<int>(chunk_size)
                    .reader(std::move(reader))
                    .writer(std::make_unique<RecordingItemWriter<int>>(written_))
                    .build();
    return JobBuilder("chunkJob", repository_).start(std::move(step)).build();
  }

  std::vector<std::vector<int>> written_;
};

struct CountCase {
  int items;
  size_t chunk_size;
  int64_t commits;
};

class ChunkCountersTest : public ChunkStepTest, public ::testing::WithParamInterface<CountCase> {};

// Spring Batch: commits = floor(items / chunk) + 1 — the chunk that meets
// the end of input commits even when it holds no item.
TEST_P(ChunkCountersTest, CountsAsSpringBatchReportsThem) {
  const CountCase& c = GetParam();
  auto job = list_job(numbers(c.items), c.chunk_size);
  JobExecution& execution = run(*job);
  ASSERT_THAT(execution, HasStatus(BatchStatus::COMPLETED));
  EXPECT_THAT(*execution.step_executions.at(0),
              HasCounts({.read = c.items, .write = c.items, .commit = c.commits, .rollback = 0, .filter = 0}));
  EXPECT_EQ(RecordingItemWriter<int>::flatten(written_), numbers(c.items));
}

INSTANTIATE_TEST_SUITE_P(Spring, ChunkCountersTest,
                         ::testing::Values(CountCase{10, 5, 3}, CountCase{12, 5, 3}, CountCase{0, 5, 1},
                                           CountCase{1, 5, 1}, CountCase{4, 5, 1}, CountCase{5, 5, 2},
                                           CountCase{7, 1, 8}, CountCase{9, 3, 4}, CountCase{100, 10, 11}),
                         [](const auto& param_info) {
                           return std::to_string(param_info.param.items) + "_items_chunk_" +
                                  std::to_string(param_info.param.chunk_size);
                         });

TEST_F(ChunkStepTest, WriterReceivesWholeChunks) {
  auto job = list_job(numbers(12), 5);
  run(*job);
  EXPECT_THAT(written_, ElementsAre(ElementsAre(0, 1, 2, 3, 4), ElementsAre(5, 6, 7, 8, 9), ElementsAre(10, 11)));
}

TEST_F(ChunkStepTest, EmptyFinalChunkIsNotWritten) {
  auto job = list_job(numbers(10), 5);
  run(*job);
  EXPECT_EQ(written_.size(), 2u) << "write() is not called for the empty chunk that meets end of input";
}

TEST_F(ChunkStepTest, ProcessorReturningEmptyFiltersTheItem) {
  auto step = StepBuilder("evens", repository_)
                  .chunk<int>(4)
                  .reader(std::make_unique<RestartableListReader<int>>(numbers(10)))
                  .processor([](const int& v) -> std::optional<int> {
                    if (v % 2 != 0) return std::nullopt;
                    return v * 10;
                  })
                  .writer(std::make_unique<RecordingItemWriter<int>>(written_))
                  .build();
  auto job = JobBuilder("filterJob", repository_).start(std::move(step)).build();
  JobExecution& execution = run(*job);
  ASSERT_THAT(execution, HasStatus(BatchStatus::COMPLETED));
  EXPECT_THAT(*execution.step_executions.at(0), HasCounts({.read = 10, .write = 5, .commit = 3, .filter = 5}));
  // Survivors of each chunk are written together: [0..3] → 0,20; [4..7] → 40,60; [8,9] → 80.
  EXPECT_THAT(written_, ElementsAre(ElementsAre(0, 20), ElementsAre(40, 60), ElementsAre(80)));
}

TEST_F(ChunkStepTest, ProcessorMayConvertTheItemType) {
  std::vector<std::vector<std::string>> written;
  auto step = StepBuilder("toText", repository_)
                  .chunk<int, std::string>(2)
                  .reader(std::make_unique<RestartableListReader<int>>(numbers(3)))
                  .processor([](const int& v) -> std::optional<std::string> { return "#" + std::to_string(v); })
                  .writer(std::make_unique<RecordingItemWriter<std::string>>(written))
                  .build();
  auto job = JobBuilder("convertJob", repository_).start(std::move(step)).build();
  JobExecution& execution = run(*job);
  ASSERT_THAT(execution, HasStatus(BatchStatus::COMPLETED));
  EXPECT_THAT(written, ElementsAre(ElementsAre("#0", "#1"), ElementsAre("#2")));
}

TEST_F(ChunkStepTest, LambdaReaderAndWriter) {
  int next = 0;
  int64_t sum = 0;
  auto step = StepBuilder("lambdas", repository_)
                  .chunk<int>(3)
                  .reader([&]() -> std::optional<int> {
                    if (next >= 7) return std::nullopt;
                    return next++;
                  })
                  .writer([&](const Chunk<int>& chunk) {
                    for (int v : chunk) sum += v;
                  })
                  .build();
  auto job = JobBuilder("lambdaJob", repository_).start(std::move(step)).build();
  JobExecution& execution = run(*job);
  EXPECT_THAT(*execution.step_executions.at(0), HasCounts(7, 7, 3));
  EXPECT_EQ(sum, 21);
}

// The stream contract: open once before the first chunk, then update once
// right away (Spring's TaskletStep saves where the streams start, so a crash
// before the first commit restarts from a known position), update inside
// every chunk (after the write, before the commit), close once at the end;
// the context saved with each chunk is what the repository holds after it.
TEST_F(ChunkStepTest, StreamOpenUpdateCloseOrderAndContextSavedPerChunk) {
  EventLog log;
  auto listener = std::make_shared<testing::RecordingListener>(log);
  auto stream = std::make_shared<testing::RecordingItemStream>(log, "s");

  // After each commit, record what the repository holds for this step.
  struct StoredContextProbe : ChunkListener {
    StoredContextProbe(JobRepository& r, EventLog& l) : repository(r), events(l) {}
    void after_chunk(ChunkContext& context) override {
      auto job = repository.job_execution(context.step_execution().job_execution_id);
      if (!job.ok()) return events.add("stored:error");
      const StepExecution* step = job.value()->find_step_execution(context.step_execution().step_name);
      auto updates = step ? step->execution_context.get_long("s.updates") : std::nullopt;
      events.add("stored:" + (updates ? std::to_string(*updates) : std::string("none")) +
                 ":commits=" + std::to_string(step ? step->commit_count : -1));
    }
    JobRepository& repository;
    EventLog& events;
  };
  auto probe = std::make_shared<StoredContextProbe>(repository_, log);

  auto step = StepBuilder("copy", repository_)
                  .chunk<int>(2)
                  .reader(std::make_unique<RestartableListReader<int>>(numbers(4)))
                  .writer([&](const Chunk<int>& chunk) { log.add("write:" + std::to_string(chunk.size())); })
                  .stream(stream)
                  .listener(listener)
                  .listener(probe)
                  .build();
  auto job = JobBuilder("streamJob", repository_).start(std::move(step)).build();
  JobExecution& execution = run(*job);
  ASSERT_THAT(execution, HasStatus(BatchStatus::COMPLETED));
  EXPECT_THAT(log.events(),
              ElementsAre("before_step:copy", "open:s:none", "update:s:1",                     //
                          "before_chunk", "write:2", "update:s:2", "after_chunk", "stored:2:commits=1",  //
                          "before_chunk", "write:2", "update:s:3", "after_chunk", "stored:3:commits=2",  //
                          "before_chunk", "update:s:4", "after_chunk", "stored:4:commits=3",             //
                          "after_step:copy:COMPLETED", "close:s"));
}

TEST_F(ChunkStepTest, ReaderIsOpenedUpdatedPerChunkAndClosed) {
  RestartableListReader<int>* reader = nullptr;
  auto job = list_job(numbers(10), 5, &reader);
  JobExecution& execution = run(*job);
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(reader->open_count(), 1);
  EXPECT_EQ(reader->update_count(), 4) << "once after open, then once per chunk";
  EXPECT_EQ(reader->close_count(), 1);
  EXPECT_EQ(execution.step_executions.at(0)->execution_context.get_long(reader->key()), 10);
  auto saved = stored(execution.id);
  EXPECT_EQ(saved->step_executions.at(0)->execution_context.get_long(reader->key()), 10);
}

TEST_F(ChunkStepTest, ReaderExceptionFailsStepAndJob) {
  RestartableListReader<int>* reader = nullptr;
  auto job = list_job(numbers(10), 3, &reader);
  reader->fail_at(7, "corrupt record at line 8");
  JobExecution& execution = run(*job);

  EXPECT_THAT(execution, HasStatus(BatchStatus::FAILED));
  EXPECT_THAT(execution, HasExitCode("FAILED"));
  EXPECT_THAT(execution, HasExitDescription(HasSubstr("corrupt record at line 8")));
  const StepExecution& step = *execution.step_executions.at(0);
  EXPECT_THAT(step, HasStatus(BatchStatus::FAILED));
  EXPECT_THAT(step, HasExitCode("FAILED"));
  EXPECT_THAT(step, HasExitDescription(HasSubstr("corrupt record at line 8")));
  // Chunks [0,1,2] and [3,4,5] committed; the third rolled back at item 7.
  EXPECT_THAT(step, HasCounts({.read = 6, .write = 6, .commit = 2, .rollback = 1}));
  EXPECT_THAT(written_, ElementsAre(ElementsAre(0, 1, 2), ElementsAre(3, 4, 5)));
  // The checkpoint is the last committed chunk's, in memory and stored.
  EXPECT_EQ(step.execution_context.get_long(reader->key()), 6);
  auto saved = stored(execution.id);
  EXPECT_THAT(*saved, HasStatus(BatchStatus::FAILED));
  EXPECT_THAT(*saved->step_executions.at(0), HasCounts({.read = 6, .write = 6, .commit = 2, .rollback = 1}));
  EXPECT_EQ(saved->step_executions.at(0)->execution_context.get_long(reader->key()), 6);
  EXPECT_EQ(reader->close_count(), 1) << "streams are closed whatever the outcome";
}

TEST_F(ChunkStepTest, FailureInTheFirstChunkCommitsNothing) {
  RestartableListReader<int>* reader = nullptr;
  auto job = list_job(numbers(10), 5, &reader);
  reader->fail_at(0, "unreadable header");
  JobExecution& execution = run(*job);
  EXPECT_THAT(execution, HasStatus(BatchStatus::FAILED));
  EXPECT_THAT(*execution.step_executions.at(0), HasCounts({.read = 0, .write = 0, .commit = 0, .rollback = 1}));
  EXPECT_THAT(written_, IsEmpty());
}

TEST_F(ChunkStepTest, ProcessorExceptionRollsBackTheChunk) {
  auto step = StepBuilder("process", repository_)
                  .chunk<int>(3)
                  .reader(std::make_unique<RestartableListReader<int>>(numbers(9)))
                  .processor([](const int& v) -> std::optional<int> {
                    if (v == 4) throw std::invalid_argument("cannot price item 4");
                    return v;
                  })
                  .writer(std::make_unique<RecordingItemWriter<int>>(written_))
                  .build();
  auto job = JobBuilder("processJob", repository_).start(std::move(step)).build();
  JobExecution& execution = run(*job);
  EXPECT_THAT(execution, HasStatus(BatchStatus::FAILED));
  const StepExecution& failed = *execution.step_executions.at(0);
  EXPECT_THAT(failed, HasCounts({.read = 3, .write = 3, .commit = 1, .rollback = 1, .filter = 0}));
  EXPECT_THAT(failed, HasExitDescription(AllOf(HasSubstr("invalid_argument"), HasSubstr("cannot price item 4"))));
  EXPECT_THAT(written_, ElementsAre(ElementsAre(0, 1, 2)));
}

TEST_F(ChunkStepTest, WriterExceptionRollsBackTheChunk) {
  auto writer = std::make_unique<RecordingItemWriter<int>>(written_);
  writer->fail_on_call(2, "disk full");
  auto step = StepBuilder("write", repository_)
                  .chunk<int>(5)
                  .reader(std::make_unique<RestartableListReader<int>>(numbers(12)))
                  .writer(std::move(writer))
                  .build();
  auto job = JobBuilder("writeJob", repository_).start(std::move(step)).build();
  JobExecution& execution = run(*job);
  EXPECT_THAT(execution, HasStatus(BatchStatus::FAILED));
  EXPECT_THAT(*execution.step_executions.at(0), HasCounts({.read = 5, .write = 5, .commit = 1, .rollback = 1}));
  EXPECT_THAT(*execution.step_executions.at(0), HasExitDescription(HasSubstr("disk full")));
  EXPECT_EQ(written_.size(), 1u);
}

TEST_F(ChunkStepTest, ItemListenersSeeReadsThenProcessesThenOneWrite) {
  EventLog log;
  auto items = std::make_shared<testing::RecordingItemListener<int>>(log);
  auto step = StepBuilder("listen", repository_)
                  .chunk<int>(2)
                  .reader(std::make_unique<RestartableListReader<int>>(std::vector<int>{7, 8, 9}))
                  .processor([](const int& v) -> std::optional<int> {
                    if (v == 8) return std::nullopt;
                    return v;
                  })
                  .writer(std::make_unique<RecordingItemWriter<int>>(written_))
                  .listener(items)
                  .build();
  auto job = JobBuilder("itemJob", repository_).start(std::move(step)).build();
  run(*job);
  EXPECT_THAT(log.events(),
              ElementsAre("before_read", "after_read:7", "before_read", "after_read:8",  // chunk 1: full
                          "before_process:7", "after_process:7", "before_process:8", "after_process:8:filtered",
                          "before_write:1", "after_write:1",                     //
                          "before_read", "after_read:9", "before_read",          // chunk 2: end of input
                          "before_process:9", "after_process:9", "before_write:1", "after_write:1"));
}

TEST_F(ChunkStepTest, ErrorListenersAreCalled) {
  EventLog log;
  auto items = std::make_shared<testing::RecordingItemListener<int>>(log);
  auto chunks = std::make_shared<testing::RecordingListener>(log, "chunk");
  auto reader = std::make_unique<RestartableListReader<int>>(numbers(4));
  reader->fail_at(1, "bad");
  auto step = StepBuilder("errors", repository_)
                  .chunk<int>(5)
                  .reader(std::move(reader))
                  .writer(std::make_unique<RecordingItemWriter<int>>(written_))
                  .listener(items)
                  .listener(chunks)
                  .build();
  auto job = JobBuilder("errorJob", repository_).start(std::move(step)).build();
  run(*job);
  EXPECT_THAT(log.events(), ElementsAre("chunk:before_step:errors", "chunk:before_chunk", "before_read", "after_read:0",
                                        "before_read", "on_read_error:bad", "chunk:after_chunk_error:bad",
                                        "chunk:after_step:errors:FAILED"));
}

// A completion policy decides the chunk size; start() is called per chunk.
class AlternatingPolicy final : public CompletionPolicy {
 public:
  void start() override { size_ = size_ == 1 ? 2 : 1; }
  bool is_complete(size_t items_in_chunk) override { return items_in_chunk >= size_; }

 private:
  size_t size_ = 2;
};

TEST_F(ChunkStepTest, CustomCompletionPolicy) {
  auto step = StepBuilder("alternate", repository_)
                  .chunk<int>(std::make_unique<AlternatingPolicy>())
                  .reader(std::make_unique<RestartableListReader<int>>(numbers(6)))
                  .writer(std::make_unique<RecordingItemWriter<int>>(written_))
                  .build();
  auto job = JobBuilder("policyJob", repository_).start(std::move(step)).build();
  JobExecution& execution = run(*job);
  EXPECT_THAT(written_, ElementsAre(ElementsAre(0), ElementsAre(1, 2), ElementsAre(3), ElementsAre(4, 5)));
  EXPECT_THAT(*execution.step_executions.at(0), HasCounts(6, 6, 5));
}

TEST_F(ChunkStepTest, ChunkSizeZeroMeansOneItemPerChunk) {
  auto job = list_job(numbers(3), 0);
  JobExecution& execution = run(*job);
  EXPECT_THAT(*execution.step_executions.at(0), HasCounts(3, 3, 4));
  EXPECT_EQ(written_.size(), 3u);
}

TEST_F(ChunkStepTest, BuildRefusesIncompleteSteps) {
  EXPECT_THROW(StepBuilder("noReader", repository_)
                   .chunk<int>(5)
                   .writer(std::make_unique<RecordingItemWriter<int>>(written_))
                   .build(),
               std::invalid_argument);
  EXPECT_THROW(StepBuilder("noWriter", repository_)
                   .chunk<int>(5)
                   .reader(std::make_unique<RestartableListReader<int>>(numbers(1)))
                   .build(),
               std::invalid_argument);
  std::vector<std::vector<std::string>> text;
  EXPECT_THROW((StepBuilder("noProcessor", repository_)
                    .chunk<int, std::string>(5)
                    .reader(std::make_unique<RestartableListReader<int>>(numbers(1)))
                    .writer(std::make_unique<RecordingItemWriter<std::string>>(text))
                    .build()),
               std::invalid_argument);
}

}  // namespace
}  // namespace cppbatch
