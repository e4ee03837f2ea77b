// The fault-tolerant chunk step, scenario by scenario, with the counters
// Spring Batch 5 reports for the same scenario (its FaultTolerantStep-
// FactoryBean tests are the reference) and the output a transactional
// writer keeps. Every scenario runs on the in-memory and on the SQLite job
// repository. Faults are injected by item value, so they are deterministic.
//
// How the numbers come about (Spring's model, which the step follows):
// - every transaction that ends in an exception is one rollback; a chunk is
//   re-driven from the items it already read (the reader is not re-read) and
//   the processor is called again for every item still open;
// - a retried operation (an item's processing, a chunk's write) is attempted
//   up to retry_limit times, one transaction per attempt; the transaction
//   after the last failed attempt recovers: skip, scan or fail — so a
//   non-skippable error after retries costs one rollback more than attempts;
// - a chunk whose write failed is scanned: each item written in its own
//   transaction (a commit each); a bad item's transaction rolls back; when the
//   bad item is the chunk's last, one more (empty) transaction commits the
//   skip, as in Spring;
// - counts that belong to the chunk (reads, skips, filtered) are committed
//   with the chunk's next commit; a rolled-back transaction counts nothing but
//   its rollback (this project's rule; Spring applies a rolled-back
//   transaction's counts, which only differs when the step then fails).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "cppbatch/core/job_builder.hpp"
#include "cppbatch/core/job_launcher.hpp"
#include "cppbatch/core/step_builder.hpp"
#include "cppbatch/infrastructure/delimited_file_writer.hpp"
#include "cppbatch/testing/backend_job_test_fixture.hpp"
#include "cppbatch/testing/execution_matchers.hpp"
#include "cppbatch/testing/manual_clock.hpp"
#include "cppbatch/testing/restartable_list_reader.hpp"
#include "cppbatch/testing/transactional_list_writer.hpp"

namespace cppbatch {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::HasCounts;
using testing::HasExitDescription;
using testing::HasStatus;
using testing::RestartableListReader;
using testing::TransactionalListWriter;

struct SkippableError : std::runtime_error {
  using std::runtime_error::runtime_error;
};
struct TransientError : std::runtime_error {
  using std::runtime_error::runtime_error;
};
struct FatalError : std::runtime_error {
  using std::runtime_error::runtime_error;
};
struct IgnorableError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

std::vector<int> range(int from, int to) {
  std::vector<int> out;
  for (int i = from; i <= to; ++i) out.push_back(i);
  return out;
}

// Records skip-listener calls as "read:<message>", "process:<item>", "write:<item>".
class RecordingSkipListener final : public SkipListener<int, int> {
 public:
  void on_skip_in_read(const std::exception_ptr& error) override {
    calls.push_back("read:" + describe_exception(error));
  }
  void on_skip_in_process(const int& item, const std::exception_ptr&) override {
    calls.push_back("process:" + std::to_string(item));
  }
  void on_skip_in_write(const int& item, const std::exception_ptr&) override {
    calls.push_back("write:" + std::to_string(item));
  }
  std::vector<std::string> calls;
};

class CountingRetryListener final : public RetryListener {
 public:
  bool open(const RetryContext&) override {
    ++opens;
    return true;
  }
  void on_error(const RetryContext& context, const std::exception_ptr&) override {
    ++errors;
    last_retry_count = context.retry_count;
  }
  void close(const RetryContext&, const std::exception_ptr& error) override {
    ++closes;
    if (error) ++closed_with_error;
  }
  int opens = 0, errors = 0, closes = 0, closed_with_error = 0;
  int64_t last_retry_count = 0;
};

class FaultTolerantStepTest : public testing::BackendJobTestFixture {
 protected:
  void SetUp() override {
    BackendJobTestFixture::SetUp();
    reader_ = new RestartableListReader<int>(range(1, 5));
    writer_ = new TransactionalListWriter<int>(committed_);
    owned_reader_.reset(reader_);
    owned_writer_.reset(writer_);
  }

  // The step under test: reader_ → processor (counts calls, applies
  // process_fault_) → writer_, chunk size `chunk`, fault-tolerant.
  FaultTolerantStepBuilder<int, int> step(size_t chunk) {
    auto builder = StepBuilder("ft", *repository_)
        .chunk<int>(chunk)
        .reader(std::move(owned_reader_))
        .processor([this](const int& item) -> std::optional<int> {
          processed_.push_back(item);
          if (process_fault_) process_fault_(item);
          if (filter_ && filter_(item)) return std::nullopt;
          return item;
        })
        .writer(std::move(owned_writer_))
        .fault_tolerant();
    builder.skip_listener(skips_).retry_listener(retries_);
    return builder;
  }

  JobExecution& run(std::unique_ptr<Step> built, const std::string& job_name = "ftJob") {
    job_ = JobBuilder(job_name, *repository_).start(std::move(built)).build();
    return launch();
  }
  // Runs job_ again: a restart when the last run failed.
  JobExecution& launch() { return BackendJobTestFixture::run(*job_); }
  static const StepExecution& step_of(const JobExecution& execution) { return *execution.step_executions.at(0); }
  // What the repository stored for the step (what a JobExplorer sees).
  std::unique_ptr<JobExecution> stored(const JobExecution& execution) {
    auto loaded = repository_->job_execution(execution.id);
    EXPECT_TRUE(loaded.ok());
    return loaded.ok() ? std::move(loaded).value() : std::make_unique<JobExecution>();
  }

  std::unique_ptr<Job> job_;

  RestartableListReader<int>* reader_ = nullptr;
  TransactionalListWriter<int>* writer_ = nullptr;
  std::unique_ptr<RestartableListReader<int>> owned_reader_;
  std::unique_ptr<TransactionalListWriter<int>> owned_writer_;
  std::vector<int> committed_;
  std::vector<int> processed_;
  std::function<void(int)> process_fault_;
  std::function<bool(int)> filter_;
  std::shared_ptr<RecordingSkipListener> skips_ = std::make_shared<RecordingSkipListener>();
  std::shared_ptr<CountingRetryListener> retries_ = std::make_shared<CountingRetryListener>();
};

INSTANTIATE_TEST_SUITE_P(Repositories, FaultTolerantStepTest, testing::kEmbeddedBackends,
                         testing::backend_test_name);

// Items 1..5, chunk 2: chunks [1,2] [3,4] [5]; 3 commits when nothing fails.

TEST_P(FaultTolerantStepTest, NoFaultCountsAsThePlainStep) {
  JobExecution& execution = run(step(2).skip<SkippableError>().build());
  ASSERT_THAT(execution, HasStatus(BatchStatus::COMPLETED));
  EXPECT_THAT(step_of(execution), HasCounts({.read = 5, .write = 5, .commit = 3, .rollback = 0, .filter = 0,
                                             .read_skip = 0, .process_skip = 0, .write_skip = 0}));
  EXPECT_EQ(committed_, range(1, 5));
  EXPECT_EQ(writer_->calls(), 3u);
}

// Read of 2 fails: skipped, reading goes on ([1,3] [4,5] []), no rollback.
// Spring testReadSkip: read 4, read skip 1, rollback 0.
TEST_P(FaultTolerantStepTest, ReadSkip) {
  reader_->fault([](const int& item, size_t) {
    if (item == 2) throw SkippableError("unreadable 2");
  });
  JobExecution& execution = run(step(2).skip<SkippableError>().build());
  ASSERT_THAT(execution, HasStatus(BatchStatus::COMPLETED));
  EXPECT_THAT(step_of(execution), HasCounts({.read = 4, .write = 4, .commit = 3, .rollback = 0, .filter = 0,
                                             .read_skip = 1, .process_skip = 0, .write_skip = 0}));
  EXPECT_EQ(committed_, (std::vector<int>{1, 3, 4, 5}));
  EXPECT_THAT(skips_->calls, ElementsAre("read:unreadable 2"));
  EXPECT_THAT(*stored(execution)->step_executions.at(0), HasCounts({.read = 4, .write = 4, .read_skip = 1}));
}

// Spring caps the read skips of one chunk at max(chunk size, 100)
// (FaultTolerantStepBuilder sets maxSkipsOnRead so); the chunk then ends
// early. Chunk 200, the first 150 reads fail: one chunk holds them all.
TEST_P(FaultTolerantStepTest, ReadSkipsPerChunkAreCappedAtTheChunkSizeWhenAbove100) {
  owned_reader_ = std::make_unique<RestartableListReader<int>>(range(1, 160));
  reader_ = owned_reader_.get();
  reader_->fault([](const int& item, size_t) {
    if (item <= 150) throw SkippableError("unreadable " + std::to_string(item));
  });
  JobExecution& execution = run(step(200).skip<SkippableError>().skip_limit(1000).build());
  ASSERT_THAT(execution, HasStatus(BatchStatus::COMPLETED));
  EXPECT_THAT(step_of(execution), HasCounts({.read = 10, .write = 10, .commit = 1, .read_skip = 150}));
}

// Below 100 the cap is 100: chunk 5, 120 failing reads: the first chunk
// ends after 100 skips without an item.
TEST_P(FaultTolerantStepTest, ReadSkipsPerChunkAreCappedAt100ForSmallChunks) {
  owned_reader_ = std::make_unique<RestartableListReader<int>>(range(1, 125));
  reader_ = owned_reader_.get();
  reader_->fault([](const int& item, size_t) {
    if (item <= 120) throw SkippableError("unreadable " + std::to_string(item));
  });
  JobExecution& execution = run(step(5).skip<SkippableError>().skip_limit(1000).build());
  ASSERT_THAT(execution, HasStatus(BatchStatus::COMPLETED));
  // [] after 100 skips, [121..125] after 20 more, then the end.
  EXPECT_THAT(step_of(execution), HasCounts({.read = 5, .write = 5, .commit = 3, .read_skip = 120}));
  EXPECT_EQ(committed_, range(121, 125));
}

// Processing 4 fails: [3,4] rolls back (1), is processed again from the
// cached items, 4 is skipped without calling the processor; [3] commits.
// Spring testProcessSkip: process skip 1, rollback 1.
TEST_P(FaultTolerantStepTest, ProcessSkip) {
  process_fault_ = [](int item) {
    if (item == 4) throw SkippableError("cannot process 4");
  };
  JobExecution& execution = run(step(2).skip<SkippableError>().build());
  ASSERT_THAT(execution, HasStatus(BatchStatus::COMPLETED));
  EXPECT_THAT(step_of(execution), HasCounts({.read = 5, .write = 4, .commit = 3, .rollback = 1, .filter = 0,
                                             .read_skip = 0, .process_skip = 1, .write_skip = 0}));
  EXPECT_EQ(committed_, (std::vector<int>{1, 2, 3, 5}));
  EXPECT_EQ(processed_, (std::vector<int>{1, 2, 3, 4, 3, 5})) << "the reader is not re-read; 4 is not processed again";
  EXPECT_EQ(reader_->position(), 5u);
  EXPECT_THAT(skips_->calls, ElementsAre("process:4"));
}

// Writing [3,4] fails: rollback (1); the scan writes [3] (commit), [4] fails
// (rollback 2, skipped), an empty transaction commits the skip (4 was the
// chunk's last item), then [5]. Spring testWriteSkip: write skip 1, rollback 2.
TEST_P(FaultTolerantStepTest, WriteSkipItemByItem) {
  writer_->fault([](const int& item, size_t) {
    if (item == 4) throw SkippableError("cannot write 4");
  });
  JobExecution& execution = run(step(2).skip<SkippableError>().build());
  ASSERT_THAT(execution, HasStatus(BatchStatus::COMPLETED));
  EXPECT_THAT(step_of(execution), HasCounts({.read = 5, .write = 4, .commit = 4, .rollback = 2, .filter = 0,
                                             .read_skip = 0, .process_skip = 0, .write_skip = 1}));
  EXPECT_EQ(committed_, (std::vector<int>{1, 2, 3, 5}));
  EXPECT_THAT(writer_->attempts(), ElementsAre(ElementsAre(1, 2), ElementsAre(3, 4), ElementsAre(3), ElementsAre(4),
                                               ElementsAre(5)));
  EXPECT_EQ(processed_, (std::vector<int>{1, 2, 3, 4, 3, 4, 5})) << "the scan processes each item once more";
  EXPECT_EQ(writer_->discards(), 2u) << "the engine told the writer about each rollback";
  EXPECT_THAT(skips_->calls, ElementsAre("write:4"));
}

// Chunk of 8 with 5 bad, bisect: [0..7] fails; [0..3] ok; [4..7] fails;
// [4,5] fails; [4] ok; [5] fails → skipped; [6,7] ok; then the empty end
// chunk. 7 writes, 4 rollbacks, 4 commits (3 in the chunk + end).
TEST_P(FaultTolerantStepTest, WriteSkipBisect) {
  owned_reader_ = std::make_unique<RestartableListReader<int>>(range(0, 7));
  writer_->fault([](const int& item, size_t) {
    if (item == 5) throw SkippableError("cannot write 5");
  });
  JobExecution& execution = run(step(8).skip<SkippableError>().scan(ScanMode::BISECT).build());
  ASSERT_THAT(execution, HasStatus(BatchStatus::COMPLETED));
  EXPECT_THAT(step_of(execution), HasCounts({.read = 8, .write = 7, .commit = 4, .rollback = 4, .filter = 0,
                                             .read_skip = 0, .process_skip = 0, .write_skip = 1}));
  EXPECT_EQ(committed_, (std::vector<int>{0, 1, 2, 3, 4, 6, 7}));
  EXPECT_THAT(writer_->attempts(),
              ElementsAre(range(0, 7), range(0, 3), range(4, 7), range(4, 5), range(4, 4), range(5, 5), range(6, 7)));
  EXPECT_THAT(skips_->calls, ElementsAre("write:5"));
}

struct ScanCase {
  ScanMode mode;
  int64_t writes, commits, rollbacks;
};

// One bad item (37) in a chunk of 64: item by item = 1 + 64 writes (each
// good item its own commit; the bad one its own rollback); bisect = 13
// writes (about 2·log2 64): whole, 32 ok, 32 bad, 16 bad, 8 bad, 4 ok, 4 bad,
// 2 bad, 1 ok, 1 bad (skipped), 2 ok, 8 ok, 16 ok. Commits include the
// empty end-of-input chunk's.
TEST_P(FaultTolerantStepTest, BisectNeedsLogarithmicTransactions) {
  for (ScanCase c : {ScanCase{ScanMode::ITEM_BY_ITEM, 65, 64, 2}, ScanCase{ScanMode::BISECT, 13, 7, 7}}) {
    SCOPED_TRACE(c.mode == ScanMode::BISECT ? "bisect" : "item by item");
    committed_.clear();
    auto writer = std::make_unique<TransactionalListWriter<int>>(committed_);
    TransactionalListWriter<int>& w = *writer;
    w.fault([](const int& item, size_t) {
      if (item == 37) throw SkippableError("cannot write 37");
    });
    auto built = StepBuilder("scan", *repository_)
                     .chunk<int>(64)
                     .reader(std::make_unique<RestartableListReader<int>>(range(0, 63)))
                     .writer(std::move(writer))
                     .fault_tolerant()
                     .skip<SkippableError>()
                     .scan(c.mode)
                     .build();
    JobExecution& execution = run(std::move(built), c.mode == ScanMode::BISECT ? "bisectJob" : "itemByItemJob");
    ASSERT_THAT(execution, HasStatus(BatchStatus::COMPLETED));
    EXPECT_EQ(static_cast<int64_t>(w.calls()), c.writes);
    EXPECT_THAT(step_of(execution), HasCounts({.read = 64, .write = 63, .commit = c.commits, .rollback = c.rollbacks,
                                               .write_skip = 1}));
    std::vector<int> expected = range(0, 63);
    expected.erase(expected.begin() + 37);
    EXPECT_EQ(committed_, expected);
  }
}

// Items 1..8, chunk 4, writes of 2 and 3 fail. Item by item: [1..4] rolls
// back; [1] commits; [2] and [3] roll back and are skipped; [4] commits and
// carries both skips; [5..8]; end. Both bad items are found and each skipped
// once.
TEST_P(FaultTolerantStepTest, TwoConsecutiveBadItemsItemByItem) {
  owned_reader_ = std::make_unique<RestartableListReader<int>>(range(1, 8));
  writer_->fault([](const int& item, size_t) {
    if (item == 2 || item == 3) throw SkippableError("cannot write " + std::to_string(item));
  });
  JobExecution& execution = run(step(4).skip<SkippableError>().build());
  ASSERT_THAT(execution, HasStatus(BatchStatus::COMPLETED));
  EXPECT_THAT(step_of(execution), HasCounts({.read = 8, .write = 6, .commit = 4, .rollback = 3, .filter = 0,
                                             .read_skip = 0, .process_skip = 0, .write_skip = 2}));
  EXPECT_EQ(committed_, (std::vector<int>{1, 4, 5, 6, 7, 8}));
  EXPECT_THAT(skips_->calls, ElementsAre("write:2", "write:3"));
}

// Same with bisect: [1..4] fails; [1,2] fails; [1] ok; [2] skipped; [3,4]
// fails; [3] skipped; [4] ok; [5..8]; end: 5 rollbacks, 4 commits.
TEST_P(FaultTolerantStepTest, TwoConsecutiveBadItemsBisect) {
  owned_reader_ = std::make_unique<RestartableListReader<int>>(range(1, 8));
  writer_->fault([](const int& item, size_t) {
    if (item == 2 || item == 3) throw SkippableError("cannot write " + std::to_string(item));
  });
  JobExecution& execution = run(step(4).skip<SkippableError>().scan(ScanMode::BISECT).build());
  ASSERT_THAT(execution, HasStatus(BatchStatus::COMPLETED));
  EXPECT_THAT(step_of(execution), HasCounts({.read = 8, .write = 6, .commit = 4, .rollback = 5, .write_skip = 2}));
  EXPECT_EQ(committed_, (std::vector<int>{1, 4, 5, 6, 7, 8}));
  EXPECT_THAT(skips_->calls, ElementsAre("write:2", "write:3"));
}

// The last two items of a chunk are bad: after the scan one more (empty)
// transaction commits the skips, as Spring does.
TEST_P(FaultTolerantStepTest, BadItemsAtTheEndOfAChunk) {
  owned_reader_ = std::make_unique<RestartableListReader<int>>(range(1, 4));
  writer_->fault([](const int& item, size_t) {
    if (item >= 3) throw SkippableError("cannot write " + std::to_string(item));
  });
  JobExecution& execution = run(step(4).skip<SkippableError>().build());
  ASSERT_THAT(execution, HasStatus(BatchStatus::COMPLETED));
  // [1..4] rb; [1] c; [2] c; [3] rb; [4] rb; empty c; end chunk c.
  EXPECT_THAT(step_of(execution), HasCounts({.read = 4, .write = 2, .commit = 4, .rollback = 3, .write_skip = 2}));
  EXPECT_EQ(committed_, (std::vector<int>{1, 2}));
}

// Writing [3,4] fails twice with a retryable error, then succeeds: two
// rollbacks, three attempts, two back-offs (recorded, not slept).
TEST_P(FaultTolerantStepTest, RetryThenSuccess) {
  writer_->fault([](const int& item, size_t call) {
    if (item == 4 && (call == 2 || call == 3)) throw TransientError("deadlock");
  });
  auto sleeper = std::make_shared<RecordingSleeper>();
  JobExecution& execution = run(step(2)
                                    .retry<TransientError>()
                                    .retry_limit(3)
                                    .back_off(std::make_shared<FixedBackOffPolicy>(Millis(100), sleeper))
                                    .build());
  ASSERT_THAT(execution, HasStatus(BatchStatus::COMPLETED));
  EXPECT_THAT(step_of(execution), HasCounts({.read = 5, .write = 5, .commit = 3, .rollback = 2, .filter = 0,
                                             .read_skip = 0, .process_skip = 0, .write_skip = 0}));
  EXPECT_EQ(committed_, range(1, 5));
  EXPECT_EQ(writer_->calls(), 5u);
  EXPECT_EQ(processed_, (std::vector<int>{1, 2, 3, 4, 3, 4, 3, 4, 5})) << "each attempt processes the chunk again";
  EXPECT_EQ(retries_->opens, 1);
  EXPECT_EQ(retries_->errors, 2);
  EXPECT_EQ(retries_->closes, 1);
  EXPECT_EQ(retries_->closed_with_error, 0);
  EXPECT_THAT(sleeper->sleeps(), ElementsAre(Millis(100), Millis(100)));
}

// Processing 4 fails twice, then succeeds (per-item retry): 2 rollbacks.
TEST_P(FaultTolerantStepTest, ProcessRetryThenSuccess) {
  int failures = 2;
  process_fault_ = [&failures](int item) {
    if (item == 4 && failures-- > 0) throw TransientError("busy");
  };
  JobExecution& execution = run(step(2).retry<TransientError>().retry_limit(3).build());
  ASSERT_THAT(execution, HasStatus(BatchStatus::COMPLETED));
  EXPECT_THAT(step_of(execution), HasCounts({.read = 5, .write = 5, .commit = 3, .rollback = 2, .process_skip = 0}));
  EXPECT_EQ(committed_, range(1, 5));
  EXPECT_EQ(retries_->errors, 2);
}

// Writing 4 always fails, retryable and skippable, 3 attempts: [3,4] rolls
// back 3 times (2 back-offs), then the scan: [3] commits, [4] rolls back and
// is skipped, an empty transaction commits the skip, [5]. Spring
// testSkipAndRetryWithWriteFailure: the bad item is written retry_limit
// times, then once more by the scan.
TEST_P(FaultTolerantStepTest, RetryExhaustedThenSkip) {
  writer_->fault([](const int& item, size_t) {
    if (item == 4) throw SkippableError("cannot write 4");
  });
  auto sleeper = std::make_shared<RecordingSleeper>();
  JobExecution& execution = run(step(2)
                                    .retry<SkippableError>()
                                    .retry_limit(3)
                                    .skip<SkippableError>()
                                    .back_off(std::make_shared<FixedBackOffPolicy>(Millis(50), sleeper))
                                    .build());
  ASSERT_THAT(execution, HasStatus(BatchStatus::COMPLETED));
  EXPECT_THAT(step_of(execution), HasCounts({.read = 5, .write = 4, .commit = 4, .rollback = 4, .filter = 0,
                                             .read_skip = 0, .process_skip = 0, .write_skip = 1}));
  EXPECT_EQ(committed_, (std::vector<int>{1, 2, 3, 5}));
  int writes_of_4 = 0;
  for (const auto& attempt : writer_->attempts()) writes_of_4 += static_cast<int>(std::count(attempt.begin(), attempt.end(), 4));
  EXPECT_EQ(writes_of_4, 4) << "3 attempts of the chunk + 1 in the scan";
  EXPECT_EQ(retries_->errors, 3);
  EXPECT_EQ(retries_->closes, 1);
  EXPECT_EQ(retries_->closed_with_error, 0) << "recovered by the scan";
  EXPECT_EQ(sleeper->sleeps().size(), 2u) << "no back-off after the last attempt";
  EXPECT_THAT(skips_->calls, ElementsAre("write:4"));
}

// Processing 4 always fails (retryable, skippable): 3 attempts (3
// rollbacks), the 4th transaction skips 4 without calling the processor.
TEST_P(FaultTolerantStepTest, ProcessRetryExhaustedThenSkip) {
  process_fault_ = [](int item) {
    if (item == 4) throw SkippableError("cannot process 4");
  };
  JobExecution& execution = run(step(2).retry<SkippableError>().retry_limit(3).skip<SkippableError>().build());
  ASSERT_THAT(execution, HasStatus(BatchStatus::COMPLETED));
  EXPECT_THAT(step_of(execution), HasCounts({.read = 5, .write = 4, .commit = 3, .rollback = 3, .process_skip = 1}));
  EXPECT_EQ(std::count(processed_.begin(), processed_.end(), 4), 3);
  EXPECT_EQ(retries_->errors, 3);
  EXPECT_THAT(skips_->calls, ElementsAre("process:4"));
}

// Writing 4 always fails, retryable but not skippable: 3 attempts, then the
// recovering transaction fails the step (Spring: rollback count = attempts +
// 1). Only [1,2] was committed.
TEST_P(FaultTolerantStepTest, RetryExhaustedThenFail) {
  writer_->fault([](const int& item, size_t) {
    if (item == 4) throw TransientError("cannot write 4");
  });
  JobExecution& execution = run(step(2).retry<TransientError>().retry_limit(3).skip<SkippableError>().build());
  ASSERT_THAT(execution, HasStatus(BatchStatus::FAILED));
  EXPECT_THAT(step_of(execution), HasCounts({.read = 2, .write = 2, .commit = 1, .rollback = 4, .filter = 0,
                                             .read_skip = 0, .process_skip = 0, .write_skip = 0}));
  EXPECT_THAT(step_of(execution), HasExitDescription(HasSubstr("non-skippable error in writer after 3 attempts")));
  EXPECT_THAT(step_of(execution), HasExitDescription(HasSubstr("cannot write 4")));
  EXPECT_EQ(committed_, (std::vector<int>{1, 2}));
  EXPECT_EQ(retries_->errors, 3);
  EXPECT_EQ(retries_->closed_with_error, 1);
  EXPECT_THAT(*stored(execution)->step_executions.at(0), HasCounts({.read = 2, .write = 2, .commit = 1, .rollback = 4}));
}

// A non-skippable, non-retryable processor error: the chunk rolls back, the
// recovering transaction fails the step (2 rollbacks, as Spring).
TEST_P(FaultTolerantStepTest, NonSkippableProcessErrorFails) {
  process_fault_ = [](int item) {
    if (item == 4) throw FatalError("corrupt 4");
  };
  JobExecution& execution = run(step(2).skip<SkippableError>().build());
  ASSERT_THAT(execution, HasStatus(BatchStatus::FAILED));
  EXPECT_THAT(step_of(execution), HasCounts({.read = 2, .write = 2, .commit = 1, .rollback = 2}));
  EXPECT_THAT(step_of(execution), HasExitDescription(HasSubstr("non-skippable error in processor")));
  EXPECT_THAT(step_of(execution), HasExitDescription(HasSubstr("FatalError: corrupt 4")));
}

// Skip limit 1: read of 2 skipped (limit reached), then writing 4 fails;
// the scan finds 4 and the skip policy refuses a second skip. Spring
// testSkipOverLimit: only 1 and 3 committed.
TEST_P(FaultTolerantStepTest, SkipLimitExceeded) {
  reader_->fault([](const int& item, size_t) {
    if (item == 2) throw SkippableError("unreadable 2");
  });
  writer_->fault([](const int& item, size_t) {
    if (item == 4) throw SkippableError("cannot write 4");
  });
  JobExecution& execution = run(step(2).skip<SkippableError>().skip_limit(1).build());
  ASSERT_THAT(execution, HasStatus(BatchStatus::FAILED));
  // [1,3] c (read skip 1); [4,5] rb; scan [4] → limit → rb.
  EXPECT_THAT(step_of(execution), HasCounts({.read = 2, .write = 2, .commit = 1, .rollback = 2, .read_skip = 1,
                                             .process_skip = 0, .write_skip = 0}));
  EXPECT_THAT(step_of(execution), HasExitDescription(HasSubstr("skip limit of 1 exceeded: cannot write 4")));
  EXPECT_EQ(committed_, (std::vector<int>{1, 3}));
  EXPECT_THAT(skips_->calls, ElementsAre("read:unreadable 2"));
}

// no_rollback in the processor: 4 is skipped in place, nothing rolls back.
TEST_P(FaultTolerantStepTest, NoRollbackInProcessor) {
  process_fault_ = [](int item) {
    if (item == 4) throw IgnorableError("ignore 4");
  };
  JobExecution& execution = run(step(2).skip<IgnorableError>().no_rollback<IgnorableError>().build());
  ASSERT_THAT(execution, HasStatus(BatchStatus::COMPLETED));
  EXPECT_THAT(step_of(execution), HasCounts({.read = 5, .write = 4, .commit = 3, .rollback = 0, .process_skip = 1}));
  EXPECT_EQ(committed_, (std::vector<int>{1, 2, 3, 5}));
  EXPECT_EQ(processed_, range(1, 5)) << "no re-processing without a rollback";
  EXPECT_THAT(skips_->calls, ElementsAre("process:4"));
}

// no_rollback in the writer: the chunk is still rolled back once to find the
// item (Spring forces it), but the bad item's own transaction commits with
// its skip: 1 rollback instead of 2, and no extra empty transaction.
TEST_P(FaultTolerantStepTest, NoRollbackInWriter) {
  writer_->fault([](const int& item, size_t) {
    if (item == 4) throw IgnorableError("ignore 4");
  });
  JobExecution& execution = run(step(2).skip<IgnorableError>().no_rollback<IgnorableError>().build());
  ASSERT_THAT(execution, HasStatus(BatchStatus::COMPLETED));
  // [1,2] c; [3,4] rb; [3] c; [4] skipped, c; [5] c.
  EXPECT_THAT(step_of(execution), HasCounts({.read = 5, .write = 4, .commit = 4, .rollback = 1, .write_skip = 1}));
  EXPECT_EQ(committed_, (std::vector<int>{1, 2, 3, 5}));
}

// A filtered item is not processed again when its chunk is re-driven, and
// is counted once.
TEST_P(FaultTolerantStepTest, FilteredItemsAreCountedOnce) {
  filter_ = [](int item) { return item == 3; };
  writer_->fault([](const int& item, size_t) {
    if (item == 4) throw SkippableError("cannot write 4");
  });
  JobExecution& execution = run(step(2).skip<SkippableError>().build());
  ASSERT_THAT(execution, HasStatus(BatchStatus::COMPLETED));
  // [1,2] c; [3 filtered, 4] rb; scan [4] rb skipped; empty c; [5] c.
  EXPECT_THAT(step_of(execution),
              HasCounts({.read = 5, .write = 3, .commit = 3, .rollback = 2, .filter = 1, .write_skip = 1}));
  EXPECT_EQ(committed_, (std::vector<int>{1, 2, 5}));
  EXPECT_EQ(std::count(processed_.begin(), processed_.end(), 3), 1);
}

// --- restart ---------------------------------------------------------------

// The skip limit stops the step in the middle of a scan; the restart (with
// the bad item fixed) resumes at the failed chunk: nothing re-written, the
// first run's skip stays counted in its own execution.
TEST_P(FaultTolerantStepTest, RestartAfterSkipLimitExceeded) {
  bool faulty = true;
  reader_->fault([](const int& item, size_t) {
    if (item == 2) throw SkippableError("unreadable 2");
  });
  writer_->fault([&faulty](const int& item, size_t) {
    if (faulty && item == 4) throw SkippableError("cannot write 4");
  });
  JobExecution& first = run(step(2).skip<SkippableError>().skip_limit(1).build());
  ASSERT_THAT(first, HasStatus(BatchStatus::FAILED));
  faulty = false;
  JobExecution& second = launch();
  ASSERT_THAT(second, HasStatus(BatchStatus::COMPLETED));
  EXPECT_THAT(step_of(second), HasCounts({.read = 2, .write = 2, .commit = 2, .rollback = 0, .read_skip = 0,
                                          .write_skip = 0}));
  EXPECT_EQ(committed_, (std::vector<int>{1, 3, 4, 5}));
  EXPECT_THAT(*stored(first)->step_executions.at(0), HasCounts({.read = 2, .write = 2, .read_skip = 1}));
  EXPECT_THAT(skips_->calls, ElementsAre("read:unreadable 2")) << "2 is not read (nor skipped) again";
}

// The step fails in the middle of a scan, after [1] was committed on its
// own: the reader's checkpoint stays at the chunk's start and the context
// says one read of the chunk is settled. The restart drops that read, so 1
// is not written twice; 2 (still bad) is skipped once, in the restart.
TEST_P(FaultTolerantStepTest, RestartInTheMiddleOfAScan) {
  owned_reader_ = std::make_unique<RestartableListReader<int>>(range(1, 8));
  bool fatal = true;
  writer_->fault([&fatal](const int& item, size_t) {
    if (item == 2) throw SkippableError("cannot write 2");
    if (item == 3 && fatal) throw FatalError("disk gone");
  });
  JobExecution& first = run(step(4).skip<SkippableError>().build());
  ASSERT_THAT(first, HasStatus(BatchStatus::FAILED));
  // [1..4] rb; [1] c; [2] rb (skip pending); [3] fatal rb.
  EXPECT_THAT(step_of(first), HasCounts({.read = 4, .write = 1, .commit = 1, .rollback = 3, .write_skip = 0}));
  EXPECT_THAT(step_of(first), HasExitDescription(HasSubstr("disk gone")));
  EXPECT_EQ(committed_, (std::vector<int>{1}));
  EXPECT_TRUE(skips_->calls.empty()) << "the skip of 2 never committed";

  fatal = false;
  JobExecution& second = launch();
  ASSERT_THAT(second, HasStatus(BatchStatus::COMPLETED));
  // [2..5] rb; [2] rb skipped; [3] c; [4] c; [5] c; [6,7,8] c (end).
  EXPECT_THAT(step_of(second), HasCounts({.read = 7, .write = 6, .commit = 4, .rollback = 2, .write_skip = 1}));
  EXPECT_EQ(committed_, (std::vector<int>{1, 3, 4, 5, 6, 7, 8}));
  EXPECT_THAT(skips_->calls, ElementsAre("write:2"));
}

// A non-skippable processor error; the restart re-reads the failed chunk
// from the checkpoint and writes each item once.
TEST_P(FaultTolerantStepTest, RestartAfterProcessFailure) {
  bool fatal = true;
  process_fault_ = [&fatal](int item) {
    if (fatal && item == 4) throw FatalError("corrupt 4");
  };
  JobExecution& first = run(step(2).skip<SkippableError>().build());
  ASSERT_THAT(first, HasStatus(BatchStatus::FAILED));
  fatal = false;
  JobExecution& second = launch();
  ASSERT_THAT(second, HasStatus(BatchStatus::COMPLETED));
  EXPECT_THAT(step_of(second), HasCounts({.read = 3, .write = 3, .commit = 2, .rollback = 0}));
  EXPECT_EQ(committed_, range(1, 5));
}

// A non-skippable read error fails the step at once (1 rollback); the
// restart reads on from the checkpoint.
TEST_P(FaultTolerantStepTest, RestartAfterReadFailure) {
  bool fatal = true;
  reader_->fault([&fatal](const int& item, size_t) {
    if (fatal && item == 3) throw FatalError("unreadable 3");
  });
  JobExecution& first = run(step(2).skip<SkippableError>().build());
  ASSERT_THAT(first, HasStatus(BatchStatus::FAILED));
  EXPECT_THAT(step_of(first), HasCounts({.read = 2, .write = 2, .commit = 1, .rollback = 1}));
  EXPECT_THAT(step_of(first), HasExitDescription(HasSubstr("non-skippable error in reader")));
  fatal = false;
  JobExecution& second = launch();
  ASSERT_THAT(second, HasStatus(BatchStatus::COMPLETED));
  EXPECT_THAT(step_of(second), HasCounts({.read = 3, .write = 3, .commit = 2}));
  EXPECT_EQ(committed_, range(1, 5));
}

// Retries exhausted on a non-skippable write error; the restart completes
// the chunk once.
TEST_P(FaultTolerantStepTest, RestartAfterRetryExhausted) {
  bool fatal = true;
  writer_->fault([&fatal](const int& item, size_t) {
    if (fatal && item == 4) throw TransientError("cannot write 4");
  });
  JobExecution& first = run(step(2).retry<TransientError>().retry_limit(2).build());
  ASSERT_THAT(first, HasStatus(BatchStatus::FAILED));
  EXPECT_THAT(step_of(first), HasCounts({.read = 2, .write = 2, .commit = 1, .rollback = 3}));
  fatal = false;
  JobExecution& second = launch();
  ASSERT_THAT(second, HasStatus(BatchStatus::COMPLETED));
  EXPECT_THAT(step_of(second), HasCounts({.read = 3, .write = 3, .commit = 2, .rollback = 0}));
  EXPECT_EQ(committed_, range(1, 5));
}

// --- a file writer ------------------------------------------------------------

// The writer appends to a file, then fails for 4 (retry, then scan): every
// rolled-back chunk's bytes are cut away by the engine's rollback hook, so
// the file holds each good line once.
TEST_P(FaultTolerantStepTest, FileWriterKeepsNoRolledBackBytes) {
  const std::filesystem::path out =
      std::filesystem::path(::testing::TempDir()) / (GetParam() == testing::RepositoryBackend::SQLITE ? "ft_out_s.csv" : "ft_out_m.csv");
  auto file = std::make_shared<DelimitedFileWriter<int>>(DelimitedWriterOptions{.path = out.string()},
                                                         [](const int& v, FieldWriter& w) { w.write(v); });
  auto built = StepBuilder("file", *repository_)
                   .chunk<int>(2)
                   .reader(std::make_unique<RestartableListReader<int>>(range(1, 5)))
                   .writer([file](const Chunk<int>& chunk) {
                     file->write(chunk);  // bytes reach the file first
                     for (int v : chunk) {
                       if (v == 4) throw SkippableError("rejected 4");
                     }
                   })
                   .stream(file)
                   .fault_tolerant()
                   .retry<SkippableError>()
                   .retry_limit(2)
                   .skip<SkippableError>()
                   .build();
  JobExecution& execution = run(std::move(built), "fileJob");
  ASSERT_THAT(execution, HasStatus(BatchStatus::COMPLETED));
  EXPECT_THAT(step_of(execution), HasCounts({.read = 5, .write = 4, .rollback = 3, .write_skip = 1}));
  std::ifstream in(out);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(), "1\n2\n3\n5\n");
  std::filesystem::remove(out);
}

// --- configuration ---------------------------------------------------------------

TEST_P(FaultTolerantStepTest, RetryLimitNeedsRetryableKinds) {
  EXPECT_THROW(step(2).retry_limit(3).build(), std::invalid_argument);
}

// The most specific registered kind wins: FatalError derives from
// runtime_error, which is skippable, but no_skip<FatalError> excludes it.
TEST_P(FaultTolerantStepTest, ClassificationByTypeHierarchy) {
  process_fault_ = [](int item) {
    if (item == 2) throw SkippableError("skip me");
    if (item == 4) throw FatalError("not me");
  };
  JobExecution& execution = run(step(2).skip<std::runtime_error>().no_skip<FatalError>().build());
  ASSERT_THAT(execution, HasStatus(BatchStatus::FAILED));
  EXPECT_THAT(step_of(execution), HasCounts({.read = 2, .write = 1, .commit = 1, .process_skip = 1}));
  EXPECT_EQ(committed_, (std::vector<int>{1}));
}

}  // namespace
}  // namespace cppbatch
