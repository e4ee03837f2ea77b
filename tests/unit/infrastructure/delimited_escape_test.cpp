// DelimitedRecordReader: the escape character and lenient (strict = false)
// column counts.
#include <gtest/gtest.h>

#include "cppbatch/infrastructure/delimited_file_reader.hpp"
#include "cppbatch/infrastructure/delimited_line_tokenizer.hpp"
#include "io_test_support.hpp"

namespace cppbatch {
namespace {

using testing::ScratchDir;
using testing::write_file;
using Row = std::vector<std::string>;

std::vector<Row> read_all(DelimitedReaderOptions options, std::vector<int64_t>* lines = nullptr) {
  DelimitedRecordReader reader(std::move(options));
  ExecutionContext ctx;
  reader.open(ctx);
  std::vector<Row> rows;
  while (const FieldSet* fs = reader.next()) {
    rows.emplace_back(fs->values().begin(), fs->values().end());
    if (lines != nullptr) lines->push_back(fs->line_number());
  }
  return rows;
}

TEST(DelimitedEscapeTest, EscapeMakesDelimiterQuoteItselfAndLineBreaksLiteral) {
  ScratchDir dir;
  const std::string path = dir.file("in.csv");
  write_file(path,
             "a\\,b,c\\\\d,plain\n"               // escaped delimiter and escape
             "\"q\\\"uote\",\"x\\\\y\",z\n"         // escapes inside quotes
             "two\\\nlines,\\n,end\r\n"            // escaped line break continues the record
             "last,\"\"\"\",\\\"\n");              // doubled quotes still work; escaped quote unquoted
  std::vector<int64_t> lines;
  auto rows = read_all({.path = path, .escape = '\\'}, &lines);
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0], (Row{"a,b", "c\\d", "plain"}));
  EXPECT_EQ(rows[1], (Row{"q\"uote", "x\\y", "z"}));
  EXPECT_EQ(rows[2], (Row{"two\nlines", "n", "end"}));
  EXPECT_EQ(rows[3], (Row{"last", "\"", "\""}));
  EXPECT_EQ(lines, (std::vector<int64_t>{1, 2, 3, 5}));
  // Without an escape character the backslash is data.
  auto raw = read_all({.path = path, .quote = '\0'});
  EXPECT_EQ(raw[0], (Row{"a\\", "b", "c\\\\d", "plain"}));
}

TEST(DelimitedEscapeTest, EscapeWithTrimAndColumnsAndErrors) {
  ScratchDir dir;
  const std::string path = dir.file("in.csv");
  write_file(path, " a\\;b ; c \nbad\\");
  DelimitedRecordReader reader({.path = path, .delimiter = ';', .escape = '\\', .trim = true});
  ExecutionContext ctx;
  reader.open(ctx);
  const FieldSet* fs = reader.next();
  ASSERT_NE(fs, nullptr);
  EXPECT_EQ(fs->read_string(0), "a;b");
  EXPECT_EQ(fs->read_string(1), "c");
  EXPECT_EQ(fs->column(1), 9);
  try {
    reader.next();
    FAIL() << "no error";
  } catch (const ParseError& e) {
    EXPECT_EQ(e.line(), 2);
    EXPECT_EQ(e.column(), 4);
    EXPECT_EQ(e.reason(), "escape character at the end of the input");
  }
  EXPECT_EQ(reader.next(), nullptr);
  EXPECT_THROW(DelimitedRecordReader({.path = path, .escape = ','}), std::invalid_argument);
  EXPECT_THROW(DelimitedRecordReader({.path = path, .escape = '"'}), std::invalid_argument);
  EXPECT_THROW(DelimitedRecordReader({.path = path, .escape = '\n'}), std::invalid_argument);
}

TEST(DelimitedEscapeTest, EscapedRecordsRestartExactly) {
  ScratchDir dir;
  const std::string path = dir.file("in.csv");
  std::string text;
  for (int i = 0; i < 2000; ++i) {
    text += std::to_string(i) + ",v\\," + std::to_string(i) + (i % 7 == 0 ? "\\\nmore" : "") + "\n";
  }
  write_file(path, text);
  std::function<std::unique_ptr<DelimitedFileReader<Row>>()> make = [&] {
    return std::make_unique<DelimitedFileReader<Row>>(
        DelimitedReaderOptions{.path = path, .escape = '\\', .buffer_size = 1},
        [](const FieldSet& fs) { return Row(fs.values().begin(), fs.values().end()); });
  };
  testing::expect_reader_restart<DelimitedFileReader<Row>>(make, 1234, 10);
  auto rows = read_all({.path = path, .escape = '\\'});
  EXPECT_EQ(rows[7], (Row{"7", "v,7\nmore"}));
}

TEST(DelimitedLenientTest, ShortRecordsArePaddedAndExtraFieldsKept) {
  ScratchDir dir;
  const std::string path = dir.file("in.csv");
  write_file(path, "id,name,city\n1,ann\n2,bob,rome,extra\n3\n");
  DelimitedRecordReader reader({.path = path, .header_as_names = true, .strict = false});
  ExecutionContext ctx;
  reader.open(ctx);
  const FieldSet* fs = reader.next();
  ASSERT_NE(fs, nullptr);
  EXPECT_EQ(fs->size(), 3u);
  EXPECT_EQ(fs->read_string("city"), "");
  EXPECT_TRUE(fs->is_blank("city"));
  EXPECT_EQ(fs->read_long("id", -1), 1);
  fs = reader.next();
  ASSERT_NE(fs, nullptr);
  EXPECT_EQ(fs->size(), 4u);
  EXPECT_EQ(fs->read_string("city"), "rome");
  EXPECT_EQ(fs->read_string(3), "extra");
  fs = reader.next();
  ASSERT_NE(fs, nullptr);
  EXPECT_EQ(fs->read_string("name"), "");
  EXPECT_EQ(fs->column(2), 2);  // padded values point at the end of the line
  EXPECT_EQ(reader.next(), nullptr);
  // Strict (the default) refuses the same file at its first short record.
  DelimitedRecordReader strict({.path = path, .header_as_names = true});
  strict.open(ctx);
  EXPECT_THROW(strict.next(), ParseError);
}

TEST(DelimitedLineTokenizerTest, SameSyntaxOnOneLine) {
  DelimitedLineTokenizer t({.delimiter = '|', .escape = '\\', .names = {"a", "b"}, .strict = false});
  FieldSet fs;
  fs.set_location("x.txt", 3, "\"p|q\"|r\\|s");
  t.tokenize("\"p|q\"|r\\|s", fs);
  EXPECT_EQ(fs.read_string("a"), "p|q");
  EXPECT_EQ(fs.read_string("b"), "r|s");
  fs.clear_values();
  t.tokenize("only", fs);
  EXPECT_EQ(fs.size(), 2u);
  fs.clear_values();
  fs.set_location("x.txt", 4, "\"open");
  try {
    t.tokenize("\"open", fs);
    FAIL() << "no error";
  } catch (const ParseError& e) {
    EXPECT_STREQ(e.what(), "x.txt:4:1: unterminated quoted field — line: \"open");
  }
}

}  // namespace
}  // namespace cppbatch
