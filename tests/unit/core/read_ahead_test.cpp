// Read-ahead chunk steps (StepBuilder(...).chunk(n).read_ahead()): a second
// thread reads chunk k+1 while chunk k is written. The step must behave as
// one without it — same chunks, counters and failures — and a restart must
// resume from the position of the last committed chunk, never from the
// reader's live position a chunk further on. On both local repositories.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <numeric>
#include <stdexcept>
#include <thread>
#include <vector>

#include "cppbatch/core/job_builder.hpp"
#include "cppbatch/core/step_builder.hpp"
#include "cppbatch/testing/backend_job_test_fixture.hpp"
#include "cppbatch/testing/execution_matchers.hpp"
#include "cppbatch/testing/restartable_list_reader.hpp"
#include "cppbatch/testing/recording_item_writer.hpp"

namespace cppbatch {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::HasCounts;
using testing::HasExitDescription;
using testing::HasStatus;
using testing::HasStepExecution;
using testing::RecordingItemWriter;
using testing::RestartableListReader;

std::vector<int> numbers(int n) {
  std::vector<int> out(static_cast<size_t>(n));
  std::iota(out.begin(), out.end(), 0);
  return out;
}

// Counts reads and notes whether any ran on the test's own thread.
class ReadCounter final : public ItemReadListener<int> {
 public:
  void after_read(const int&) override {
    if (std::this_thread::get_id() == test_thread_) on_test_thread_ = true;
    reads_.fetch_add(1);
  }
  int reads() const { return reads_.load(); }
  bool read_on_test_thread() const { return on_test_thread_.load(); }
  // Waits (at most 30 s) until `n` items were read; false if they were not.
  bool await_reads(int n) const {
    const auto limit = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (reads() < n) {
      if (std::chrono::steady_clock::now() > limit) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return true;
  }

 private:
  std::thread::id test_thread_ = std::this_thread::get_id();
  std::atomic<int> reads_{0};
  std::atomic<bool> on_test_thread_{false};
};

class ReadAheadTest : public testing::BackendJobTestFixture {
 protected:

  // A one-step job (step "copy"): `reader` → `writer`, chunk `chunk`, read ahead.
  template <class W>
  std::unique_ptr<Job> job(std::unique_ptr<RestartableListReader<int>> reader, size_t chunk, W writer,
                           const std::string& name = "readAheadJob") {
    auto step = StepBuilder("copy", *repository_)
                    .chunk<int>(chunk)
                    .reader(std::move(reader))
                    .writer(std::move(writer))
                    .listener(counter_)
                    .read_ahead()
                    .build();
    return JobBuilder(name, *repository_).start(std::move(step)).build();
  }

  // What the repository stored for the step of `execution`.
  ExecutionContext stored_context(const JobExecution& execution) {
    auto loaded = repository_->job_execution(execution.id);
    EXPECT_TRUE(loaded.ok());
    if (!loaded.ok() || (*loaded)->step_executions.empty()) return {};
    return (*loaded)->step_executions.at(0)->execution_context;
  }

  std::shared_ptr<ReadCounter> counter_ = std::make_shared<ReadCounter>();
  std::vector<std::vector<int>> written_;
};

INSTANTIATE_TEST_SUITE_P(Repositories, ReadAheadTest, testing::kEmbeddedBackends, testing::backend_test_name);

TEST_P(ReadAheadTest, ChunksAndCountersAreThoseOfAStepWithoutReadAhead) {
  struct Case {
    int items;
    size_t chunk;
    int64_t commits;
  };
  for (const Case c : {Case{0, 5, 1}, Case{4, 5, 1}, Case{10, 5, 3}, Case{12, 5, 3}, Case{100, 7, 15}}) {
    SCOPED_TRACE(::testing::Message() << c.items << " items, chunk " << c.chunk);
    written_.clear();
    auto copy = job(std::make_unique<RestartableListReader<int>>(numbers(c.items)), c.chunk,
                    std::make_unique<RecordingItemWriter<int>>(written_), "copy" + std::to_string(c.items));
    JobExecution& execution = run(*copy);
    ASSERT_THAT(execution, HasStatus(BatchStatus::COMPLETED));
    EXPECT_THAT(execution, HasStepExecution("copy", HasCounts({.read = c.items, .write = c.items,
                                                               .commit = c.commits, .rollback = 0})));
    EXPECT_EQ(RecordingItemWriter<int>::flatten(written_), numbers(c.items));
    for (size_t i = 0; i + 1 < written_.size(); ++i) EXPECT_EQ(written_[i].size(), c.chunk);
  }
  EXPECT_EQ(counter_->reads(), 0 + 4 + 10 + 12 + 100);
  EXPECT_FALSE(counter_->read_on_test_thread()) << "the reader runs on the read-ahead thread";
}

// The writer fails on chunk 3 only once chunk 4 has been read ahead: the
// checkpoint must still be chunk 2's (6 items), and the restart must write
// each item exactly once.
TEST_P(ReadAheadTest, CheckpointIsTheLastCommittedChunkNotTheReadersPosition) {
  auto reader = std::make_unique<RestartableListReader<int>>(numbers(20));
  const std::string key = reader->key();
  bool fail = true;
  int writes = 0;
  auto copy = job(std::move(reader), 3, [&](const Chunk<int>& chunk) {
    if (fail && ++writes == 3) {
      EXPECT_TRUE(counter_->await_reads(12)) << "chunk 4 was not read while chunk 3 was written";
      throw std::runtime_error("database went away");
    }
    written_.push_back(chunk.items());
  });

  JobExecution& failed = run(*copy);
  ASSERT_THAT(failed, HasStatus(BatchStatus::FAILED));
  EXPECT_THAT(failed, HasStepExecution("copy", HasCounts({.read = 6, .write = 6, .commit = 2, .rollback = 1})));
  EXPECT_EQ(stored_context(failed).get_long(key), 6) << "the reader had read 12 items; 6 were committed";

  fail = false;
  JobExecution& restarted = run(*copy);
  ASSERT_THAT(restarted, HasStatus(BatchStatus::COMPLETED));
  EXPECT_THAT(restarted, HasStepExecution("copy", HasCounts({.read = 14, .write = 14, .commit = 5, .rollback = 0})));
  EXPECT_EQ(RecordingItemWriter<int>::flatten(written_), numbers(20)) << "no item lost, none written twice";
  EXPECT_EQ(stored_context(restarted).get_long(key), 20);
}

TEST_P(ReadAheadTest, ReaderErrorFailsTheChunkItBelongsTo) {
  auto reader = std::make_unique<RestartableListReader<int>>(numbers(10));
  reader->fail_at(7, "bad record 7");
  auto copy = job(std::move(reader), 3, std::make_unique<RecordingItemWriter<int>>(written_));

  JobExecution& failed = run(*copy);
  ASSERT_THAT(failed, HasStatus(BatchStatus::FAILED));
  EXPECT_THAT(failed, HasStepExecution("copy", HasCounts({.read = 6, .write = 6, .commit = 2, .rollback = 1})));
  EXPECT_THAT(failed, HasStepExecution("copy", HasExitDescription(HasSubstr("bad record 7"))));
  EXPECT_THAT(written_, ElementsAre(ElementsAre(0, 1, 2), ElementsAre(3, 4, 5)));

  JobExecution& restarted = run(*copy);
  ASSERT_THAT(restarted, HasStatus(BatchStatus::COMPLETED));
  EXPECT_THAT(restarted, HasStepExecution("copy", HasCounts({.read = 4, .write = 4, .commit = 2, .rollback = 0})));
  EXPECT_EQ(RecordingItemWriter<int>::flatten(written_), numbers(10));
}

// A stop ends the step at the chunk boundary although the next chunk was
// already read; the restart reads it again.
TEST_P(ReadAheadTest, StopEndsAtTheChunkBoundaryAndRestartRereadsTheChunkReadAhead) {
  bool stop = true;
  int writes = 0;
  auto copy = job(std::make_unique<RestartableListReader<int>>(numbers(10)), 2, [&](const Chunk<int>& chunk) {
    written_.push_back(chunk.items());
    if (stop && ++writes == 2) {
      ASSERT_TRUE(counter_->await_reads(6));
      auto running = repository_->running_job_executions("readAheadJob");
      ASSERT_TRUE(running.ok());
      ASSERT_EQ(running->size(), 1u);
      JobExecution& execution = *running->front();
      execution.status = BatchStatus::STOPPING;
      ASSERT_TRUE(repository_->update(execution).ok());
    }
  });

  JobExecution& stopped = run(*copy);
  ASSERT_THAT(stopped, HasStatus(BatchStatus::STOPPED));
  EXPECT_THAT(stopped, HasStepExecution("copy", HasCounts({.read = 4, .write = 4, .commit = 2, .rollback = 0})));

  stop = false;
  JobExecution& restarted = run(*copy);
  ASSERT_THAT(restarted, HasStatus(BatchStatus::COMPLETED));
  EXPECT_THAT(restarted, HasStepExecution("copy", HasCounts({.read = 6, .write = 6, .commit = 4, .rollback = 0})));
  EXPECT_EQ(RecordingItemWriter<int>::flatten(written_), numbers(10));
}

// A reader that never ends: the step stops, and the read-ahead thread with it.
TEST_P(ReadAheadTest, EndlessReaderStopsWithTheStep) {
  int next = 0;
  int writes = 0;
  auto step = StepBuilder("copy", *repository_)
                  .chunk<int>(4)
                  .reader([&]() -> std::optional<int> { return next++; })
                  .writer([&](const Chunk<int>&) {
                    if (++writes == 3) throw std::runtime_error("disk full");
                  })
                  .read_ahead()
                  .build();
  auto endless = JobBuilder("endless", *repository_).start(std::move(step)).build();
  JobExecution& failed = run(*endless);
  EXPECT_THAT(failed, HasStatus(BatchStatus::FAILED));
  EXPECT_THAT(failed, HasStepExecution("copy", HasCounts({.read = 8, .write = 8, .commit = 2, .rollback = 1})));
  EXPECT_LE(next, 4 * 4) << "at most one chunk is read ahead of the one being written";
}

TEST_P(ReadAheadTest, FaultTolerantStepRefusesReadAhead) {
  try {
    StepBuilder("copy", *repository_)
        .chunk<int>(2)
        .reader(std::make_unique<RestartableListReader<int>>(numbers(3)))
        .writer(std::make_unique<RecordingItemWriter<int>>(written_))
        .read_ahead()
        .fault_tolerant()
        .skip<std::runtime_error>()
        .build();
    FAIL() << "built a fault-tolerant step with read-ahead";
  } catch (const std::invalid_argument& e) {
    EXPECT_THAT(e.what(), HasSubstr("read-ahead is not available on a fault-tolerant step"));
  }
}

}  // namespace
}  // namespace cppbatch
