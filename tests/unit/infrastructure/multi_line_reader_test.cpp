#include "cppbatch/infrastructure/multi_line_reader.hpp"

#include <gtest/gtest.h>

#include "compression_test_support.hpp"
#include "cppbatch/infrastructure/delimited_line_tokenizer.hpp"
#include "cppbatch/infrastructure/delimited_record_reader.hpp"
#include "cppbatch/infrastructure/flat_file_record_reader.hpp"
#include "cppbatch/infrastructure/pattern_matching_line_tokenizer.hpp"
#include "cppbatch/infrastructure/record.hpp"

namespace cppbatch {
namespace {

using testing::ScratchDir;
using testing::write_file;

const std::string kSamples = std::string(CPPBATCH_REFERENCE_DATA) + "/spring-batch-samples";

// ---- BEGIN / INFO / AMNT / END (Spring's multiline sample) ------------------

struct Trade {
  std::string isin;
  std::string customer;
  int64_t quantity = 0;
  double price = 0;
  bool operator==(const Trade&) const = default;
};

LineAction fold_trade(std::optional<Trade>& trade, const FieldSet& line) {
  std::string_view tag = line.read_string(0);
  if (tag == "BEGIN") {
    if (trade) line.fail(0, "BEGIN inside a record (END missing?)");
    trade.emplace();
    return LineAction::CONTINUE;
  }
  if (!trade) line.fail(0, "expected BEGIN");
  if (tag == "INFO") {
    trade->isin = line.read_string(1);
    trade->customer = line.read_string(2);
  } else if (tag == "AMNT") {
    trade->quantity = line.read_long(1);
    trade->price = line.read_double(2);
  } else if (tag == "END") {
    return LineAction::COMPLETE;
  } else {
    line.fail(0, "unknown line type");
  }
  return LineAction::CONTINUE;
}

std::unique_ptr<MultiLineReader<Trade>> trade_reader(const std::string& path) {
  return std::make_unique<MultiLineReader<Trade>>(
      std::make_unique<DelimitedRecordReader>(DelimitedReaderOptions{.path = path, .name = "lines"}),
      fold_trade, MultiLineReaderOptions{.name = "trades"});
}

TEST(MultiLineReaderTest, ReadsSpringsMultiLineSample) {
  auto reader = trade_reader(kSamples + "/multiline/multiLine.txt");
  ExecutionContext ctx;
  reader->open(ctx);
  std::vector<Trade> trades;
  while (auto t = reader->read()) trades.push_back(*t);
  ASSERT_EQ(trades.size(), 6u);
  EXPECT_EQ(trades[0], (Trade{"UK21341EAH45", "customer1", 978, 98.34}));
  EXPECT_EQ(trades[5], (Trade{"UK21341EAH50", "customer6", 234, 32.45}));
  reader->update(ctx);
  EXPECT_EQ(ctx.get_long("trades.read.count"), 6);
  EXPECT_EQ(ctx.get_long("lines.offset"), 320);
}

TEST(MultiLineReaderTest, RestartResumesAtTheStartOfTheNextUnfinishedRecord) {
  const std::string path = kSamples + "/multiline/multiLine.txt";
  std::function<std::unique_ptr<MultiLineReader<Trade>>()> make = [&] { return trade_reader(path); };
  for (size_t k : {0u, 1u, 4u, 5u}) testing::expect_reader_restart<MultiLineReader<Trade>>(make, k, 1);
  // The committed position is the end of the last complete record, never inside one.
  auto reader = trade_reader(path);
  ExecutionContext ctx;
  reader->open(ctx);
  reader->read();
  reader->update(ctx);
  EXPECT_EQ(ctx.get_long("lines.line"), 4);
  EXPECT_EQ(ctx.get_long("lines.offset"), 53);  // "BEGIN\n" + 2 data lines + "END\n"
}

TEST(MultiLineReaderTest, IncompleteRecordAtTheEndIsAParseErrorAtItsFirstLine) {
  ScratchDir dir;
  write_file(dir.file("in.txt"), "BEGIN\nINFO,A,c1\nAMNT,1,2\nEND\nBEGIN\nINFO,B,c2\n");
  auto reader = trade_reader(dir.file("in.txt"));
  ExecutionContext ctx;
  reader->open(ctx);
  ASSERT_TRUE(reader->read());
  try {
    reader->read();
    FAIL() << "no error";
  } catch (const ParseError& e) {
    EXPECT_EQ(e.line(), 5);
    EXPECT_EQ(e.resource(), dir.file("in.txt"));
    EXPECT_EQ(e.raw_line(), "BEGIN");
    EXPECT_NE(e.reason().find("ends inside a multi-line record"), std::string::npos);
  }
  // A bad line inside a record: located at that line; the record is abandoned.
  write_file(dir.file("bad.txt"), "BEGIN\nINFO,A,c1\nAMNT,x,2\nEND\nBEGIN\nINFO,B,c2\nAMNT,3,4\nEND\n");
  auto bad = trade_reader(dir.file("bad.txt"));
  bad->open(ctx);
  try {
    bad->read();
    FAIL() << "no error";
  } catch (const ParseError& e) {
    EXPECT_EQ(e.line(), 3);
    EXPECT_EQ(e.field(), "#2");
    EXPECT_EQ(e.raw_line(), "AMNT,x,2");
  }
  EXPECT_THROW(bad->read(), ParseError);  // END with no record in progress
  auto next = bad->read();
  ASSERT_TRUE(next);
  EXPECT_EQ(next->isin, "B");
}

// ---- records without an end marker: COMPLETE_BEFORE ------------------------

struct Group {
  std::string key;
  std::vector<int64_t> values;
  bool operator==(const Group&) const = default;
};

std::unique_ptr<MultiLineReader<Group>> group_reader(const std::string& path) {
  return std::make_unique<MultiLineReader<Group>>(
      std::make_unique<DelimitedRecordReader>(DelimitedReaderOptions{.path = path, .delimiter = ' '}),
      [](std::optional<Group>& g, const FieldSet& line) {
        if (line.read_string(0) == "H") {
          if (g) return LineAction::COMPLETE_BEFORE;
          g.emplace(Group{std::string(line.read_string(1)), {}});
          return LineAction::CONTINUE;
        }
        if (!g) line.fail("a value before any H line");
        g->values.push_back(line.read_long(0));
        return LineAction::CONTINUE;
      },
      MultiLineReaderOptions{.complete_at_end = true});
}

TEST(MultiLineReaderTest, StartOnlyFormatsCompleteWhenTheNextStarts) {
  ScratchDir dir;
  std::string text;
  for (int g = 0; g < 40; ++g) {
    text += "H g" + std::to_string(g) + "\n";
    for (int v = 0; v < g % 5; ++v) text += std::to_string(g * 10 + v) + "\n";
  }
  testing::write_gzip(dir.file("groups.gz"), text);
  auto reader = group_reader(dir.file("groups.gz"));
  ExecutionContext ctx;
  reader->open(ctx);
  std::vector<Group> groups;
  while (auto g = reader->read()) groups.push_back(*g);
  ASSERT_EQ(groups.size(), 40u);
  EXPECT_EQ(groups[3], (Group{"g3", {30, 31, 32}}));
  EXPECT_EQ(groups[39], (Group{"g39", {390, 391, 392, 393}}));
  std::function<std::unique_ptr<MultiLineReader<Group>>()> make = [&] {
    return group_reader(dir.file("groups.gz"));
  };
  for (size_t k : {0u, 1u, 13u, 38u}) testing::expect_reader_restart<MultiLineReader<Group>>(make, k, 2);
}

// ---- HEA ... FOT orders through a pattern-matching tokenizer ----------------

struct Order {
  int64_t id = 0;
  std::string date;
  std::string customer;
  std::vector<std::string> items;
  double total = 0;
  bool operator==(const Order&) const = default;
};

std::unique_ptr<LineTokenizer> semicolon(std::vector<std::string> names) {
  return std::make_unique<DelimitedLineTokenizer>(
      DelimitedTokenizerOptions{.delimiter = ';', .names = std::move(names)});
}

std::unique_ptr<PatternMatchingLineTokenizer> order_tokenizer() {
  auto t = std::make_unique<PatternMatchingLineTokenizer>();
  t->add("HEA*", semicolon({"type", "id", "date"}))
      .add("NCU*", semicolon({"type", "last", "first", "middle", "registered", "reg_id", "vip"}))
      .add("BCU*", semicolon({"type", "company", "reg_id", "vip"}))
      .add("BAD*", semicolon({"type", "addressee", "line1", "line2", "city", "zip", "state", "country"}))
      .add("SAD*", semicolon({"type", "addressee", "line1", "line2", "city", "zip", "state", "country"}))
      .add("BIN*", semicolon({"type", "payment", "description"}))
      .add("LIT*", semicolon({"type", "item", "price", "discount_perc", "discount_amount", "shipping",
                              "handling", "quantity", "total"}))
      .add("SIN*", semicolon({"type", "shipper", "shipping_type", "info"}))
      .add("FOT*", semicolon({"type", "line_items", "items", "total"}));
  return t;
}

LineAction fold_order(std::optional<Order>& order, const FieldSet& line) {
  std::string_view type = line.read_string("type");
  if (type == "HEA") {
    order.emplace();
    order->id = line.read_long("id");
    order->date = line.read_string("date");
    return LineAction::CONTINUE;
  }
  if (!order) line.fail(0, "expected HEA");
  if (type == "NCU") {
    order->customer = std::string(line.read_string("first")) + " " + std::string(line.read_string("last"));
  } else if (type == "BCU") {
    order->customer = line.read_string("company");
  } else if (type == "LIT") {
    order->items.emplace_back(line.read_string("item"));
  } else if (type == "FOT") {
    if (line.read_long("line_items") != static_cast<int64_t>(order->items.size())) {
      line.fail(line.index_of("line_items").value(), "does not match the LIT lines of the order");
    }
    order->total = line.read_double("total");
    return LineAction::COMPLETE;
  }
  return LineAction::CONTINUE;
}

std::unique_ptr<MultiLineReader<Order>> order_reader(const std::string& path) {
  return std::make_unique<MultiLineReader<Order>>(
      std::make_unique<FlatFileRecordReader>(FlatFileReaderOptions{.path = path, .name = "orderLines"},
                                             order_tokenizer()),
      fold_order, MultiLineReaderOptions{.name = "orders"});
}

TEST(MultiLineReaderTest, ReadsSpringsMultilineOrderSampleWithAPatternMatchingTokenizer) {
  const std::string path = kSamples + "/patternMatching/multilineOrderInput.txt";
  auto reader = order_reader(path);
  ExecutionContext ctx;
  reader->open(ctx);
  std::vector<Order> orders;
  while (auto o = reader->read()) orders.push_back(*o);
  ASSERT_EQ(orders.size(), 2u);
  EXPECT_EQ(orders[0].id, 13100345);
  EXPECT_EQ(orders[0].customer, "Peter Smith");
  EXPECT_EQ(orders[0].items, (std::vector<std::string>{"1044391041", "2134776319"}));
  EXPECT_DOUBLE_EQ(orders[0].total, 267.34);
  EXPECT_EQ(orders[1].customer, "Acme Factory of England");
  EXPECT_EQ(orders[1].items.size(), 5u);
  EXPECT_DOUBLE_EQ(orders[1].total, 14043.74);
  std::function<std::unique_ptr<MultiLineReader<Order>>()> make = [&] { return order_reader(path); };
  testing::expect_reader_restart<MultiLineReader<Order>>(make, 1, 1);
}

TEST(PatternMatchingLineTokenizerTest, MostSpecificPatternWinsAndUnknownLinesAreErrors) {
  EXPECT_TRUE(matches_pattern("LIT*", "LIT;1;2"));
  EXPECT_TRUE(matches_pattern("*;end", "a;b;end"));
  EXPECT_TRUE(matches_pattern("A?C*", "ABCD"));
  EXPECT_FALSE(matches_pattern("A?C*", "ACD"));
  EXPECT_TRUE(matches_pattern("*", ""));
  PatternMatchingLineTokenizer t;
  t.add("*", semicolon({"any", "rest"}))
      .add("LIT*", semicolon({"type", "item"}))
      .add("LITX*", semicolon({"type", "special"}));
  FieldSet fs;
  t.tokenize("LITX;7", fs);
  EXPECT_EQ(t.last_pattern(), "LITX*");
  EXPECT_EQ(fs.read_string("special"), "7");
  t.tokenize("LIT;8", fs);
  EXPECT_EQ(fs.read_string("item"), "8");
  fs.clear_values();
  t.tokenize("XYZ;9", fs);
  EXPECT_EQ(t.last_pattern(), "*");
  EXPECT_EQ(fs.read_string("rest"), "9");
  EXPECT_THROW(t.add("LIT*", semicolon({})), std::invalid_argument);

  PatternMatchingLineTokenizer strict;
  strict.add("HEA*", semicolon({"type", "id"}));
  FieldSet located;
  located.set_location("orders.txt", 12, "FOO;1");
  try {
    strict.tokenize("FOO;1", located);
    FAIL() << "no error";
  } catch (const ParseError& e) {
    EXPECT_STREQ(e.what(), "orders.txt:12: no tokenizer pattern matches the line (patterns: HEA*) — line: FOO;1");
  }
  located.clear_values();
  located.set_location("orders.txt", 13, "HEA;1;extra");
  try {
    strict.tokenize("HEA;1;extra", located);
    FAIL() << "no error";
  } catch (const ParseError& e) {
    EXPECT_EQ(e.column(), 7);
    EXPECT_EQ(e.field(), "#3");
  }
}

TEST(MultiLineReaderTest, FoldsIntoRecords) {
  // Conversion to Record: the fold fills a generic record.
  auto reader = std::make_unique<MultiLineReader<Record>>(
      std::make_unique<DelimitedRecordReader>(
          DelimitedReaderOptions{.path = kSamples + "/multiline/multiLine.txt"}),
      [layout = make_record_layout({"isin", "customer", "quantity", "price"})](
          std::optional<Record>& r, const FieldSet& line) {
        std::string_view tag = line.read_string(0);
        if (tag == "BEGIN") {
          r.emplace(layout);
        } else if (tag == "INFO") {
          r->set("isin", std::string(line.read_string(1)));
          r->set("customer", std::string(line.read_string(2)));
        } else if (tag == "AMNT") {
          r->set("quantity", line.read_long(1));
          r->set("price", line.read_double(2));
        } else if (tag == "END") {
          return LineAction::COMPLETE;
        }
        return LineAction::CONTINUE;
      });
  ExecutionContext ctx;
  reader->open(ctx);
  auto r = reader->read();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->get_string("isin"), "UK21341EAH45");
  EXPECT_EQ(r->get_long("quantity"), 978);
}

}  // namespace
}  // namespace cppbatch
