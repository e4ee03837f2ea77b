#include "cppbatch/infrastructure/synchronized_item_reader.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <thread>
#include <vector>

#include "cppbatch/infrastructure/delimited_file_reader.hpp"
#include "cppbatch/infrastructure/list_item_reader.hpp"
#include "cppbatch/testing/event_log.hpp"
#include "cppbatch/testing/recording_item_stream.hpp"
#include "io_test_support.hpp"

namespace cppbatch {
namespace {

using ::testing::ElementsAre;

// Drains `reader` from `threads` threads; returns what each thread got.
template <class T>
std::vector<std::vector<T>> drain(ItemReader<T>& reader, int threads) {
  std::vector<std::vector<T>> got(static_cast<size_t>(threads));
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&reader, &out = got[static_cast<size_t>(t)]] {
      while (auto item = reader.read()) out.push_back(std::move(*item));
    });
  }
  for (auto& w : workers) w.join();
  return got;
}

TEST(SynchronizedItemReaderTest, EveryItemGoesToExactlyOneThread) {
  constexpr int kItems = 20000;
  for (int threads : {1, 2, 4, 8}) {
    std::vector<int> items(kItems);
    for (int i = 0; i < kItems; ++i) items[static_cast<size_t>(i)] = i;
    SynchronizedItemReader<int> reader(std::make_unique<ListItemReader<int>>(items));
    auto got = drain<int>(reader, threads);
    std::vector<int> all;
    for (auto& part : got) {
      EXPECT_TRUE(std::is_sorted(part.begin(), part.end())) << "each thread sees the reader's order";
      all.insert(all.end(), part.begin(), part.end());
    }
    std::sort(all.begin(), all.end());
    EXPECT_EQ(all, items) << threads << " threads: every item exactly once";
    EXPECT_FALSE(reader.read().has_value());
  }
}

TEST(SynchronizedItemReaderTest, DrainsAFileReaderFromSeveralThreads) {
  testing::ScratchDir dir;
  std::string text = "id\n";
  constexpr int kLines = 5000;
  for (int i = 0; i < kLines; ++i) text += std::to_string(i) + "\n";
  testing::write_file(dir.file("in.csv"), text);
  auto file = std::make_unique<DelimitedFileReader<int64_t>>(
      DelimitedReaderOptions{.path = dir.file("in.csv"), .header_as_names = true, .save_state = false},
      [](const FieldSet& fs) { return fs.read_long(0); });
  SynchronizedItemReader<int64_t> reader(std::move(file));
  ExecutionContext ctx;
  reader.open(ctx);
  auto got = drain<int64_t>(reader, 4);
  reader.update(ctx);
  reader.close();
  std::vector<int64_t> all;
  for (auto& part : got) all.insert(all.end(), part.begin(), part.end());
  std::sort(all.begin(), all.end());
  ASSERT_EQ(all.size(), static_cast<size_t>(kLines));
  for (int i = 0; i < kLines; ++i) ASSERT_EQ(all[static_cast<size_t>(i)], i);
  EXPECT_TRUE(ctx.empty()) << "save_state = false: the delegate saved nothing";
}

TEST(SynchronizedItemReaderTest, ForwardsTheStreamContractAndRestarts) {
  testing::EventLog log;
  struct StreamReader final : ItemReader<int>, testing::RecordingItemStream {
    using RecordingItemStream::RecordingItemStream;
    std::optional<int> read() override { return std::nullopt; }
  };
  SynchronizedItemReader<int> logged(std::make_unique<StreamReader>(log, "r"));
  ExecutionContext ctx;
  logged.open(ctx);
  logged.update(ctx);
  logged.close();
  EXPECT_THAT(log.events(), ElementsAre("open:r:none", "update:r:1", "close:r"));

  std::vector<int> items{1, 2, 3, 4, 5, 6, 7};
  testing::expect_reader_restart<SynchronizedItemReader<int>>(
      [&] { return std::make_unique<SynchronizedItemReader<int>>(std::make_unique<ListItemReader<int>>(items)); }, 3);
}

}  // namespace
}  // namespace cppbatch
