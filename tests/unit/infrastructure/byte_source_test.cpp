#include "cppbatch/infrastructure/byte_source.hpp"

#include <gtest/gtest.h>

#include "compression_test_support.hpp"
#include "cppbatch/infrastructure/delimited_file_reader.hpp"

namespace cppbatch {
namespace {

using testing::ScratchDir;
using testing::write_file;
using testing::write_gzip;
using testing::write_zstd;

std::string read_all(ByteSource& source, size_t piece = 7) {
  std::string out;
  std::vector<char> buf(piece);
  while (size_t n = source.read(buf.data(), buf.size())) out.append(buf.data(), n);
  return out;
}

// A text big enough to need many reads and several decompression windows.
std::string big_text(int lines) {
  std::string out;
  for (int i = 0; i < lines; ++i) {
    out += std::to_string(i) + ",name " + std::to_string(i * 7919 % 1000) + ",";
    out += std::string(static_cast<size_t>(i % 13), 'x') + "\n";
  }
  return out;
}

TEST(ByteSourceTest, DetectsTheFormatByMagicBytesNotByName) {
  ScratchDir dir;
  const std::string text = "a,b\n1,2\n";
  write_gzip(dir.file("gzip.txt"), text);          // gzip under a plain name
  write_zstd(dir.file("zstd.csv"), text);          // zstd under a plain name
  write_file(dir.file("plain.gz"), text);          // plain text under a .gz name
  auto gz = open_byte_source(dir.file("gzip.txt"));
  auto zst = open_byte_source(dir.file("zstd.csv"));
  auto plain = open_byte_source(dir.file("plain.gz"));
  EXPECT_EQ(gz->compression(), Compression::GZIP);
  EXPECT_EQ(zst->compression(), Compression::ZSTD);
  EXPECT_EQ(plain->compression(), Compression::NONE);
  EXPECT_EQ(read_all(*gz), text);
  EXPECT_EQ(read_all(*zst), text);
  EXPECT_EQ(read_all(*plain), text);
  EXPECT_EQ(plain->size(), static_cast<int64_t>(text.size()));
  EXPECT_FALSE(gz->size().has_value());
  // Forcing NONE reads the compressed bytes as they are.
  auto raw = open_byte_source(dir.file("gzip.txt"), Compression::NONE);
  EXPECT_NE(read_all(*raw), text);
}

TEST(ByteSourceTest, LargeAndMultiMemberInputsDecompressWhole) {
  ScratchDir dir;
  const std::string a = big_text(40000), b = big_text(500);
  write_gzip(dir.file("two.gz"), {a, b});
  write_zstd(dir.file("big.zst"), a + b);
  auto gz = open_byte_source(dir.file("two.gz"));
  auto zst = open_byte_source(dir.file("big.zst"));
  EXPECT_EQ(read_all(*gz, 65536), a + b);
  EXPECT_EQ(read_all(*zst, 1000), a + b);
  std::vector<char> more(8);
  EXPECT_EQ(gz->read(more.data(), more.size()), 0u) << "the end stays the end";
}

TEST(ByteSourceTest, SeekDecompressesToTheOffsetForwardAndBackward) {
  ScratchDir dir;
  const std::string text = big_text(20000);
  write_gzip(dir.file("t.gz"), text);
  write_zstd(dir.file("t.zst"), text);
  write_file(dir.file("t.txt"), text);
  for (const char* name : {"t.gz", "t.zst", "t.txt"}) {
    SCOPED_TRACE(name);
    auto source = open_byte_source(dir.file(name));
    char buf[16];
    ASSERT_EQ(source->seek(100000), 100000);
    ASSERT_EQ(source->read(buf, 10), 10u);
    EXPECT_EQ(std::string(buf, 10), text.substr(100000, 10));
    EXPECT_EQ(source->position(), 100010);
    ASSERT_EQ(source->seek(5), 5);  // backwards: starts over
    ASSERT_EQ(source->read(buf, 10), 10u);
    EXPECT_EQ(std::string(buf, 10), text.substr(5, 10));
    // Past the end: reports how far the input goes.
    EXPECT_EQ(source->seek(static_cast<int64_t>(text.size()) + 50), static_cast<int64_t>(text.size()));
    EXPECT_EQ(source->read(buf, 10), 0u);
  }
}

TEST(ByteSourceTest, TruncatedOrCorruptCompressedDataIsAnErrorNamingTheFile) {
  ScratchDir dir;
  const std::string text = big_text(5000);
  write_gzip(dir.file("t.gz"), text);
  write_zstd(dir.file("t.zst"), text);
  for (const char* name : {"t.gz", "t.zst"}) {
    SCOPED_TRACE(name);
    std::string bytes = testing::read_file(dir.file(name));
    write_file(dir.file(name), bytes.substr(0, bytes.size() / 2));
    auto source = open_byte_source(dir.file(name));
    try {
      read_all(*source, 4096);
      FAIL() << "no error";
    } catch (const std::runtime_error& e) {
      EXPECT_NE(std::string(e.what()).find(dir.file(name)), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("truncated"), std::string::npos) << e.what();
    }
    bytes[bytes.size() / 2] ^= 0x55;
    bytes[bytes.size() / 2 + 1] ^= 0x55;
    write_file(dir.file(name), bytes);
    auto corrupt = open_byte_source(dir.file(name));
    EXPECT_THROW(read_all(*corrupt, 4096), std::runtime_error);
  }
}

TEST(ByteSourceTest, MissingFileAndDirectoryFailToOpen) {
  ScratchDir dir;
  EXPECT_THROW(open_byte_source(dir.file("none.gz")), std::runtime_error);
  EXPECT_THROW(open_byte_source(dir.path().string()), std::runtime_error);
}

struct Row {
  int64_t id;
  std::string name;
  bool operator==(const Row&) const = default;
};

Row map_row(const FieldSet& fs) { return {fs.read_long(0), std::string(fs.read_string(1))}; }

TEST(CompressedDelimitedReaderTest, ReadsGzipAndZstdLikePlainText) {
  ScratchDir dir;
  const std::string text = "id,name\n" + big_text(30000);
  write_file(dir.file("in.csv"), text);
  write_gzip(dir.file("in.csv.gz"), text);
  write_zstd(dir.file("in.csv.zst"), text);
  auto read = [&](const std::string& path) {
    DelimitedFileReader<Row> reader({.path = path, .header_as_names = true, .strict = false}, map_row);
    ExecutionContext ctx;
    reader.open(ctx);
    std::vector<Row> rows;
    while (auto r = reader.read()) rows.push_back(*r);
    return rows;
  };
  auto plain = read(dir.file("in.csv"));
  ASSERT_EQ(plain.size(), 30000u);
  EXPECT_EQ(read(dir.file("in.csv.gz")), plain);
  EXPECT_EQ(read(dir.file("in.csv.zst")), plain);
}

TEST(CompressedDelimitedReaderTest, RestartResumesAtTheUncompressedOffset) {
  ScratchDir dir;
  const std::string text = "id,name\n" + big_text(30000);
  write_gzip(dir.file("in.gz"), text);
  write_zstd(dir.file("in.zst"), text);
  for (const char* name : {"in.gz", "in.zst"}) {
    SCOPED_TRACE(name);
    std::function<std::unique_ptr<DelimitedFileReader<Row>>()> make = [&] {
      return std::make_unique<DelimitedFileReader<Row>>(
          DelimitedReaderOptions{.path = dir.file(name), .header_as_names = true, .strict = false},
          map_row);
    };
    testing::expect_reader_restart<DelimitedFileReader<Row>>(make, 21000, 500);
  }
}

TEST(CompressedDelimitedReaderTest, RestartOffsetBeyondTheDecompressedSizeFails) {
  ScratchDir dir;
  write_gzip(dir.file("in.gz"), "1,a\n2,b\n");
  DelimitedRecordReader reader({.path = dir.file("in.gz"), .name = "r"});
  ExecutionContext ctx;
  ctx.put_long("r.offset", 1000);
  try {
    reader.open(ctx);
    FAIL() << "no error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("has 8 bytes (uncompressed) but the restart offset is 1000"),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace cppbatch
