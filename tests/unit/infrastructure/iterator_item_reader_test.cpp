#include "cppbatch/infrastructure/iterator_item_reader.hpp"

#include <gtest/gtest.h>

#include <list>
#include <sstream>
#include <string>
#include <vector>

#include "io_test_support.hpp"

namespace cppbatch {
namespace {

template <class Reader>
auto read_all(Reader& reader) {
  std::vector<typename Reader::item_type> out;
  while (auto item = reader.read()) out.push_back(*item);
  return out;
}

TEST(IteratorItemReaderTest, ReadsABorrowedRangeInOrder) {
  std::list<std::string> names{"a", "b", "c"};
  auto reader = make_iterator_reader(names.begin(), names.end());
  EXPECT_EQ(read_all(*reader), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_FALSE(reader->read().has_value()) << "end stays the end";
  EXPECT_EQ(reader->read_count(), 3);
}

TEST(IteratorItemReaderTest, OwnsAMovedInContainer) {
  auto reader = make_iterator_reader(std::vector<int>{4, 5, 6});
  EXPECT_EQ(read_all(*reader), (std::vector<int>{4, 5, 6}));
}

TEST(IteratorItemReaderTest, ForwardRangesRestartAfterTheCommittedCount) {
  std::vector<int> items{10, 11, 12, 13, 14, 15, 16, 17};
  testing::expect_reader_restart<IteratorItemReader<int, std::vector<int>::const_iterator>>(
      [&] { return make_iterator_reader(items.cbegin(), items.cend(), "it"); }, 5);
  testing::expect_reader_restart<OwningRangeItemReader<std::vector<int>>>(
      [&] { return make_iterator_reader(std::vector<int>(items)); }, 2);
}

TEST(IteratorItemReaderTest, SinglePassIteratorsAreReadButNotRewound) {
  std::istringstream in("1 2 3 4");
  using It = std::istream_iterator<int>;
  auto reader = make_iterator_reader(It(in), It());
  static_assert(!std::remove_reference_t<decltype(*reader)>::kRestartable);
  ExecutionContext ctx;
  EXPECT_EQ(reader->read(), std::optional<int>(1));
  reader->update(ctx);
  EXPECT_TRUE(ctx.empty()) << "no position is saved for a single-pass range";
  reader->open(ctx);
  EXPECT_EQ(read_all(*reader), (std::vector<int>{2, 3, 4}));
}

TEST(IteratorItemReaderTest, GeneratorFunctionEndsAtTheFirstEmptyResult) {
  auto reader = make_generator_reader<int>([n = 0]() mutable -> std::optional<int> {
    if (n >= 3) return std::nullopt;
    return n++;
  });
  EXPECT_EQ(read_all(*reader), (std::vector<int>{0, 1, 2}));
  EXPECT_FALSE(reader->read().has_value());
}

}  // namespace
}  // namespace cppbatch
