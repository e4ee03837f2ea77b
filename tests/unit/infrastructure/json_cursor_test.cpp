// JsonItemReader with a JsonCursor mapper: the lazy (On-Demand) read of
// JSON Lines must give the same items, errors, locations, counts and
// restart points as the fully parsed JsonValue read.
#include "cppbatch/infrastructure/json_cursor.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "cppbatch/infrastructure/json_item_reader.hpp"
#include "unit/infrastructure/io_test_support.hpp"

namespace cppbatch {
namespace {

using testing::ScratchDir;
using testing::write_file;

struct P {
  int64_t id = 0;
  std::string name;
  double score = 0;
  bool ok = false;
  int64_t rank = 0;  // optional member, -1 when absent or null
  bool operator==(const P&) const = default;
};

// The same mapping through both views.
P map_value(const JsonValue& j) {
  return P{j.get_long("id"), std::string(j.get_string("name")), j.get_double("score"), j.get_bool("ok"),
           j.get_long("rank", -1)};
}
P map_cursor(const JsonCursor& j) {
  return P{j.get_long("id"), std::string(j.get_string("name")), j.get_double("score"), j.get_bool("ok"),
           j.get_long("rank", -1)};
}

// Every item, or "error@LINE:COLUMN field reason | raw" for a failed read.
template <class Reader>
std::vector<std::string> outcomes(Reader& reader, int64_t* count = nullptr) {
  ExecutionContext ctx;
  reader.open(ctx);
  std::vector<std::string> out;
  for (;;) {
    try {
      auto p = reader.read();
      if (!p) break;
      out.push_back(std::to_string(p->id) + "|" + p->name + "|" + std::to_string(p->score) + "|" +
                    (p->ok ? "true" : "false") + "|" + std::to_string(p->rank));
    } catch (const ParseError& e) {
      out.push_back("error@" + std::to_string(e.line()) + ":" + std::to_string(e.column()) + " " + e.field() +
                    " " + e.reason() + " | " + e.raw_line());
    }
  }
  if (count != nullptr) *count = reader.elements().read_count();
  reader.close();
  return out;
}

// Reads `text` as JSON Lines with both mappers and expects the same outcomes.
std::vector<std::string> expect_same_as_json_value(const std::string& text) {
  ScratchDir dir;
  const std::string path = dir.file("in.jsonl");
  write_file(path, text);
  JsonItemReader by_value({.path = path, .format = JsonFormat::LINES}, map_value);
  JsonItemReader by_cursor({.path = path, .format = JsonFormat::LINES}, map_cursor);
  static_assert(std::is_same_v<decltype(by_cursor), JsonItemReader<P, P (*)(const JsonCursor&)>>);
  int64_t value_count = 0, cursor_count = 0;
  std::vector<std::string> want = outcomes(by_value, &value_count);
  std::vector<std::string> got = outcomes(by_cursor, &cursor_count);
  EXPECT_EQ(got, want);
  EXPECT_EQ(cursor_count, value_count);
  return got;
}

TEST(JsonCursorTest, ReadsMembersInAnyOrderWithDefaultsEscapesAndCrlf) {
  const std::vector<std::string> got = expect_same_as_json_value(
      "{\"ok\":true,\"name\":\"Ann\",\"id\":1,\"score\":2.5,\"rank\":3}\r\n"
      "\n"
      "  {\"id\":2,\"name\":\"B\\u00e9a \\\"q\\\"\",\"score\":-1e3,\"ok\":false,\"rank\":null}  \n"
      "{\"id\":3,\"name\":\"日本語\",\"score\":7,\"ok\":true,\"extra\":{\"nested\":[1,2]}}\n"
      "{\"id\":4,\"n\\u0061me\":\"escaped key\",\"score\":0,\"ok\":true}\n"
      "{\"id\":5,\"name\":\"x\",\"score\":1,\"ok\":true,\"r\\u0061nk\":9}");  // no final newline
  ASSERT_EQ(got.size(), 5u);
  EXPECT_EQ(got[0], "1|Ann|2.500000|true|3");
  EXPECT_EQ(got[1], "2|B\xC3\xA9" "a \"q\"|-1000.000000|false|-1");
  EXPECT_EQ(got[2], "3|日本語|7.000000|true|-1");
  EXPECT_EQ(got[3], "4|escaped key|0.000000|true|-1");  // found by its unescaped key
  EXPECT_EQ(got[4], "5|x|1.000000|true|9");             // with a default too
}

TEST(JsonCursorTest, LinesOfABatchAreReadLazily) {
  ScratchDir dir;
  const std::string path = dir.file("in.jsonl");
  write_file(path, "{\"id\":1}\n{\"id\":2}\n");
  JsonElementReader reader({.path = path, .format = JsonFormat::LINES});
  ExecutionContext ctx;
  reader.open(ctx);
  const JsonCursor* first = reader.next_cursor();
  ASSERT_NE(first, nullptr);
  EXPECT_TRUE(first->lazy());
  EXPECT_EQ(first->get_long("id"), 1);
  EXPECT_EQ(first->get_long("missing", 7), 7);
  const JsonCursor* second = reader.next_cursor();
  ASSERT_NE(second, nullptr);
  EXPECT_EQ(second->get_long("id"), 2);
  EXPECT_EQ(reader.next_cursor(), nullptr);
  EXPECT_EQ(reader.read_count(), 2);
}

TEST(JsonCursorTest, ConfirmingALineThatHeldMoreThanOneValueThrowsItsError) {
  ScratchDir dir;
  const std::string path = dir.file("in.jsonl");
  write_file(path, "{\"id\":1} {\"id\":2}\n{\"id\":3}\n");
  JsonElementReader reader({.path = path, .format = JsonFormat::LINES});
  ExecutionContext ctx;
  reader.open(ctx);
  const JsonCursor* first = reader.next_cursor();
  ASSERT_NE(first, nullptr);
  ASSERT_TRUE(first->lazy());
  EXPECT_EQ(first->get_long("id"), 1);  // the lazy read sees the first value only
  try {
    reader.confirm_cursor();
    FAIL() << "expected ParseError";
  } catch (const ParseError& e) {
    EXPECT_EQ(e.line(), 1);
    EXPECT_EQ(e.raw_line(), "{\"id\":1} {\"id\":2}");
    EXPECT_NE(e.reason().find("malformed JSON"), std::string::npos) << e.reason();
  }
  const JsonCursor* next = reader.next_cursor();
  ASSERT_NE(next, nullptr);
  EXPECT_EQ(next->get_long("id"), 3);
  reader.confirm_cursor();
  EXPECT_EQ(reader.next_cursor(), nullptr);
  EXPECT_EQ(reader.read_count(), 2);
}

TEST(JsonCursorTest, ErrorsInWhatTheMapperReadsAreLocatedLikeWithJsonValue) {
  const std::vector<std::string> got = expect_same_as_json_value(
      "{\"id\":1,\"name\":\"a\",\"score\":1,\"ok\":true}\n"
      "{\"id\":2,\"name\":\"b\",\"score\":1,\"ok\":tru}\n"            // malformed literal, read
      "{\"id\":3,\"name\":\"c\",\"score\":1}\n"                       // missing member
      "{\"id\":\"4\",\"name\":\"d\",\"score\":1,\"ok\":true}\n"       // wrong type
      "{\"id\":18446744073709551615,\"name\":\"e\",\"score\":1,\"ok\":true}\n"  // out of range
      "{\"id\":6,\"name\":\"f\",\"score\":1,\"ok\":true,\"rank\":\"x\"}\n"      // bad optional
      "{\"id\":7,\"name\":\"\xFF\",\"score\":1,\"ok\":true}\n"        // invalid UTF-8
      "{\"id\":8,\"name\":\"g\",\"score\":1,\"ok\":true} {\"id\":9}\n"  // two values on a line
      "{\"id\":10,\"name\":\n\"h\",\"score\":1,\"ok\":true}\n"        // a value over two lines
      "[1,2]\n"                                                        // not an object
      "42\n"                                                           // a scalar line
      "{\"id\":12,\"name\":\"i\",\"score\":1,\"ok\":true}\n");
  ASSERT_EQ(got.size(), 13u);
  EXPECT_EQ(got[0], "1|a|1.000000|true|-1");
  EXPECT_EQ(got[1].rfind("error@2:", 0), 0u) << got[1];
  EXPECT_NE(got[1].find("malformed JSON"), std::string::npos) << got[1];
  EXPECT_EQ(got[2].rfind("error@3:1 ok member 'ok' is missing", 0), 0u) << got[2];
  EXPECT_EQ(got[3].rfind("error@4:1 id ", 0), 0u) << got[3];
  EXPECT_EQ(got[4].rfind("error@5:1 id ", 0), 0u) << got[4];
  EXPECT_EQ(got[5].rfind("error@6:1 rank ", 0), 0u) << got[5];
  EXPECT_EQ(got[6].rfind("error@7:", 0), 0u) << got[6];
  EXPECT_EQ(got[12], "12|i|1.000000|true|-1");
}

TEST(JsonCursorTest, ManyBatchesWithErrorsKeepPerLineResults) {
  std::string text;
  for (int i = 0; i < 5000; ++i) {
    switch (i % 211) {
      case 7: text += "{\"id\":" + std::to_string(i) + ",\"name\":\"n\",\"score\":1,\"ok\":nope}\n"; break;
      case 50: text += "{\"id\":" + std::to_string(i) + "}\n"; break;
      case 90: text += "\n  \t\n"; break;
      default:
        text += "{\"id\":" + std::to_string(i) + ",\"name\":\"" + std::string(static_cast<size_t>(i % 71), 'p') +
                "\",\"score\":" + std::to_string(i) + ".5,\"ok\":" + (i % 2 ? "true" : "false") + "}\n";
    }
  }
  const std::vector<std::string> got = expect_same_as_json_value(text);
  EXPECT_GT(got.size(), 4900u);
}

TEST(JsonCursorTest, ArrayElementsAreReadThroughTheFullParse) {
  ScratchDir dir;
  const std::string path = dir.file("in.json");
  write_file(path, "[{\"id\":1,\"name\":\"a\",\"score\":1,\"ok\":true},\n {\"id\":2,\"name\":\"b\",\"score\":2,\"ok\":fals}]");
  JsonElementReader elements({.path = path});
  ExecutionContext ctx;
  elements.open(ctx);
  const JsonCursor* first = elements.next_cursor();
  ASSERT_NE(first, nullptr);
  EXPECT_FALSE(first->lazy());
  EXPECT_EQ(first->get_string("name"), "a");
  EXPECT_THROW(elements.next_cursor(), ParseError);
  EXPECT_EQ(elements.next_cursor(), nullptr);

  JsonItemReader reader({.path = path}, map_cursor);
  reader.open(ctx);
  EXPECT_EQ(reader.read()->id, 1);
  try {
    (void)reader.read();
    FAIL() << "expected ParseError";
  } catch (const ParseError& e) {
    EXPECT_EQ(e.line(), 2);
    EXPECT_NE(e.reason().find("malformed JSON"), std::string::npos);
  }
}

TEST(JsonCursorTest, MapperExceptionsAreWrappedAndReadingContinues) {
  ScratchDir dir;
  const std::string path = dir.file("in.jsonl");
  write_file(path, "{\"id\":1}\n{\"id\":-2}\n{\"id\":3}\n");
  JsonItemReader reader({.path = path, .format = JsonFormat::LINES}, [](const JsonCursor& j) {
    int64_t id = j.get_long("id");
    if (id < 0) throw std::runtime_error("negative id");
    return id;
  });
  ExecutionContext ctx;
  reader.open(ctx);
  EXPECT_EQ(reader.read(), 1);
  try {
    (void)reader.read();
    FAIL() << "expected ParseError";
  } catch (const ParseError& e) {
    EXPECT_EQ(e.line(), 2);
    EXPECT_EQ(e.reason(), "mapping failed: negative id");
    EXPECT_EQ(e.raw_line(), "{\"id\":-2}");
  }
  EXPECT_EQ(reader.read(), 3);
  EXPECT_FALSE(reader.read().has_value());
}

TEST(JsonCursorTest, RestartResumesExactlyAfterTheCommittedElement) {
  ScratchDir dir;
  std::string lines;
  for (int i = 0; i < 60; ++i) {
    lines += "{\"i\": " + std::to_string(i) + ", \"s\": \"a,]\\\"" + std::to_string(i) + "\"}" +
             (i % 7 == 0 ? "\n\n" : "\n");
  }
  write_file(dir.file("r.jsonl"), lines);
  auto mapper = [](const JsonCursor& j) {
    return j.get_long("i") * 1000 + static_cast<int64_t>(j.get_string("s").size());
  };
  using Reader = JsonItemReader<int64_t, decltype(mapper)>;
  for (size_t k : {0u, 1u, 7u, 59u}) {
    testing::expect_reader_restart<Reader>(
        [&] {
          return std::make_unique<Reader>(JsonReaderOptions{.path = dir.file("r.jsonl"), .format = JsonFormat::LINES},
                                          mapper);
        },
        k, 3);
  }
}

}  // namespace
}  // namespace cppbatch
