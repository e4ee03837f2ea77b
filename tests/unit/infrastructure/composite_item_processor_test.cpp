#include "cppbatch/infrastructure/composite_item_processor.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cppbatch/core/job_builder.hpp"
#include "cppbatch/core/step_builder.hpp"
#include "cppbatch/infrastructure/filtering_item_processor.hpp"
#include "cppbatch/infrastructure/record.hpp"
#include "cppbatch/testing/event_log.hpp"
#include "cppbatch/testing/execution_matchers.hpp"
#include "cppbatch/testing/job_test_fixture.hpp"
#include "cppbatch/testing/recording_item_writer.hpp"
#include "cppbatch/testing/restartable_list_reader.hpp"

namespace cppbatch {
namespace {

using ::testing::ElementsAre;
using testing::HasCounts;
using testing::HasStatus;
using testing::HasStepExecution;

// A stage that counts what it sees and records its stream calls.
class CountingStage final : public ItemProcessor<int, int>, public ItemStream {
 public:
  CountingStage(testing::EventLog& log, std::string name) : log_(log), name_(std::move(name)) {}
  std::optional<int> process(const int& item) override {
    ++seen;
    return item * 10;
  }
  void open(ExecutionContext&) override { log_.add("open:" + name_); }
  void update(ExecutionContext&) override { log_.add("update:" + name_); }
  void close() override { log_.add("close:" + name_); }
  int seen = 0;

 private:
  testing::EventLog& log_;
  std::string name_;
};

TEST(CompositeItemProcessorTest, ChainsTypedStagesInOrder) {
  auto chain = ProcessorChain<std::string>()
                   .then<int>([](const std::string& s) -> std::optional<int> { return std::stoi(s); })
                   .then<int>([](const int& i) -> std::optional<int> { return i * 2; })
                   .then<std::string>([](const int& i) -> std::optional<std::string> { return "v" + std::to_string(i); })
                   .build();
  EXPECT_EQ(chain->stages(), 3u);
  EXPECT_EQ(chain->process("21"), std::optional<std::string>("v42"));
}

TEST(CompositeItemProcessorTest, AnEmptyResultFromAnyStageFiltersAndLaterStagesDoNotRun) {
  testing::EventLog log;
  auto counter = std::make_unique<CountingStage>(log, "count");
  CountingStage* seen = counter.get();
  auto chain = ProcessorChain<int>()
                   .then<int>([](const int& i) -> std::optional<int> {
                     if (i % 2 == 1) return std::nullopt;
                     return i;
                   })
                   .then(std::move(counter))
                   .build();
  EXPECT_EQ(chain->process(4), std::optional<int>(40));
  EXPECT_EQ(chain->process(3), std::nullopt);
  EXPECT_EQ(seen->seen, 1) << "the filtered item must not reach the next stage";
}

// Counts its copies, to show pass-through stages run without copying.
struct Counted {
  int value = 0;
  static inline int copies = 0;
  Counted() = default;
  explicit Counted(int v) : value(v) {}
  Counted(const Counted& other) : value(other.value) { ++copies; }
  Counted(Counted&&) = default;
  Counted& operator=(const Counted& other) {
    value = other.value;
    ++copies;
    return *this;
  }
  Counted& operator=(Counted&&) = default;
};

TEST(CompositeItemProcessorTest, PassThroughStagesRunInOrderWithoutCopyingTheItem) {
  testing::EventLog log;
  auto chain = ProcessorChain<Counted>()
                   .then(make_filtering_processor<Counted>([&](const Counted& c) {
                     log.add("positive");
                     return c.value > 0;
                   }))
                   .then(make_filtering_processor<Counted>([&](const Counted& c) {
                     log.add("small");
                     return c.value < 100;
                   }))
                   .then<Counted>([&](const Counted& c) -> std::optional<Counted> {
                     log.add("double");
                     return Counted(c.value * 2);
                   })
                   .then(make_filtering_processor<Counted>([&](const Counted& c) {
                     log.add("even");
                     return c.value % 4 == 0;
                   }))
                   .build();
  EXPECT_EQ(chain->stages(), 4u);
  Counted::copies = 0;
  auto out = chain->process(Counted(6));
  ASSERT_TRUE(out.has_value());
  EXPECT_EQ(out->value, 12);
  EXPECT_EQ(Counted::copies, 0);
  EXPECT_THAT(log.events(), ElementsAre("positive", "small", "double", "even"));
  log.clear();
  EXPECT_FALSE(chain->process(Counted(-1)).has_value());
  EXPECT_THAT(log.events(), ElementsAre("positive")) << "a filtered item stops the chain";
  EXPECT_FALSE(chain->process(Counted(3)).has_value()) << "6 % 4 != 0: the last check filters";

  auto only_checks = ProcessorChain<Counted>()
                         .then(make_filtering_processor<Counted>([](const Counted& c) { return c.value != 0; }))
                         .build();
  EXPECT_EQ(only_checks->process(Counted(5))->value, 5);
  EXPECT_FALSE(only_checks->process(Counted(0)).has_value());
}

TEST(CompositeItemProcessorTest, EmptyChainIsTheIdentity) {
  auto chain = ProcessorChain<int>().build();
  EXPECT_EQ(chain->process(7), std::optional<int>(7));
  EXPECT_EQ(chain->stages(), 0u);
}

TEST(CompositeItemProcessorTest, ForwardsStreamCallsToStagesThatAreStreams) {
  testing::EventLog log;
  auto chain = ProcessorChain<int>()
                   .then(std::make_unique<CountingStage>(log, "a"))
                   .then<int>([](const int& i) -> std::optional<int> { return i; })
                   .then(std::make_unique<CountingStage>(log, "b"))
                   .build();
  ExecutionContext ctx;
  chain->open(ctx);
  chain->update(ctx);
  chain->close();
  EXPECT_THAT(log.events(), ElementsAre("open:a", "open:b", "update:a", "update:b", "close:a", "close:b"));
}

TEST(CompositeItemProcessorTest, FilteringProcessorKeepsWhatThePredicateAccepts) {
  auto keep_big = make_filtering_processor<int>([](const int& i) { return i > 2; });
  EXPECT_EQ(keep_big->process(3), std::optional<int>(3));
  EXPECT_EQ(keep_big->process(2), std::nullopt);
}

TEST(CompositeItemProcessorTest, RecordChainFiltersOnAFieldAndDerivesAnother) {
  auto layout = make_record_layout({"team", "week", "yards"});
  auto chain = ProcessorChain<Record>()
                   .then(make_filtering_processor<Record>([](const Record& r) { return r.get_long("week") <= 17; }))
                   .then<Record>([](const Record& r) -> std::optional<Record> {
                     Record out = r;
                     out.set("kyards", r.get_double("yards") / 1000);
                     return out;
                   })
                   .build();
  auto out = chain->process(Record(layout, {std::string("mia"), std::string("3"), std::string("1500")}));
  ASSERT_TRUE(out.has_value());
  EXPECT_DOUBLE_EQ(out->get_double("kyards"), 1.5);
  EXPECT_FALSE(chain->process(Record(layout, {std::string("mia"), std::string("18"), std::string("1")})).has_value());
}

class CompositeProcessorStepTest : public testing::JobTestFixture {};

TEST_F(CompositeProcessorStepTest, FilteredItemsAreCountedAndRestartResumesExactly) {
  std::vector<std::vector<std::string>> written;
  testing::EventLog log;
  auto make_job = [&](bool fail) {
    std::vector<int> items;
    for (int i = 0; i < 10; ++i) items.push_back(i);
    auto reader = std::make_unique<testing::RestartableListReader<int>>(items);
    if (fail) reader->fail_at(7, "bad item 7");
    auto processor = ProcessorChain<int>()
                         .then<int>([](const int& i) -> std::optional<int> {
                           if (i % 3 == 0) return std::nullopt;
                           return i;
                         })
                         .then(std::make_unique<CountingStage>(log, "stage"))
                         .then<std::string>([](const int& i) -> std::optional<std::string> { return std::to_string(i); })
                         .build();
    auto step = StepBuilder("process", repository_)
                    .chunk<int, std::string>(3)
                    .reader(std::move(reader))
                    .processor(std::unique_ptr<ItemProcessor<int, std::string>>(std::move(processor)))
                    .writer(std::make_unique<testing::RecordingItemWriter<std::string>>(written))
                    .build();
    return JobBuilder("composite", repository_).start(std::move(step)).build();
  };
  auto params = JobParametersBuilder().add_string("run", "1").build();
  auto failing = make_job(true);
  JobExecution& first = run(*failing, params);
  ASSERT_THAT(first, HasStatus(BatchStatus::FAILED));
  // Chunks [0,1,2] and [3,4,5] committed: 0 and 3 filtered.
  EXPECT_THAT(first, HasStepExecution("process", HasCounts({.read = 6, .write = 4, .commit = 2, .filter = 2})));
  auto clean = make_job(false);
  JobExecution& second = run(*clean, params);
  ASSERT_THAT(second, HasStatus(BatchStatus::COMPLETED));
  EXPECT_THAT(second, HasStepExecution("process", HasCounts({.read = 4, .write = 2, .filter = 2})));
  EXPECT_EQ(testing::RecordingItemWriter<std::string>::flatten(written),
            (std::vector<std::string>{"10", "20", "40", "50", "70", "80"}));
  EXPECT_EQ(log.count("open:stage"), 2u) << "the step must reach a stream inside the chain";
}


TEST(InlineCompositeItemProcessorTest, ChainsTypedStagesWithChecksInPlace) {
  testing::EventLog log;
  auto chain = make_composite_processor<Counted>(
      make_filtering_processor<Counted>([&](const Counted& c) {
        log.add("positive");
        return c.value > 0;
      }),
      [&](const Counted& c) -> std::optional<Counted> {
        log.add("double");
        return Counted(c.value * 2);
      },
      make_filtering_processor<Counted>([&](const Counted& c) {
        log.add("even");
        return c.value % 4 == 0;
      }),
      [&](const Counted& c) -> std::optional<std::string> {
        log.add("format");
        return "v" + std::to_string(c.value);
      },
      make_filtering_processor<std::string>([&](const std::string& s) {
        log.add("short");
        return s.size() < 4;
      }));
  static_assert(std::is_base_of_v<ItemProcessor<Counted, std::string>, std::decay_t<decltype(*chain)>>);
  EXPECT_EQ(chain->stages(), 5u);
  Counted::copies = 0;
  EXPECT_EQ(chain->process(Counted(6)), std::optional<std::string>("v12"));
  EXPECT_EQ(Counted::copies, 0);
  EXPECT_THAT(log.events(), ElementsAre("positive", "double", "even", "format", "short"));
  log.clear();
  EXPECT_FALSE(chain->process(Counted(-1)).has_value());
  EXPECT_THAT(log.events(), ElementsAre("positive")) << "a filtered item stops the chain";
  log.clear();
  EXPECT_FALSE(chain->process(Counted(3)).has_value());
  EXPECT_THAT(log.events(), ElementsAre("positive", "double", "even")) << "6 % 4 != 0";
  EXPECT_FALSE(chain->process(Counted(500)).has_value()) << "'v1000' is too long: the last check filters";
}

TEST(InlineCompositeItemProcessorTest, AnEmptyResultFiltersAndOnlyChecksCopyOnce) {
  auto chain = make_composite_processor<int>(
      [](const int& i) -> std::optional<int> { return i % 2 == 0 ? std::optional<int>(i / 2) : std::nullopt; },
      std::make_unique<FunctionItemProcessor<int, int, int (*)(const int&)>>(+[](const int& i) { return i + 1; }));
  EXPECT_EQ(chain->process(8), std::optional<int>(5));
  EXPECT_FALSE(chain->process(7).has_value());

  auto only_checks = make_composite_processor<Counted>(
      make_filtering_processor<Counted>([](const Counted& c) { return c.value != 0; }));
  Counted::copies = 0;
  EXPECT_EQ(only_checks->process(Counted(5))->value, 5);
  EXPECT_EQ(Counted::copies, 1) << "the kept item is copied into the result, once";
  EXPECT_FALSE(only_checks->process(Counted(0)).has_value());
}

struct Moved {
  int value = 0;
  static inline int moves = 0;
  explicit Moved(int v) : value(v) {}
  Moved(Moved&& other) noexcept : value(other.value) { ++moves; }
  Moved(const Moved& other) : value(other.value) { ++moves; }
};

TEST(InlineCompositeItemProcessorTest, AFunctionReturningAPlainValueNeverFiltersAndIsNotMoved) {
  auto chain = make_composite_processor<int>(
      [](const int& i) { return Moved(i + 1); },
      make_filtering_processor<Moved>([](const Moved& m) { return m.value > 0; }));
  static_assert(std::is_base_of_v<ItemProcessor<int, Moved>, std::decay_t<decltype(*chain)>>);
  Moved::moves = 0;
  auto out = chain->process(4);
  ASSERT_TRUE(out.has_value());
  EXPECT_EQ(out->value, 5);
  EXPECT_EQ(Moved::moves, 0) << "built in place inside the result";
  EXPECT_FALSE(chain->process(-3).has_value()) << "the check after it still filters";
}

TEST(InlineCompositeItemProcessorTest, ForwardsStreamCallsAndRefusesANullStage) {
  testing::EventLog log;
  auto chain = make_composite_processor<int>(std::make_unique<CountingStage>(log, "a"),
                                             [](const int& i) -> std::optional<int> { return i + 1; },
                                             std::make_unique<CountingStage>(log, "b"));
  EXPECT_EQ(chain->process(2), std::optional<int>(210));
  ExecutionContext ctx;
  chain->open(ctx);
  chain->update(ctx);
  chain->close();
  EXPECT_THAT(log.events(), ElementsAre("open:a", "open:b", "update:a", "update:b", "close:a", "close:b"));
  EXPECT_THROW(make_composite_processor<int>(std::unique_ptr<CountingStage>()), std::invalid_argument);
}

TEST(InlineCompositeItemProcessorTest, ExceptionsFromAStagePropagate) {
  auto chain = make_composite_processor<int>(make_filtering_processor<int>([](const int& i) {
    if (i < 0) throw std::runtime_error("negative");
    return true;
  }));
  EXPECT_EQ(chain->process(1), std::optional<int>(1));
  EXPECT_THROW(chain->process(-1), std::runtime_error);
}

}  // namespace
}  // namespace cppbatch
