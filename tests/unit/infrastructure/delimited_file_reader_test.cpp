#include "cppbatch/infrastructure/delimited_file_reader.hpp"

#include <gtest/gtest.h>

#include <numeric>
#include <random>

#include "io_test_support.hpp"

namespace cppbatch {
namespace {

using testing::ScratchDir;
using testing::write_file;
using Row = std::vector<std::string>;

const std::string kSamples = std::string(CPPBATCH_REFERENCE_DATA) + "/spring-batch-samples";

Row to_row(const FieldSet& fs) { return Row(fs.values().begin(), fs.values().end()); }

// Every record of `path` as strings, plus the line number of each.
std::vector<Row> read_all(DelimitedReaderOptions options, std::vector<int64_t>* lines = nullptr) {
  DelimitedRecordReader reader(std::move(options));
  ExecutionContext ctx;
  reader.open(ctx);
  std::vector<Row> rows;
  while (const FieldSet* fs = reader.next()) {
    rows.push_back(to_row(*fs));
    if (lines != nullptr) lines->push_back(fs->line_number());
  }
  reader.close();
  return rows;
}

class DelimitedFileReaderTest : public ::testing::Test {
 protected:
  std::string file(const std::string& content, const std::string& name = "in.csv") {
    std::string path = dir_.file(name);
    write_file(path, content);
    return path;
  }
  ScratchDir dir_;
};

TEST_F(DelimitedFileReaderTest, SplitsPlainRecords) {
  std::vector<int64_t> lines;
  auto rows = read_all({.path = file("a,b,c\n1,,3\n,,\n")}, &lines);
  EXPECT_EQ(rows, (std::vector<Row>{{"a", "b", "c"}, {"1", "", "3"}, {"", "", ""}}));
  EXPECT_EQ(lines, (std::vector<int64_t>{1, 2, 3}));
}

TEST_F(DelimitedFileReaderTest, QuotedFieldsPerRfc4180) {
  std::string content =
      "\"a,b\",\"say \"\"hi\"\"\",plain\n"
      "\"two\nlines\",\"\",x\n"
      "\"\"\"\",\"\"\"q\"\"\",\"crlf\r\ninside\"\r\n"
      "last,\"one\"\n";
  std::vector<int64_t> lines;
  auto rows = read_all({.path = file(content)}, &lines);
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0], (Row{"a,b", "say \"hi\"", "plain"}));
  EXPECT_EQ(rows[1], (Row{"two\nlines", "", "x"}));
  EXPECT_EQ(rows[2], (Row{"\"", "\"q\"", "crlf\r\ninside"}));
  EXPECT_EQ(rows[3], (Row{"last", "one"}));
  // Records spanning lines start where they start; numbering continues.
  EXPECT_EQ(lines, (std::vector<int64_t>{1, 2, 4, 6}));
}

TEST_F(DelimitedFileReaderTest, CrlfAndMissingFinalNewline) {
  EXPECT_EQ(read_all({.path = file("a,b\r\nc,d\r\ne,f")}),
            (std::vector<Row>{{"a", "b"}, {"c", "d"}, {"e", "f"}}));
  EXPECT_EQ(read_all({.path = file("a,\"b\"\r\n\"c\",\"d\"")}),
            (std::vector<Row>{{"a", "b"}, {"c", "d"}}));
  EXPECT_EQ(read_all({.path = file("x\r")}), (std::vector<Row>{{"x"}}));
  EXPECT_TRUE(read_all({.path = file("")}).empty());
}

TEST_F(DelimitedFileReaderTest, SkipsEmptyLinesCommentsAndLeadingLines) {
  std::string content = "report v1\ngenerated today\n\n# comment\nid;name\n\n1;a\r\n\r\n// x\n2;b\n";
  std::vector<int64_t> lines;
  auto rows = read_all({.path = file(content),
                        .delimiter = ';',
                        .lines_to_skip = 2,
                        .header_as_names = true,
                        .comment_prefixes = {"#", "//"}},
                       &lines);
  EXPECT_EQ(rows, (std::vector<Row>{{"1", "a"}, {"2", "b"}}));
  EXPECT_EQ(lines, (std::vector<int64_t>{7, 10}));
}

TEST_F(DelimitedFileReaderTest, HeaderGivesNamesAndBomIsSkipped) {
  DelimitedFileReader<std::pair<std::string, int64_t>> reader(
      {.path = file("\xEF\xBB\xBF" "name , credit\ncustomer1,10\n"), .header_as_names = true},
      [](const FieldSet& fs) {
        return std::pair(std::string(fs.read_string("name")), fs.read_long("credit"));
      });
  ExecutionContext ctx;
  reader.open(ctx);
  EXPECT_EQ(reader.records().names().list(), (std::vector<std::string>{"name", "credit"}));
  auto item = reader.read();
  ASSERT_TRUE(item.has_value());
  EXPECT_EQ(*item, std::pair(std::string("customer1"), int64_t{10}));
  EXPECT_FALSE(reader.read().has_value());
}

TEST_F(DelimitedFileReaderTest, TrimAndAlternativeQuote) {
  auto rows = read_all({.path = file("  a  |  'b|c'  | d\t\n"), .delimiter = '|', .quote = '\'',
                        .trim = true});
  EXPECT_EQ(rows, (std::vector<Row>{{"a", "b|c", "d"}}));
  auto unquoted = read_all({.path = file("\"a\",b\n"), .quote = '\0'});
  EXPECT_EQ(unquoted, (std::vector<Row>{{"\"a\"", "b"}}));
}

TEST_F(DelimitedFileReaderTest, StrictColumnCountErrorsCarryLineAndColumn) {
  std::string path = file("a,b,c\n1,2\n1,2,3,4\n5,6,7\n");
  DelimitedRecordReader reader({.path = path, .header_as_names = true});
  ExecutionContext ctx;
  reader.open(ctx);
  try {
    reader.next();
    FAIL() << "expected ParseError";
  } catch (const ParseError& e) {
    EXPECT_EQ(e.resource(), path);
    EXPECT_EQ(e.line(), 2);
    EXPECT_EQ(e.column(), 4);  // end of "1,2"
    EXPECT_EQ(e.field(), "c");
    EXPECT_EQ(e.raw_line(), "1,2");
    EXPECT_EQ(std::string(e.what()),
              path + ":2:4: field 'c': missing field: expected 3 fields, found 2 — line: 1,2");
  }
  try {
    reader.next();
    FAIL() << "expected ParseError";
  } catch (const ParseError& e) {
    EXPECT_EQ(e.line(), 3);
    EXPECT_EQ(e.column(), 7);  // where the 4th field starts
    EXPECT_EQ(e.field(), "#4");
  }
  const FieldSet* fs = reader.next();  // reading continues after bad records
  ASSERT_NE(fs, nullptr);
  EXPECT_EQ(fs->read_long("c"), 7);
  EXPECT_EQ(reader.next(), nullptr);

  // Lenient: no check.
  auto rows = read_all({.path = path, .header_as_names = true, .strict = false});
  EXPECT_EQ(rows.size(), 3u);
}

TEST_F(DelimitedFileReaderTest, BadValueReportsFileLineColumnFieldAndRawLine) {
  std::string path = file("id,born,debut\nP1,1970,1990-09-01\nP2,19x0,1991-09-01\nP3,1971,1992-13-01\n");
  DelimitedFileReader<int64_t> reader(
      {.path = path, .header_as_names = true}, [](const FieldSet& fs) {
        (void)fs.read_date("debut");
        return fs.read_long("born");
      });
  ExecutionContext ctx;
  reader.open(ctx);
  EXPECT_EQ(reader.read(), 1970);
  try {
    reader.read();
    FAIL();
  } catch (const ParseError& e) {
    EXPECT_EQ(e.line(), 3);
    EXPECT_EQ(e.column(), 4);
    EXPECT_EQ(e.field(), "born");
    EXPECT_EQ(std::string(e.what()),
              path + ":3:4: field 'born': '19x0' is not an integer — line: P2,19x0,1991-09-01");
  }
  try {
    reader.read();
    FAIL();
  } catch (const ParseError& e) {
    EXPECT_EQ(e.line(), 4);
    EXPECT_EQ(e.column(), 9);
    EXPECT_EQ(e.field(), "debut");
    EXPECT_EQ(e.raw_line(), "P3,1971,1992-13-01");
  }
  EXPECT_FALSE(reader.read().has_value());
}

TEST_F(DelimitedFileReaderTest, MapperExceptionsAreWrappedWithFileAndLine) {
  std::string path = file("1\n2\n3\n");
  DelimitedFileReader<int64_t> reader({.path = path}, [](const FieldSet& fs) {
    int64_t v = fs.read_long(0);
    if (v == 2) throw std::runtime_error("two is not allowed");
    return v;
  });
  ExecutionContext ctx;
  reader.open(ctx);
  EXPECT_EQ(reader.read(), 1);
  try {
    reader.read();
    FAIL();
  } catch (const ParseError& e) {
    EXPECT_EQ(e.resource(), path);
    EXPECT_EQ(e.line(), 2);
    EXPECT_EQ(std::string(e.what()), path + ":2: mapping failed: two is not allowed — line: 2");
  }
  EXPECT_EQ(reader.read(), 3);
}

TEST_F(DelimitedFileReaderTest, MalformedQuotingIsAParseErrorAndReadingResumes) {
  std::vector<Row> rows;
  std::vector<int64_t> error_lines;
  DelimitedRecordReader reader({.path = file("a,\"b\"x,c\nd,e\n\"open,f\n")});
  ExecutionContext ctx;
  reader.open(ctx);
  for (;;) {
    try {
      const FieldSet* fs = reader.next();
      if (fs == nullptr) break;
      rows.push_back(to_row(*fs));
    } catch (const ParseError& e) {
      error_lines.push_back(e.line());
      if (e.line() == 1) {
        EXPECT_EQ(e.column(), 6);
      }
      if (e.line() == 3) {
        EXPECT_NE(e.reason().find("unterminated"), std::string::npos);
      }
    }
  }
  EXPECT_EQ(rows, (std::vector<Row>{{"d", "e"}}));
  EXPECT_EQ(error_lines, (std::vector<int64_t>{1, 3}));
}

TEST_F(DelimitedFileReaderTest, UnbalancedQuoteIsBoundedByMaxRecordBytes) {
  std::string content = "1,\"unbalanced\n";
  for (int i = 0; i < 5000; ++i) content += "2,x\n";
  DelimitedRecordReader reader({.path = file(content), .max_record_bytes = 1024});
  ExecutionContext ctx;
  reader.open(ctx);
  EXPECT_THROW(reader.next(), ParseError);
  int count = 0;
  while (reader.next() != nullptr) ++count;
  EXPECT_EQ(count, 5000);  // resumes on the next line
}

TEST_F(DelimitedFileReaderTest, MissingFileFailsAtOpenNamingThePath) {
  std::string path = dir_.file("nope.csv");
  DelimitedFileReader<int> reader({.path = path}, [](const FieldSet&) { return 0; });
  ExecutionContext ctx;
  try {
    reader.open(ctx);
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("No such file"), std::string::npos) << e.what();
  }
  EXPECT_THROW(reader.read(), std::logic_error);
}

TEST_F(DelimitedFileReaderTest, RecordsAcrossBufferBoundariesAndHugeRecords) {
  // Random records with quotes, delimiters, CRLF and embedded newlines,
  // several times the buffer size, plus one record far bigger than it.
  std::mt19937 rng(42);
  std::vector<Row> expected;
  std::string content;
  auto random_value = [&](size_t max_len) {
    static const char alphabet[] = "abcXYZ019 ,\"\n\r;";
    std::string v;
    size_t n = rng() % max_len;
    for (size_t i = 0; i < n; ++i) v += alphabet[rng() % (sizeof alphabet - 1)];
    return v;
  };
  for (int r = 0; r < 20000; ++r) {
    Row row;
    size_t fields = 1 + rng() % 6;
    for (size_t f = 0; f < fields; ++f) {
      std::string v = r == 7777 && f == 0 ? std::string(700 * 1024, 'H') + "\"\n," : random_value(40);
      row.push_back(v);
      if (f > 0) content += ',';
      bool plain = v.find_first_of(",\"\r\n") == std::string::npos && !v.empty();
      if (plain) {
        content += v;
      } else {
        content += '"';
        for (char c : v) {
          if (c == '"') content += '"';
          content += c;
        }
        content += '"';
      }
    }
    content += (r % 3 == 0) ? "\r\n" : "\n";
    expected.push_back(row);
  }
  auto rows = read_all({.path = file(content)});
  ASSERT_EQ(rows.size(), expected.size());
  for (size_t i = 0; i < rows.size(); ++i) ASSERT_EQ(rows[i], expected[i]) << "record " << i;
}

TEST_F(DelimitedFileReaderTest, RestartContinuesAtNextItem) {
  std::string content = "id,value\n";
  for (int i = 0; i < 1000; ++i) {
    content += std::to_string(i) + (i % 7 == 0 ? ",\"multi\nline\"\n" : ",v\r\n");
    if (i % 100 == 0) content += "\n";  // empty lines are skipped
  }
  std::string path = file(content);
  auto make = [&] {
    return std::make_unique<DelimitedFileReader<std::pair<int64_t, int64_t>>>(
        DelimitedReaderOptions{.path = path, .header_as_names = true, .buffer_size = 128 * 1024},
        [](const FieldSet& fs) { return std::pair(fs.read_long("id"), fs.line_number()); });
  };
  for (size_t k : {size_t{0}, size_t{1}, size_t{499}, size_t{990}}) {
    testing::expect_reader_restart<DelimitedFileReader<std::pair<int64_t, int64_t>>>(make, k);
  }
}

TEST_F(DelimitedFileReaderTest, RestartSeeksToTheSavedOffsetAndKeepsLineNumbers) {
  std::string path = file("h1,h2\na,1\nb,2\nc,x\nd,4\n");
  ExecutionContext ctx;
  {
    DelimitedRecordReader reader({.path = path, .name = "in", .header_as_names = true});
    reader.open(ctx);
    reader.next();
    reader.next();
    reader.update(ctx);
  }
  EXPECT_EQ(ctx.get_long("in.read.count"), 2);
  EXPECT_EQ(ctx.get_long("in.offset"), 14);  // "h1,h2\na,1\nb,2\n"
  EXPECT_EQ(ctx.get_long("in.line"), 3);
  DelimitedRecordReader reader({.path = path, .name = "in", .header_as_names = true});
  reader.open(ctx);
  const FieldSet* fs = reader.next();
  ASSERT_NE(fs, nullptr);
  EXPECT_EQ(fs->read_string("h1"), "c");  // names re-read from the header
  EXPECT_EQ(fs->line_number(), 4);
  try {
    (void)fs->read_long("h2");
    FAIL();
  } catch (const ParseError& e) {
    EXPECT_EQ(e.line(), 4);
  }
  EXPECT_EQ(reader.read_count(), 3);
}

TEST_F(DelimitedFileReaderTest, RestartOffsetBeyondFileIsAnError) {
  std::string path = file("a\nb\n");
  ExecutionContext ctx;
  ctx.put_long("delimitedReader.offset", 100);
  DelimitedRecordReader reader({.path = path});
  EXPECT_THROW(reader.open(ctx), std::runtime_error);
}

TEST_F(DelimitedFileReaderTest, SaveStateFalseIgnoresTheContext) {
  std::string path = file("a\nb\n");
  ExecutionContext ctx;
  ctx.put_long("delimitedReader.offset", 2);
  DelimitedRecordReader reader({.path = path, .save_state = false});
  reader.open(ctx);
  EXPECT_EQ(reader.next()->read_string(0), "a");
  ExecutionContext out;
  reader.update(out);
  EXPECT_TRUE(out.empty());
}

// --- Spring Batch sample data ---------------------------------------------

struct Player {
  std::string id, last_name, first_name, position;
  int64_t birth_year = 0, debut_year = 0;
  bool operator==(const Player&) const = default;
};

DelimitedReaderOptions player_options(const std::string& file) {
  return {.path = kSamples + "/football/" + file,
          .name = "playerReader",
          .names = {"id", "lastName", "firstName", "position", "birthYear", "debutYear"}};
}

Player map_player(const FieldSet& fs) {
  return Player{std::string(fs.read_string("id")), std::string(fs.read_string("lastName")),
                std::string(fs.read_string("firstName")), std::string(fs.read_string("position")),
                fs.read_long("birthYear"), fs.read_long("debutYear")};
}

TEST(DelimitedFileReaderSamplesTest, FootballPlayers) {
  DelimitedFileReader<Player> reader(player_options("player.csv"), map_player);
  ExecutionContext ctx;
  reader.open(ctx);
  std::vector<Player> players;
  while (auto p = reader.read()) players.push_back(std::move(*p));
  ASSERT_EQ(players.size(), 4320u);
  EXPECT_EQ(players.front(), (Player{"AbduKa00", "Abdul-Jabbar", "Karim", "rb", 1974, 1996}));
  EXPECT_EQ(reader.records().line(), 4320);
}

TEST(DelimitedFileReaderSamplesTest, FootballPlayersRestart) {
  auto make = [] {
    return std::make_unique<DelimitedFileReader<Player>>(player_options("player.csv"), map_player);
  };
  testing::expect_reader_restart<DelimitedFileReader<Player>>(make, 2500, 100);
}

TEST(DelimitedFileReaderSamplesTest, FootballPlayersWithBadRecords) {
  // The lines Spring's footballJob skips: wrong column counts and bad years.
  DelimitedFileReader<Player> reader(player_options("player-containsBadRecords.csv"), map_player);
  ExecutionContext ctx;
  reader.open(ctx);
  std::vector<Player> good;
  std::vector<std::pair<int64_t, std::string>> bad;  // line, field
  for (;;) {
    try {
      auto p = reader.read();
      if (!p) break;
      good.push_back(std::move(*p));
    } catch (const ParseError& e) {
      EXPECT_NE(std::string(e.what()).find("player-containsBadRecords.csv:"), std::string::npos);
      bad.emplace_back(e.line(), e.field());
    }
  }
  EXPECT_EQ(good.size(), 15u);
  using Bad = std::vector<std::pair<int64_t, std::string>>;
  EXPECT_EQ(bad, (Bad{{7, "debutYear"}, {9, "debutYear"}, {11, "debutYear"}, {15, "birthYear"},
                      {17, "debutYear"}}));
}

TEST(DelimitedFileReaderSamplesTest, FootballGamesAcrossManyBuffers) {
  // 2.5 MB, 56,377 records with empty fields: streamed through one buffer.
  DelimitedRecordReader reader({.path = kSamples + "/football/games.csv"});
  ExecutionContext ctx;
  reader.open(ctx);
  int64_t records = 0, yards = 0;
  while (const FieldSet* fs = reader.next()) {
    ASSERT_EQ(fs->size(), 15u) << "line " << fs->line_number();
    yards += fs->read_long(11, 0);
    ++records;
  }
  EXPECT_EQ(records, 56377);
  EXPECT_EQ(reader.offset(), 2575486);

  auto make = [] {
    return std::make_unique<DelimitedFileReader<std::string>>(
        DelimitedReaderOptions{.path = kSamples + "/football/games.csv"},
        [](const FieldSet& fs) { return std::string(fs.raw_line()); });
  };
  testing::expect_reader_restart<DelimitedFileReader<std::string>>(make, 40000, 1000);
  EXPECT_GT(yards, 0);
}

TEST(DelimitedFileReaderSamplesTest, DelimitedSampleWithoutFinalNewline) {
  DelimitedFileReader<std::pair<std::string, int64_t>> reader(
      {.path = kSamples + "/delimited/delimited.csv", .names = {"name", "credit"}},
      [](const FieldSet& fs) {
        return std::pair(std::string(fs.read_string("name")), fs.read_long("credit"));
      });
  ExecutionContext ctx;
  reader.open(ctx);
  std::vector<std::pair<std::string, int64_t>> items;
  while (auto c = reader.read()) items.push_back(*c);
  ASSERT_EQ(items.size(), 6u);  // 5 newlines, the last record has none
  EXPECT_EQ(items.back(), std::pair(std::string("customer6"), int64_t{60}));
}


TEST_F(DelimitedFileReaderTest, DeducedMapperFormReadsAndWrapsMapperErrors) {
  std::string path = file("1,a\n2,b\n3,c\n");
  DelimitedFileReader reader({.path = path}, [](const FieldSet& fs) {
    int64_t v = fs.read_long(0);
    if (v == 2) throw std::runtime_error("two is not allowed");
    return std::pair(v, std::string(fs.read_string(1)));
  });
  static_assert(!std::is_same_v<decltype(reader), DelimitedFileReader<std::pair<int64_t, std::string>>>,
                "the mapper keeps its own type, not a std::function");
  ExecutionContext ctx;
  reader.open(ctx);
  EXPECT_EQ(reader.read(), std::pair(int64_t{1}, std::string("a")));
  try {
    reader.read();
    FAIL();
  } catch (const ParseError& e) {
    EXPECT_EQ(e.line(), 2);
    EXPECT_EQ(e.reason(), "mapping failed: two is not allowed");
  }
  EXPECT_EQ(reader.read(), std::pair(int64_t{3}, std::string("c")));
  EXPECT_FALSE(reader.read());
  EXPECT_THROW(DelimitedFileReader<Row>({.path = path}, nullptr), std::invalid_argument);
}

}  // namespace
}  // namespace cppbatch
