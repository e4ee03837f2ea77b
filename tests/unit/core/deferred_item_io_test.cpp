// DeferredItemReader/Writer + JobParametersScope: components built from the
// job's parameters when the step opens, with ItemStream calls forwarded.
#include <gtest/gtest.h>

#include "cppbatch/core/deferred_item_io.hpp"
#include "cppbatch/core/job_builder.hpp"
#include "cppbatch/core/job_parameters_scope.hpp"
#include "cppbatch/core/step_builder.hpp"
#include "cppbatch/testing/job_test_fixture.hpp"

namespace cppbatch {
namespace {

// Counts from `start` to `end`; saves its position like a real stream.
class RangeReader final : public ItemReader<int64_t>, public ItemStream {
 public:
  RangeReader(int64_t start, int64_t end) : next_(start), end_(end) {}
  void open(ExecutionContext& context) override { next_ = context.get_long("range.next").value_or(next_); }
  void update(ExecutionContext& context) override { context.put_long("range.next", next_); }
  std::optional<int64_t> read() override { return next_ < end_ ? std::optional<int64_t>(next_++) : std::nullopt; }

 private:
  int64_t next_, end_;
};

class DeferredItemIoTest : public testing::JobTestFixture {};

TEST_F(DeferredItemIoTest, ComponentsAreBuiltFromTheJobParametersWhenTheStepOpens) {
  auto scope = std::make_shared<JobParametersScope>();
  std::vector<int64_t> written;
  int writers_made = 0;
  auto step = StepBuilder("count", repository_)
                  .chunk<int64_t>(2)
                  .listener(scope)
                  .reader(std::make_unique<DeferredItemReader<int64_t>>([scope] {
                    return std::make_unique<RangeReader>(0, *scope->get().get_long("end"));
                  }))
                  .writer(std::make_unique<DeferredItemWriter<int64_t>>([&]() -> std::unique_ptr<ItemWriter<int64_t>> {
                    ++writers_made;
                    return std::make_unique<FunctionItemWriter<int64_t, std::function<void(const Chunk<int64_t>&)>>>(
                        [&](const Chunk<int64_t>& chunk) { written.insert(written.end(), chunk.begin(), chunk.end()); });
                  }))
                  .build();
  auto job = JobBuilder("deferred", repository_).start(std::move(step)).build();
  JobExecution& execution = run(*job, JobParametersBuilder().add_long("end", 5).build());

  ASSERT_EQ(execution.status, BatchStatus::COMPLETED) << execution.exit_status.description();
  EXPECT_EQ(written, (std::vector<int64_t>{0, 1, 2, 3, 4}));
  EXPECT_EQ(writers_made, 1);
  // The delegate's ItemStream::update reached the step's context.
  EXPECT_EQ(execution.step_executions.at(0)->execution_context.get_long("range.next"), 5);
}

TEST(JobParametersScopeTest, UseBeforeAStepStartedIsAnError) {
  JobParametersScope scope;
  EXPECT_THROW((void)scope.get(), std::logic_error);
  StepExecution detached;
  EXPECT_THROW(scope.before_step(detached), std::logic_error);
}

TEST(DeferredItemReaderTest, ReadBeforeOpenIsAnError) {
  DeferredItemReader<int64_t> reader([] { return std::make_unique<RangeReader>(0, 1); });
  EXPECT_THROW((void)reader.read(), std::logic_error);
}

// A writer whose stream hooks count: the delegate of a deferred writer.
class CountingWriter final : public ItemWriter<int64_t>, public ItemStream {
 public:
  explicit CountingWriter(int* discards) : discards_(discards) {}
  void write(const Chunk<int64_t>&) override {}
  void discard_uncommitted() override { ++*discards_; }

 private:
  int* discards_;
};

TEST(DeferredItemWriterTest, DiscardUncommittedReachesTheDelegate) {
  int discards = 0;
  DeferredItemWriter<int64_t> writer([&] { return std::make_unique<CountingWriter>(&discards); });
  ExecutionContext context;
  writer.open(context);
  writer.discard_uncommitted();  // what the engine calls when a chunk rolls back in-process
  EXPECT_EQ(discards, 1);
  writer.close();
  writer.discard_uncommitted();  // after close: nothing to forward to
  EXPECT_EQ(discards, 1);
}

}  // namespace
}  // namespace cppbatch
