#include <gtest/gtest.h>

#include "compression_test_support.hpp"
#include "cppbatch/infrastructure/fixed_length_file_writer.hpp"
#include "cppbatch/infrastructure/fixed_length_tokenizer.hpp"
#include "cppbatch/infrastructure/flat_file_reader.hpp"
#include "cppbatch/infrastructure/record.hpp"

namespace cppbatch {
namespace {

using testing::read_file;
using testing::ScratchDir;
using testing::write_file;

const std::string kSamples = std::string(CPPBATCH_REFERENCE_DATA) + "/spring-batch-samples";

struct Trade {
  std::string isin;
  int64_t quantity = 0;
  double price = 0;
  std::string customer;
  bool operator==(const Trade&) const = default;
};

Trade map_trade(const FieldSet& fs) {
  return {std::string(fs.read_string("isin")), fs.read_long("quantity"), fs.read_double("price"),
          std::string(fs.read_string("customer"))};
}

std::unique_ptr<FixedLengthTokenizer> trade_tokenizer(bool strict = true) {
  return std::make_unique<FixedLengthTokenizer>(
      FixedLengthTokenizerOptions{.columns = parse_column_ranges("1-12, 13-15, 16-20, 21-29"),
                                  .names = {"isin", "quantity", "price", "customer"},
                                  .strict = strict});
}

TEST(ColumnRangesTest, ParsesSpringSyntax) {
  EXPECT_EQ(parse_column_ranges("1-12, 13-15, 16-20, 21-29"),
            (std::vector<ColumnRange>{{1, 12}, {13, 15}, {16, 20}, {21, 29}}));
  EXPECT_EQ(parse_column_ranges("1-9,10-11,30-"),
            (std::vector<ColumnRange>{{1, 9}, {10, 11}, {30, 0}}));
  // A start alone ends before the next start; last one open-ended.
  EXPECT_EQ(parse_column_ranges("1, 5 ,9"), (std::vector<ColumnRange>{{1, 4}, {5, 8}, {9, 0}}));
  EXPECT_THROW(parse_column_ranges("1-12, 16-13"), std::invalid_argument);
  EXPECT_THROW(parse_column_ranges("0-3"), std::invalid_argument);
  EXPECT_THROW(parse_column_ranges("1-x"), std::invalid_argument);
  EXPECT_THROW(parse_column_ranges(""), std::invalid_argument);
  try {
    parse_column_ranges("1-4, 9-7");
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "column range '9-7': end before start");
  }
  // Open-ended only last.
  EXPECT_THROW(FixedLengthTokenizer({.columns = {{1, 0}, {5, 9}}}), std::invalid_argument);
  EXPECT_THROW(FixedLengthTokenizer({.columns = {{1, 4}}, .names = {"a", "b"}}), std::invalid_argument);
}

TEST(FixedLengthReaderTest, ReadsSpringsFixedLengthSample) {
  // fixedLength ioSampleJob: name = columns 1-9, credit = 10-11; last line has no newline.
  FlatFileReader<std::pair<std::string, int64_t>> reader(
      {.path = kSamples + "/fixedLength/fixedLength.txt"},
      std::make_unique<FixedLengthTokenizer>(FixedLengthTokenizerOptions{
          .columns = parse_column_ranges("1-9, 10-11"), .names = {"name", "credit"}}),
      [](const FieldSet& fs) {
        return std::pair(std::string(fs.read_string("name")), fs.read_long("credit"));
      });
  ExecutionContext ctx;
  reader.open(ctx);
  std::vector<std::pair<std::string, int64_t>> got;
  while (auto item = reader.read()) got.push_back(*item);
  ASSERT_EQ(got.size(), 6u);
  EXPECT_EQ(got[0], std::pair(std::string("customer1"), int64_t{10}));
  EXPECT_EQ(got[5], std::pair(std::string("customer6"), int64_t{60}));
}

TEST(FixedLengthReaderTest, ReadsTradesAndRestartsExactly) {
  const std::string path = kSamples + "/restartFail/ImportTradeDataStep.txt";
  FlatFileReader<Trade> reader({.path = path}, trade_tokenizer(), map_trade);
  ExecutionContext ctx;
  reader.open(ctx);
  auto first = reader.read();
  ASSERT_TRUE(first);
  EXPECT_EQ(*first, (Trade{"UK21341EAH45", 978, 98.34, "customer1"}));
  std::function<std::unique_ptr<FlatFileReader<Trade>>()> make = [&] {
    return std::make_unique<FlatFileReader<Trade>>(FlatFileReaderOptions{.path = path},
                                                   trade_tokenizer(), map_trade);
  };
  for (size_t k : {0u, 1u, 3u}) testing::expect_reader_restart<FlatFileReader<Trade>>(make, k, 1);
}

TEST(FixedLengthReaderTest, StrictLengthErrorsCarryFileLineColumnAndRawLine) {
  ScratchDir dir;
  const std::string path = dir.file("t.txt");
  write_file(path,
             "UK21341EAH4597898.34customer1\n"
             "UK21341EAH4611218.12cust\n"            // short
             "UK21341EAH4724512.78customer2XX\n"    // long
             "UK21341EAH47245x2.78customer2\n"      // bad number
             "UK21341EAH4810819.25customer3\n");
  FlatFileReader<Trade> reader({.path = path}, trade_tokenizer(), map_trade);
  ExecutionContext ctx;
  reader.open(ctx);
  ASSERT_TRUE(reader.read());
  std::vector<std::string> errors;
  for (int i = 0; i < 3; ++i) {
    try {
      reader.read();
      ADD_FAILURE() << "no error at " << i;
    } catch (const ParseError& e) {
      EXPECT_EQ(e.resource(), path);
      errors.push_back(std::to_string(e.line()) + ":" + std::to_string(e.column()) + ":" + e.field() +
                       ":" + e.reason() + "|" + e.raw_line());
    }
  }
  EXPECT_EQ(errors[0],
            "2:25::line is 24 bytes, shorter than the 29 the columns need|UK21341EAH4611218.12cust");
  EXPECT_EQ(errors[1],
            "3:30::line is 31 bytes, longer than the 29 the columns need|UK21341EAH4724512.78customer2XX");
  EXPECT_EQ(errors[2], "4:16:price:'x2.78' is not a number|UK21341EAH47245x2.78customer2");
  auto last = reader.read();  // reading goes on after bad lines
  ASSERT_TRUE(last);
  EXPECT_EQ(last->customer, "customer3");
  EXPECT_FALSE(reader.read());
}

TEST(FixedLengthReaderTest, LenientLinesGiveCutOrEmptyValuesAndOpenEndedColumn) {
  ScratchDir dir;
  const std::string path = dir.file("t.txt.gz");
  testing::write_gzip(path, "ab  12  rest of line\nxy\n\n# comment\ncd  34\n");
  FlatFileRecordReader records(
      {.path = path, .comment_prefixes = {"#"}},
      std::make_unique<FixedLengthTokenizer>(FixedLengthTokenizerOptions{
          .columns = parse_column_ranges("1-4, 5-8, 9-"), .strict = false}));
  ExecutionContext ctx;
  records.open(ctx);
  std::vector<std::vector<std::string>> rows;
  std::vector<int64_t> lines;
  while (const FieldSet* fs = records.next()) {
    rows.emplace_back(fs->values().begin(), fs->values().end());
    lines.push_back(fs->line_number());
  }
  EXPECT_EQ(rows, (std::vector<std::vector<std::string>>{
                      {"ab", "12", "rest of line"}, {"xy", "", ""}, {"cd", "34", ""}}));
  EXPECT_EQ(lines, (std::vector<int64_t>{1, 2, 5}));
}

TEST(FixedLengthReaderTest, MapsToRecordsByName) {
  FlatFileReader<Record> reader({.path = kSamples + "/restartFail/ImportTradeDataStep.txt"},
                                trade_tokenizer(), RecordMapper());
  ExecutionContext ctx;
  reader.open(ctx);
  auto r = reader.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->get_string("isin"), "UK21341EAH45");
  EXPECT_EQ(r->get_long("quantity"), 978);
  EXPECT_DOUBLE_EQ(r->get_double("price"), 98.34);
}

// ---- writer ----------------------------------------------------------------

const std::vector<FixedColumn> kTradeColumns = {
    {"isin", 12}, {"quantity", 5, Align::RIGHT, '0'}, {"price", 8, Align::RIGHT}, {"customer", 10}};

void format_trade(const Trade& t, FixedLengthFieldWriter& out) {
  out.write(t.isin);
  out.write(t.quantity);
  out.write_fixed(t.price, 2);
  out.write(t.customer);
}

std::vector<Trade> trades(int from, int to) {
  std::vector<Trade> out;
  for (int i = from; i < to; ++i) {
    out.push_back({"UK2134EAH" + std::to_string(100 + i), i % 3 == 0 ? -i : i * 10, i + 0.5,
                   "cust" + std::to_string(i)});
  }
  return out;
}

TEST(FixedLengthWriterTest, PadsAlignsAndWritesHeaderAndFooter) {
  ScratchDir dir;
  const std::string path = dir.file("out.txt");
  FixedLengthFileWriter<Trade> writer(
      {.path = path,
       .columns = kTradeColumns,
       .header = "HTRADES",
       .footer_callback = [](std::string& out, int64_t n) { out += "F" + std::to_string(n); }},
      format_trade);
  ExecutionContext ctx;
  writer.open(ctx);
  writer.write(Chunk<Trade>(trades(1, 4)));
  writer.update(ctx);
  writer.close();
  EXPECT_EQ(read_file(path),
            "HTRADES\n"
            "UK2134EAH10100010    1.50cust1     \n"
            "UK2134EAH10200020    2.50cust2     \n"
            "UK2134EAH103-0003    3.50cust3     \n"
            "F3\n");
}

TEST(FixedLengthWriterTest, AValueTooWideIsAClearErrorAndWritesNothingOfTheChunk) {
  ScratchDir dir;
  const std::string path = dir.file("out.txt");
  FixedLengthFileWriter<Trade> writer({.path = path, .columns = kTradeColumns}, format_trade);
  ExecutionContext ctx;
  writer.open(ctx);
  auto items = trades(1, 4);
  items[1].customer = "customer-too-long";
  try {
    writer.write(Chunk<Trade>(items));
    FAIL() << "no error";
  } catch (const FixedLengthFormatError& e) {
    EXPECT_STREQ(e.what(),
                 "writer 'fixedLengthWriter': item 2 of the chunk: column 'customer' (#4, width 10): "
                 "'customer-too-long' is 17 bytes, wider than the column");
    EXPECT_EQ(e.column(), "customer");
    EXPECT_EQ(e.width(), 10u);
  }
  EXPECT_EQ(read_file(path), "");
  // Too few values is an error too.
  FixedLengthFileWriter<Trade> partial({.path = dir.file("p.txt"), .columns = kTradeColumns},
                                       [](const Trade& t, FixedLengthFieldWriter& out) { out.write(t.isin); });
  ExecutionContext partial_ctx;
  partial.open(partial_ctx);
  EXPECT_THROW(partial.write(Chunk<Trade>(trades(1, 2))), FixedLengthFormatError);
}

TEST(FixedLengthWriterTest, RecordsRoundTripThroughColumnsByName) {
  ScratchDir dir;
  const std::string path = dir.file("out.txt");
  auto layout = make_record_layout({"customer", "isin", "quantity", "price"});
  std::vector<Record> records;
  for (const Trade& t : trades(1, 3)) {
    records.emplace_back(layout, std::vector<Value>{t.customer, t.isin, t.quantity, t.price});
  }
  FixedLengthFileWriter<Record> writer(
      {.path = path, .columns = {{"isin", 12}, {"quantity", 5}, {"price", 5}, {"customer", 9}}},
      [](const Record& r, FixedLengthFieldWriter& out) { write_record(r, out); });
  ExecutionContext ctx;
  writer.open(ctx);
  writer.write(Chunk<Record>(records));
  writer.update(ctx);
  writer.close();
  EXPECT_EQ(read_file(path), "UK2134EAH10110   1.5  cust1    \nUK2134EAH10220   2.5  cust2    \n");
  FlatFileReader<Record> reader(
      {.path = path},
      std::make_unique<FixedLengthTokenizer>(FixedLengthTokenizerOptions{
          .columns = parse_column_ranges("1-12,13-17,18-22,23-31"),
          .names = {"isin", "quantity", "price", "customer"}}),
      RecordMapper());
  ExecutionContext rctx;
  reader.open(rctx);
  auto r = reader.read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->get_long("quantity"), 10);
  EXPECT_EQ(r->get_string("customer"), "cust1");
}


TEST(FixedLengthReaderTest, DeducedMapperFormReadsTheSameItemsAndReportsTheSameErrors) {
  ScratchDir dir;
  const std::string path = dir.file("t.txt");
  write_file(path,
             "UK21341EAH4597898.34customer1\n"
             "UK21341EAH47245x2.78customer2\n"  // bad number
             "UK21341EAH4810819.25customer3\n");
  auto map = [](const FieldSet& fs) { return map_trade(fs); };
  FlatFileReader reader({.path = path}, trade_tokenizer(), map);
  static_assert(std::is_same_v<decltype(reader), FlatFileReader<Trade, decltype(map)>>);
  ExecutionContext ctx;
  reader.open(ctx);
  EXPECT_EQ(reader.read(), (Trade{"UK21341EAH45", 978, 98.34, "customer1"}));
  try {
    reader.read();
    ADD_FAILURE() << "no error";
  } catch (const ParseError& e) {
    EXPECT_EQ(e.line(), 2);
    EXPECT_EQ(e.column(), 16);
    EXPECT_EQ(e.field(), "price");
  }
  EXPECT_EQ(reader.read()->customer, "customer3");
  EXPECT_FALSE(reader.read());

  // A plain function deduces a function pointer; a null one is refused.
  FlatFileReader by_function({.path = path}, trade_tokenizer(), map_trade);
  static_assert(std::is_same_v<decltype(by_function), FlatFileReader<Trade, Trade (*)(const FieldSet&)>>);
  using Pointer = Trade (*)(const FieldSet&);
  using ByPointer = FlatFileReader<Trade, Pointer>;
  EXPECT_THROW(ByPointer({.path = path}, trade_tokenizer(), Pointer{}), std::invalid_argument);
  EXPECT_THROW(FlatFileReader<Trade>({.path = path}, trade_tokenizer(), nullptr), std::invalid_argument);
}

TEST(FixedLengthReaderTest, MapperExceptionsAreWrappedInTheDeducedForm) {
  ScratchDir dir;
  const std::string path = dir.file("t.txt");
  write_file(path, "UK21341EAH4597898.34customer1\n");
  FlatFileReader reader({.path = path}, trade_tokenizer(), [](const FieldSet&) -> int {
    throw std::runtime_error("no");
  });
  ExecutionContext ctx;
  reader.open(ctx);
  try {
    reader.read();
    ADD_FAILURE() << "no error";
  } catch (const ParseError& e) {
    EXPECT_EQ(e.line(), 1);
    EXPECT_EQ(e.reason(), "mapping failed: no");
  }
}

}  // namespace
}  // namespace cppbatch
