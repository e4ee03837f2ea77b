#include <gtest/gtest.h>

#include <filesystem>

#include "compression_test_support.hpp"
#include "cppbatch/infrastructure/delimited_file_reader.hpp"
#include "cppbatch/infrastructure/delimited_file_writer.hpp"
#include "cppbatch/infrastructure/multi_resource_reader.hpp"
#include "cppbatch/infrastructure/multi_resource_writer.hpp"
#include "cppbatch/infrastructure/record.hpp"
#include "writer_restart_support.hpp"

namespace cppbatch {
namespace {

using testing::read_file;
using testing::ScratchDir;
using testing::write_file;

struct Item {
  std::string file;  // where it came from
  int64_t value = 0;
  bool operator==(const Item&) const = default;
};

std::unique_ptr<ItemReader<Item>> item_reader(const std::string& path) {
  return std::make_unique<DelimitedFileReader<Item>>(
      DelimitedReaderOptions{.path = path, .name = "part", .header_as_names = true},
      [](const FieldSet& fs) {
        return Item{std::filesystem::path(fs.resource()).filename().string(), fs.read_long("value")};
      });
}

class MultiResourceReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // Out of name order on purpose; one gzip file; a file the glob must skip.
    std::string c = "value\n", a = "value\n";
    for (int i = 0; i < 7; ++i) c += std::to_string(300 + i) + "\n";
    for (int i = 0; i < 5; ++i) a += std::to_string(100 + i) + "\n";
    write_file(dir_.file("part-c.csv"), c);
    write_file(dir_.file("part-a.csv"), a);
    testing::write_gzip(dir_.file("part-b.csv"), "value\n200\n201\n");
    write_file(dir_.file("part-e.csv"), "value\n");  // no records
    write_file(dir_.file("notes.txt"), "value\n999\n");
    std::filesystem::create_directory(dir_.file("part-d.csv"));  // a directory: skipped
  }
  std::unique_ptr<MultiResourceReader<Item>> make() {
    return std::make_unique<MultiResourceReader<Item>>(
        MultiResourceReaderOptions{.pattern = dir_.file("part-*.csv"), .name = "parts"}, item_reader);
  }
  ScratchDir dir_;
};

TEST_F(MultiResourceReaderTest, ReadsTheMatchingFilesInNameOrder) {
  auto reader = make();
  ExecutionContext ctx;
  reader->open(ctx);
  EXPECT_EQ(reader->resources().size(), 4u);
  std::vector<Item> items;
  while (auto item = reader->read()) items.push_back(*item);
  ASSERT_EQ(items.size(), 14u);
  EXPECT_EQ(items[0], (Item{"part-a.csv", 100}));
  EXPECT_EQ(items[5], (Item{"part-b.csv", 200}));
  EXPECT_EQ(items[7], (Item{"part-c.csv", 300}));
  EXPECT_EQ(items[13], (Item{"part-c.csv", 306}));
  EXPECT_EQ(reader->current_resource(), "");
  reader->close();
}

TEST_F(MultiResourceReaderTest, RestartResumesInTheRightFileAtTheRightLine) {
  std::function<std::unique_ptr<MultiResourceReader<Item>>()> make_reader = [&] { return make(); };
  for (size_t k : {0u, 2u, 5u, 6u, 7u, 10u, 13u}) {
    SCOPED_TRACE(k);
    testing::expect_reader_restart<MultiResourceReader<Item>>(make_reader, k, 4);
  }
  auto reader = make();
  ExecutionContext ctx;
  reader->open(ctx);
  for (int i = 0; i < 6; ++i) reader->read();
  reader->update(ctx);
  EXPECT_EQ(ctx.get_long("parts.resource.index"), 1);
  EXPECT_EQ(ctx.get_string("parts.resource"), dir_.file("part-b.csv"));
  EXPECT_EQ(ctx.get_long("part.line"), 2);  // the delegate's position in part-b.csv
}

TEST_F(MultiResourceReaderTest, ParseErrorsNameTheFileTheyCameFrom) {
  write_file(dir_.file("part-b.csv"), "value\n200\nxx\n202\n");
  auto reader = make();
  ExecutionContext ctx;
  reader->open(ctx);
  for (int i = 0; i < 6; ++i) reader->read();
  try {
    reader->read();
    FAIL() << "no error";
  } catch (const ParseError& e) {
    EXPECT_EQ(e.resource(), dir_.file("part-b.csv"));
    EXPECT_EQ(e.line(), 3);
    EXPECT_EQ(e.field(), "value");
  }
  EXPECT_EQ(reader->current_resource(), dir_.file("part-b.csv"));
  auto next = reader->read();
  ASSERT_TRUE(next);
  EXPECT_EQ(*next, (Item{"part-b.csv", 202}));
}

TEST_F(MultiResourceReaderTest, RestartRefusesAChangedFileSetAndNoMatchIsAnError) {
  auto reader = make();
  ExecutionContext ctx;
  reader->open(ctx);
  for (int i = 0; i < 6; ++i) reader->read();
  reader->update(ctx);
  reader->close();
  write_file(dir_.file("part-a2.csv"), "value\n1\n");  // shifts part-b to index 2
  auto again = make();
  EXPECT_THROW(again->open(ctx), std::runtime_error);

  MultiResourceReader<Item> none({.pattern = dir_.file("nothing-*.csv")}, item_reader);
  ExecutionContext empty;
  EXPECT_THROW(none.open(empty), std::runtime_error);
  MultiResourceReader<Item> lenient({.pattern = dir_.file("nothing-*.csv"), .strict = false}, item_reader);
  lenient.open(empty);
  EXPECT_FALSE(lenient.read());
}

TEST_F(MultiResourceReaderTest, ReadsRecordsFromAnExplicitList) {
  MultiResourceReader<Record> reader(
      {.paths = {dir_.file("part-c.csv"), dir_.file("part-a.csv")}}, [](const std::string& path) {
        return std::make_unique<DelimitedFileReader<Record>>(
            DelimitedReaderOptions{.path = path, .header_as_names = true}, RecordMapper());
      });
  ExecutionContext ctx;
  reader.open(ctx);
  auto first = reader.read();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->get_long("value"), 300);
  int n = 1;
  while (reader.read()) ++n;
  EXPECT_EQ(n, 12);
}

// ---- writer ---------------------------------------------------------------------

std::vector<Item> numbered(int n) {
  std::vector<Item> out;
  for (int i = 1; i <= n; ++i) out.push_back({"x", i});
  return out;
}

std::function<std::unique_ptr<MultiResourceWriter<Item>>()> writer_factory(const std::string& dir) {
  return [dir] {
    return std::make_unique<MultiResourceWriter<Item>>(
        MultiResourceWriterOptions{.path_pattern = dir + "/out-%03d.csv", .items_per_resource = 5},
        [](const std::string& path) {
          return std::make_unique<DelimitedFileWriter<Item>>(
              DelimitedWriterOptions{
                  .path = path,
                  .name = "part",
                  .header = "value",
                  .footer_callback = [](std::string& out, int64_t n) { out += "count " + std::to_string(n); }},
              [](const Item& item, FieldWriter& out) { out.write(item.value); });
        });
  };
}

std::vector<std::pair<std::string, std::string>> files_in(const std::filesystem::path& dir) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    out.emplace_back(entry.path().filename().string(), read_file(entry.path().string()));
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(MultiResourceWriterTest, RollsOverEveryNItemsSplittingChunks) {
  ScratchDir dir;
  testing::run_writer(writer_factory(dir.path().string()), numbered(23), 4);
  auto files = files_in(dir.path());
  ASSERT_EQ(files.size(), 5u);
  EXPECT_EQ(files[0], (std::pair<std::string, std::string>{"out-001.csv", "value\n1\n2\n3\n4\n5\ncount 5\n"}));
  EXPECT_EQ(files[1].second, "value\n6\n7\n8\n9\n10\ncount 5\n");
  EXPECT_EQ(files[4], (std::pair<std::string, std::string>{"out-005.csv", "value\n21\n22\n23\ncount 3\n"}));
}

TEST(MultiResourceWriterTest, RestartContinuesInTheCurrentFileTruncatedToItsCommittedOffset) {
  ScratchDir expected;
  testing::run_writer(writer_factory(expected.path().string()), numbered(23), 4);
  const auto want = files_in(expected.path());
  for (testing::Failure failure : {testing::Failure::CLOSE_WITHOUT_UPDATE, testing::Failure::CRASH}) {
    for (size_t k : {0u, 1u, 2u, 3u, 5u}) {
      SCOPED_TRACE(k);
      ScratchDir dir;
      testing::run_writer(writer_factory(dir.path().string()), numbered(23), 4, k, failure);
      EXPECT_EQ(files_in(dir.path()), want);
    }
  }
}

// A chunk rolled back in-process (retry, skip scan) and written again must
// leave the files as if it had been written once, also when it had moved on
// to later files before the rollback.
TEST(MultiResourceWriterTest, DiscardingARolledBackChunkLeavesTheFilesAsIfWrittenOnce) {
  ScratchDir expected;
  testing::run_writer(writer_factory(expected.path().string()), numbered(23), 4);
  const auto want = files_in(expected.path());

  ScratchDir dir;
  auto writer = writer_factory(dir.path().string())();
  ExecutionContext context;
  writer->open(context);
  const auto items = numbered(23);
  for (size_t start = 0; start < items.size(); start += 4) {
    Chunk<Item> chunk;
    for (size_t i = start; i < std::min(items.size(), start + 4); ++i) chunk.add(items[i]);
    writer->write(chunk);       // first attempt: rolled back
    writer->discard_uncommitted();
    if (start == 8) {            // twice for a chunk that crosses into file 3
      writer->write(chunk);
      writer->discard_uncommitted();
    }
    writer->write(chunk);       // the attempt that commits
    writer->update(context);
  }
  writer->close();
  EXPECT_EQ(files_in(dir.path()), want);
}

TEST(MultiResourceWriterTest, NamesFilesWithAPatternOrANamer) {
  EXPECT_EQ(numbered_file_name("out-%03d.csv", 7), "out-007.csv");
  EXPECT_EQ(numbered_file_name("out.%d", 12), "out.12");
  EXPECT_EQ(numbered_file_name("100%%-%d", 1), "100%-1");
  EXPECT_THROW(numbered_file_name("out.csv", 1), std::invalid_argument);
  EXPECT_THROW(numbered_file_name("%d-%d", 1), std::invalid_argument);
  EXPECT_THROW(numbered_file_name("%s", 1), std::invalid_argument);
  ScratchDir dir;
  MultiResourceWriter<Item> writer(
      {.resource_namer = [&](int64_t n) { return dir.file("part" + std::to_string(n) + ".txt"); },
       .items_per_resource = 2},
      [](const std::string& path) {
        return std::make_unique<DelimitedFileWriter<Item>>(
            DelimitedWriterOptions{.path = path},
            [](const Item& item, FieldWriter& out) { out.write(item.value); });
      });
  ExecutionContext ctx;
  writer.open(ctx);
  writer.write(Chunk<Item>(numbered(3)));
  writer.update(ctx);
  writer.close();
  EXPECT_EQ(read_file(dir.file("part1.txt")), "1\n2\n");
  EXPECT_EQ(read_file(dir.file("part2.txt")), "3\n");
  EXPECT_EQ(ctx.get_long("multiResourceWriter.resource.index"), 2);
  EXPECT_EQ(ctx.get_long("multiResourceWriter.resource.items"), 1);
}

}  // namespace
}  // namespace cppbatch
