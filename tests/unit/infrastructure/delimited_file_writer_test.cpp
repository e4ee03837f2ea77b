#include "cppbatch/infrastructure/delimited_file_writer.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "cppbatch/infrastructure/delimited_record_reader.hpp"
#include "io_test_support.hpp"

namespace cppbatch {
namespace {

using std::chrono::day;
using std::chrono::month;
using std::chrono::year;
using testing::read_file;
using testing::ScratchDir;
using testing::write_file;

template <class F>
std::string format_record(F&& fill, char delimiter = ',', char quote = '"') {
  std::string buffer;
  FieldWriter out(buffer, delimiter, quote);
  out.begin_record();
  fill(out);
  return buffer;
}

TEST(FieldWriterTest, QuotesOnlyWhenNeeded) {
  EXPECT_EQ(format_record([](FieldWriter& o) {
              o.write("plain");
              o.write("a,b");
              o.write("say \"hi\"");
              o.write("two\nlines");
              o.write("cr\r");
              o.write("");
              o.write(std::string("s p a c e"));
            }),
            "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\r\",,s p a c e");
  EXPECT_EQ(format_record([](FieldWriter& o) { o.write("a,b"); o.write("c|d"); }, '|'),
            "a,b|\"c|d\"");
  EXPECT_EQ(format_record([](FieldWriter& o) { o.write("a,b"); }, ',', '\0'), "a,b");
}

TEST(FieldWriterTest, Numbers) {
  EXPECT_EQ(format_record([](FieldWriter& o) {
              o.write(42);
              o.write(int64_t{-7});
              o.write(std::numeric_limits<int64_t>::min());
              o.write(std::numeric_limits<uint64_t>::max());
              o.write(static_cast<short>(3));
            }),
            "42,-7,-9223372036854775808,18446744073709551615,3");
  EXPECT_EQ(format_record([](FieldWriter& o) {
              o.write(0.1);
              o.write(1.0 / 3);
              o.write(1e300);
              o.write(-0.0);
              o.write(100.0);
              o.write(std::numeric_limits<double>::infinity());
              o.write(2.5f);
            }),
            "0.1,0.3333333333333333,1e+300,-0,100,inf,2.5");
  EXPECT_EQ(format_record([](FieldWriter& o) {
              o.write_fixed(2.5, 2);
              o.write_fixed(1.005, 1);
              o.write_fixed(-3.14159, 3);
              o.write_fixed(7, 0);
              o.write_fixed(1e20, 2);
            }),
            "2.50,1.0,-3.142,7,100000000000000000000.00");
}

TEST(FieldWriterTest, DatesBoolsEmptyAndRaw) {
  EXPECT_EQ(format_record([](FieldWriter& o) {
              o.write(Date{year{2026}, month{1}, day{2}});
              o.write(Date{year{987}, month{12}, day{31}});
              o.write(true);
              o.write(false);
              o.write_empty();
              o.write_raw("\"pre\",formatted");
            }),
            "2026-01-02,0987-12-31,true,false,,\"pre\",formatted");
}

struct Trade {
  std::string isin;
  int64_t quantity;
  double price;
  std::string customer;
};

std::vector<Trade> trades(int from, int to) {
  std::vector<Trade> out;
  for (int i = from; i < to; ++i) {
    out.push_back({"UK21341EAH" + std::to_string(i), i * 10, i + 0.25,
                   i % 4 == 0 ? "customer, \"" + std::to_string(i) + "\"" : "c" + std::to_string(i)});
  }
  return out;
}

void format_trade(const Trade& t, FieldWriter& out) {
  out.write(t.isin);
  out.write(t.quantity);
  out.write_fixed(t.price, 2);
  out.write(t.customer);
}

class DelimitedFileWriterTest : public ::testing::Test {
 protected:
  std::unique_ptr<DelimitedFileWriter<Trade>> make(DelimitedWriterOptions options = {}) {
    if (options.path.empty()) options.path = path_;
    return std::make_unique<DelimitedFileWriter<Trade>>(std::move(options), format_trade);
  }
  ScratchDir dir_;
  std::string path_ = dir_.file("out.csv");
};

TEST_F(DelimitedFileWriterTest, WritesChunksWithHeader) {
  auto writer = make({.header = "isin,quantity,price,customer"});
  ExecutionContext ctx;
  writer->open(ctx);
  writer->write(Chunk<Trade>(trades(3, 5)));
  writer->update(ctx);
  writer->close();
  EXPECT_EQ(read_file(path_),
            "isin,quantity,price,customer\n"
            "UK21341EAH3,30,3.25,c3\n"
            "UK21341EAH4,40,4.25,\"customer, \"\"4\"\"\"\n");
  EXPECT_EQ(ctx.get_long("delimitedWriter.offset"), static_cast<int64_t>(read_file(path_).size()));
  EXPECT_EQ(ctx.get_long("delimitedWriter.written"), 2);
}

TEST_F(DelimitedFileWriterTest, FreshStartTruncatesAnOldFile) {
  write_file(path_, "old content\n");
  auto writer = make({.line_separator = "\r\n"});
  ExecutionContext ctx;
  writer->open(ctx);
  writer->write(Chunk<Trade>(trades(1, 2)));
  writer->update(ctx);
  writer->close();
  EXPECT_EQ(read_file(path_), "UK21341EAH1,10,1.25,c1\r\n");
}

// The writer restart contract: chunk 1 committed, chunk 2 written but the
// process dies before its commit; the restarted writer cuts chunk 2's bytes
// and the re-run produces exactly the uninterrupted output.
TEST_F(DelimitedFileWriterTest, RestartTruncatesToTheLastCommittedChunk) {
  const DelimitedWriterOptions options{.path = path_, .name = "out", .header = "isin,qty,price,customer",
                                       .sync_on_commit = true};
  std::string uninterrupted;
  {
    ExecutionContext ctx;
    auto writer = make(options);
    writer->open(ctx);
    for (auto [from, to] : {std::pair{0, 10}, std::pair{10, 20}, std::pair{20, 25}}) {
      writer->write(Chunk<Trade>(trades(from, to)));
      writer->update(ctx);
    }
    writer->close();
    uninterrupted = read_file(path_);
  }
  ExecutionContext committed;
  std::string after_chunk1;
  {
    ExecutionContext ctx;
    auto writer = make(options);
    writer->open(ctx);
    writer->write(Chunk<Trade>(trades(0, 10)));
    writer->update(ctx);
    committed = testing::persisted(ctx);
    after_chunk1 = read_file(path_);
    writer->write(Chunk<Trade>(trades(10, 20)));  // never committed: crash
  }
  ASSERT_GT(read_file(path_).size(), after_chunk1.size());
  {
    auto writer = make(options);
    writer->open(committed);
    EXPECT_EQ(read_file(path_), after_chunk1) << "uncommitted bytes must disappear";
    writer->write(Chunk<Trade>(trades(10, 20)));
    writer->update(committed);
    writer->write(Chunk<Trade>(trades(20, 25)));
    writer->update(committed);
    writer->close();
  }
  EXPECT_EQ(read_file(path_), uninterrupted);
  EXPECT_EQ(committed.get_long("out.written"), 25);
  // The header appears once.
  EXPECT_EQ(uninterrupted.find("isin,qty"), 0u);
  EXPECT_EQ(uninterrupted.find("isin,qty", 1), std::string::npos);
}

TEST_F(DelimitedFileWriterTest, CrashBeforeTheFirstCommitRestartsAfterTheHeader) {
  // open() records the start in the context; an engine that saves it right
  // after open can undo a first chunk that never committed.
  ExecutionContext ctx;
  {
    auto writer = make({.header = "h"});
    writer->open(ctx);
    writer->write(Chunk<Trade>(trades(0, 3)));
  }
  auto writer = make({.header = "h"});
  writer->open(ctx);
  EXPECT_EQ(read_file(path_), "h\n");
}

TEST_F(DelimitedFileWriterTest, AppendModeKeepsContentAndWritesNoSecondHeader) {
  write_file(path_, "h\nexisting\n");
  ExecutionContext ctx;
  auto writer = make({.header = "h", .append = true});
  writer->open(ctx);
  writer->write(Chunk<Trade>(trades(1, 2)));
  writer->update(ctx);
  writer->close();
  EXPECT_EQ(read_file(path_), "h\nexisting\nUK21341EAH1,10,1.25,c1\n");
  EXPECT_EQ(ctx.get_long("delimitedWriter.written"), 1);

  // Appending to a new file writes the header.
  std::string fresh = dir_.file("fresh.csv");
  ExecutionContext ctx2;
  auto second = make({.path = fresh, .header = "h\n", .append = true});
  second->open(ctx2);
  second->write(Chunk<Trade>(trades(2, 3)));
  second->update(ctx2);
  second->close();
  EXPECT_EQ(read_file(fresh), "h\nUK21341EAH2,20,2.25,c2\n");
}

TEST_F(DelimitedFileWriterTest, AppendModeRestartCutsOnlyTheUncommittedPart) {
  write_file(path_, "before\n");
  ExecutionContext committed;
  {
    ExecutionContext ctx;
    auto writer = make({.append = true});
    writer->open(ctx);
    writer->write(Chunk<Trade>(trades(1, 2)));
    writer->update(ctx);
    committed = testing::persisted(ctx);
    writer->write(Chunk<Trade>(trades(2, 3)));
  }
  auto writer = make({.append = true});
  writer->open(committed);
  writer->close();
  EXPECT_EQ(read_file(path_), "before\nUK21341EAH1,10,1.25,c1\n");
}

TEST_F(DelimitedFileWriterTest, DiscardUncommittedUndoesARolledBackChunk) {
  ExecutionContext ctx;
  auto writer = make();
  writer->open(ctx);
  writer->write(Chunk<Trade>(trades(1, 2)));
  writer->update(ctx);
  writer->write(Chunk<Trade>(trades(2, 3)));
  writer->discard_uncommitted();
  writer->write(Chunk<Trade>(trades(3, 4)));
  writer->update(ctx);
  writer->close();
  EXPECT_EQ(read_file(path_), "UK21341EAH1,10,1.25,c1\nUK21341EAH3,30,3.25,c3\n");
  EXPECT_EQ(ctx.get_long("delimitedWriter.written"), 2);
}

TEST_F(DelimitedFileWriterTest, FormatterFailureWritesNothingOfTheChunk) {
  ExecutionContext ctx;
  DelimitedFileWriter<int> writer({.path = path_}, [](const int& v, FieldWriter& out) {
    if (v == 3) throw std::runtime_error("bad item");
    out.write(v);
  });
  writer.open(ctx);
  EXPECT_THROW(writer.write(Chunk<int>({1, 2, 3})), std::runtime_error);
  writer.write(Chunk<int>({1, 2}));
  writer.update(ctx);
  writer.close();
  EXPECT_EQ(read_file(path_), "1\n2\n");
}

TEST_F(DelimitedFileWriterTest, RestartErrors) {
  ExecutionContext ctx;
  ctx.put_long("delimitedWriter.offset", 10);
  auto missing = make();
  EXPECT_THROW(missing->open(ctx), std::runtime_error);  // the file is gone
  write_file(path_, "short");
  auto shorter = make();
  try {
    shorter->open(ctx);
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(path_), std::string::npos) << e.what();
  }
  auto nodir = make({.path = dir_.file("no/such/dir.csv")});
  ExecutionContext fresh;
  EXPECT_THROW(nodir->open(fresh), std::runtime_error);
}

TEST_F(DelimitedFileWriterTest, RoundTripsThroughTheReader) {
  std::vector<std::vector<std::string>> rows = {
      {"plain", "with,comma", "with \"quotes\""}, {"multi\nline", "", "cr\r\nlf"}, {" lead", "tail ", ","}};
  {
    ExecutionContext ctx;
    DelimitedFileWriter<std::vector<std::string>> writer(
        {.path = path_}, [](const std::vector<std::string>& row, FieldWriter& out) {
          for (const auto& v : row) out.write(v);
        });
    writer.open(ctx);
    writer.write(Chunk<std::vector<std::string>>(rows));
    writer.update(ctx);
    writer.close();
  }
  DelimitedRecordReader reader({.path = path_});
  ExecutionContext ctx;
  reader.open(ctx);
  std::vector<std::vector<std::string>> back;
  while (const FieldSet* fs = reader.next()) back.emplace_back(fs->values().begin(), fs->values().end());
  EXPECT_EQ(back, rows);
}

}  // namespace
}  // namespace cppbatch
