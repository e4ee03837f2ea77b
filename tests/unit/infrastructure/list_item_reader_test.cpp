#include "cppbatch/infrastructure/list_item_reader.hpp"

#include <gtest/gtest.h>

#include "io_test_support.hpp"

namespace cppbatch {
namespace {

TEST(ListItemReaderTest, ReadsInOrderThenEnds) {
  ListItemReader<std::string> reader({"a", "b"});
  EXPECT_EQ(reader.read(), "a");
  EXPECT_EQ(reader.read(), "b");
  EXPECT_FALSE(reader.read().has_value());
  EXPECT_FALSE(reader.read().has_value());
}

TEST(ListItemReaderTest, RestartContinuesAtNextItem) {
  std::vector<int> items(50);
  for (int i = 0; i < 50; ++i) items[static_cast<size_t>(i)] = i * i;
  auto make = [&] { return std::make_unique<ListItemReader<int>>(items, "numbers"); };
  for (size_t k : {size_t{0}, size_t{7}, size_t{45}}) {
    testing::expect_reader_restart<ListItemReader<int>>(make, k);
  }
  ListItemReader<int> reader(items, "numbers");
  ExecutionContext ctx;
  reader.read();
  reader.update(ctx);
  EXPECT_EQ(ctx.get_long("numbers.index"), 1);
}

TEST(ListItemReaderTest, MoveOnlyItems) {
  std::vector<std::unique_ptr<int>> items;
  items.push_back(std::make_unique<int>(5));
  ListItemReader<std::unique_ptr<int>> reader(std::move(items));
  auto first = reader.read();
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(**first, 5);
  EXPECT_FALSE(reader.read().has_value());
}

}  // namespace
}  // namespace cppbatch
