#include "cppbatch/infrastructure/json_item_reader.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "unit/infrastructure/compression_test_support.hpp"
#include "unit/infrastructure/io_test_support.hpp"

namespace cppbatch {
namespace {

using testing::ScratchDir;
using testing::write_file;

// Every element as its compact JSON text (through nlohmann, so it compares
// with what nlohmann makes of the same text).
std::vector<std::string> read_all(JsonReaderOptions options) {
  JsonItemReader<std::string> reader(std::move(options), [](const JsonValue& v) {
    return v.to_nlohmann().dump();
  });
  ExecutionContext ctx;
  reader.open(ctx);
  std::vector<std::string> out;
  while (auto item = reader.read()) out.push_back(*item);
  reader.close();
  return out;
}


TEST(JsonItemReaderTest, ReadsJsonLinesWithTypesBlankLinesAndCrlf) {
  ScratchDir dir;
  const std::string path = dir.file("in.jsonl");
  write_file(path,
             "{\"id\":1,\"name\":\"Ann\",\"score\":2.5,\"ok\":true,\"x\":null}\r\n"
             "\n"
             "   \t\n"
             "  {\"id\":2,\"name\":\"B\\u00e9a \\\"q\\\" \\n\",\"score\":-1e3,\"ok\":false}  \n"
             "{\"id\":3,\"name\":\"日本語 ✓\",\"score\":0,\"ok\":true}");  // no final newline
  struct P {
    int64_t id;
    std::string name;
    double score;
    bool ok;
    bool operator==(const P&) const = default;
  };
  JsonItemReader<P> reader({.path = path, .format = JsonFormat::LINES}, [](const JsonValue& j) {
    return P{j.get_long("id"), std::string(j.get_string("name")), j.get_double("score"),
             j.get_bool("ok")};
  });
  ExecutionContext ctx;
  reader.open(ctx);
  std::vector<P> got;
  while (auto p = reader.read()) got.push_back(*p);
  EXPECT_FALSE(reader.read().has_value());
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0], (P{1, "Ann", 2.5, true}));
  EXPECT_EQ(got[1], (P{2, "B\xC3\xA9" "a \"q\" \n", -1000.0, false}));
  EXPECT_EQ(got[2], (P{3, "日本語 ✓", 0.0, true}));
  EXPECT_EQ(reader.elements().read_count(), 3);
}

TEST(JsonItemReaderTest, ReadsPrettyPrintedArrayWithNestingAndNastyStrings) {
  ScratchDir dir;
  const std::string path = dir.file("in.json");
  const std::string text =
      "\xEF\xBB\xBF  [\n"
      "  {\n    \"s\": \"brackets ] } [ { and , commas\",\n    \"nested\": {\"a\": [1, [2, [3]], {\"b\": \"]\"}]}\n  },\n"
      "  {\"esc\": \"quote \\\" backslash \\\\\\\\ end\\\\\", \"u\": \"\\ud83d\\ude00\"}\t,\n"
      "  [ ],\n"
      "  {},\n"
      "  \"just a string with \\\"]\\\" inside\",\n"
      "  -12.5e-3 ,\n"
      "  true,false ,null,\n"
      "  18446744073709551615\n"
      "]\n\n";
  write_file(path, text);
  std::vector<std::string> got = read_all({.path = path});
  const nlohmann::json expected = nlohmann::json::parse(text.substr(3));
  ASSERT_EQ(got.size(), expected.size());
  for (size_t i = 0; i < got.size(); ++i) EXPECT_EQ(got[i], expected[i].dump()) << i;
}

TEST(JsonItemReaderTest, EmptyArraysAndEmptyLineFilesHaveNoItems) {
  ScratchDir dir;
  write_file(dir.file("a.json"), "[]");
  write_file(dir.file("b.json"), " \n [ \n\t ] \n");
  write_file(dir.file("c.jsonl"), "");
  write_file(dir.file("d.jsonl"), "\n\n  \n");
  EXPECT_TRUE(read_all({.path = dir.file("a.json")}).empty());
  EXPECT_TRUE(read_all({.path = dir.file("b.json")}).empty());
  EXPECT_TRUE(read_all({.path = dir.file("c.jsonl"), .format = JsonFormat::LINES}).empty());
  EXPECT_TRUE(read_all({.path = dir.file("d.jsonl"), .format = JsonFormat::LINES}).empty());
}

TEST(JsonItemReaderTest, OpenRejectsAFileThatIsNotAnArray) {
  ScratchDir dir;
  write_file(dir.file("obj.json"), "\n  {\"a\": 1}");
  write_file(dir.file("empty.json"), "  ");
  JsonElementReader reader({.path = dir.file("obj.json")});
  ExecutionContext ctx;
  try {
    reader.open(ctx);
    FAIL() << "expected ParseError";
  } catch (const ParseError& e) {
    EXPECT_EQ(e.resource(), dir.file("obj.json"));
    EXPECT_EQ(e.line(), 2);
    EXPECT_EQ(e.column(), 3);
    EXPECT_NE(e.reason().find("expected a JSON array"), std::string::npos) << e.what();
  }
  JsonElementReader empty({.path = dir.file("empty.json")});
  EXPECT_THROW(empty.open(ctx), ParseError);
  JsonElementReader missing({.path = dir.file("nope.json")});
  try {
    missing.open(ctx);
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("nope.json"), std::string::npos);
  }
}

TEST(JsonItemReaderTest, MalformedElementIsLocatedConsumedAndReadingContinues) {
  ScratchDir dir;
  const std::string path = dir.file("bad.json");
  write_file(path, "[\n  {\"a\": 1},\n  {\"a\": 2,\n   \"b\": tru},\n  {\"a\": 3}\n]\n");
  JsonItemReader<int64_t> reader({.path = path}, [](const JsonValue& j) { return j.get_long("a"); });
  ExecutionContext ctx;
  reader.open(ctx);
  EXPECT_EQ(reader.read(), 1);
  try {
    (void)reader.read();
    FAIL() << "expected ParseError";
  } catch (const ParseError& e) {
    EXPECT_EQ(e.resource(), path);
    EXPECT_EQ(e.line(), 4);
    EXPECT_GE(e.column(), 9);  // at or just after "tru"
    EXPECT_LE(e.column(), 12);
    EXPECT_EQ(e.raw_line(), "{\"a\": 2,\n   \"b\": tru}");
    EXPECT_NE(e.reason().find("malformed JSON"), std::string::npos);
  }
  EXPECT_EQ(reader.read(), 3);
  EXPECT_FALSE(reader.read().has_value());
  EXPECT_EQ(reader.elements().read_count(), 3);
}

TEST(JsonItemReaderTest, MalformedLineIsLocatedAndSkippable) {
  ScratchDir dir;
  const std::string path = dir.file("bad.jsonl");
  write_file(path, "{\"a\":1}\n{\"a\":2,}\n\n{\"a\":\"\xFF\"}\n{\"a\":4}\n");
  JsonItemReader<int64_t> reader({.path = path, .format = JsonFormat::LINES},
                                 [](const JsonValue& j) { return j.get_long("a"); });
  ExecutionContext ctx;
  reader.open(ctx);
  EXPECT_EQ(reader.read(), 1);
  try {
    (void)reader.read();
    FAIL();
  } catch (const ParseError& e) {
    EXPECT_EQ(e.line(), 2);
    EXPECT_EQ(e.column(), 8);  // the '}' after the trailing comma
    EXPECT_EQ(e.raw_line(), "{\"a\":2,}");
  }
  try {
    (void)reader.read();
    FAIL() << "invalid UTF-8 must be rejected";
  } catch (const ParseError& e) {
    EXPECT_EQ(e.line(), 4);
  }
  EXPECT_EQ(reader.read(), 4);
  EXPECT_FALSE(reader.read().has_value());
}

TEST(JsonItemReaderTest, MappingErrorsNameTheMemberAndKeepReading) {
  ScratchDir dir;
  const std::string path = dir.file("m.jsonl");
  write_file(path, "{\"a\":1}\n{\"b\":2}\n{\"a\":\"x\"}\n{\"a\":18446744073709551615}\n{\"a\":5}\n");
  JsonItemReader<int64_t> reader({.path = path, .format = JsonFormat::LINES},
                                 [](const JsonValue& j) { return j.get_long("a"); });
  ExecutionContext ctx;
  reader.open(ctx);
  EXPECT_EQ(reader.read(), 1);
  for (int line : {2, 3, 4}) {
    try {
      (void)reader.read();
      FAIL() << line;
    } catch (const ParseError& e) {
      EXPECT_EQ(e.line(), line);
      EXPECT_EQ(e.field(), "a");
      EXPECT_EQ(e.column(), 1);
    }
  }
  EXPECT_EQ(reader.read(), 5);
}

TEST(JsonItemReaderTest, TruncatedArrayEndsWithAParseError) {
  ScratchDir dir;
  write_file(dir.file("cut1.json"), "[{\"a\":1},{\"a\":2,\"b\":[1,2");
  write_file(dir.file("cut2.json"), "[{\"a\":1},\n{\"a\":2}");
  write_file(dir.file("cut3.json"), "[{\"a\":1},");
  for (const char* name : {"cut1.json", "cut2.json", "cut3.json"}) {
    JsonItemReader<int64_t> reader({.path = dir.file(name)},
                                   [](const JsonValue& j) { return j.get_long("a"); });
    ExecutionContext ctx;
    reader.open(ctx);
    EXPECT_EQ(reader.read(), 1) << name;
    if (std::string(name) == "cut2.json") {
      EXPECT_EQ(reader.read(), 2);
    }
    try {
      (void)reader.read();
      FAIL() << name;
    } catch (const ParseError& e) {
      EXPECT_NE(e.reason().find("truncated"), std::string::npos) << e.what();
    }
    EXPECT_FALSE(reader.read().has_value()) << name;
  }
}

TEST(JsonItemReaderTest, SeparatorErrorsAreReportedAndTheNextElementIsRead) {
  ScratchDir dir;
  write_file(dir.file("nocomma.json"), "[1 2, 3,]");
  JsonItemReader<int64_t> reader({.path = dir.file("nocomma.json")},
                                 [](const JsonValue& j) { return j.get_long(); });
  ExecutionContext ctx;
  reader.open(ctx);
  EXPECT_EQ(reader.read(), 1);
  try {
    (void)reader.read();
    FAIL();
  } catch (const ParseError& e) {
    EXPECT_EQ(e.column(), 4);
    EXPECT_NE(e.reason().find("expected ','"), std::string::npos);
  }
  EXPECT_EQ(reader.read(), 2);
  EXPECT_EQ(reader.read(), 3);
  EXPECT_THROW((void)reader.read(), ParseError);  // trailing comma
  EXPECT_FALSE(reader.read().has_value());

  write_file(dir.file("after.json"), "[1]\n[2]");
  JsonItemReader<int64_t> after({.path = dir.file("after.json")},
                                [](const JsonValue& j) { return j.get_long(); });
  ExecutionContext ctx2;
  after.open(ctx2);
  EXPECT_EQ(after.read(), 1);
  try {
    (void)after.read();
    FAIL();
  } catch (const ParseError& e) {
    EXPECT_EQ(e.line(), 2);
    EXPECT_NE(e.reason().find("after the closing"), std::string::npos);
  }
  EXPECT_FALSE(after.read().has_value());
}

TEST(JsonItemReaderTest, OverlongElementIsAnErrorAndReadingContinuesAfterIt) {
  ScratchDir dir;
  // Elements far larger than the buffer, so the bound applies while the
  // element is still incomplete, and small ones that exceed the limit whole.
  const std::string big(400 * 1024, 'x');
  const std::string array = "[{\"a\":1},{\"big\":\"" + big + "\\\"]}\"},{\"a\":\"" +
                            std::string(300, 'y') + "\"},{\"a\":4}]";
  write_file(dir.file("big.json"), array);
  write_file(dir.file("big.jsonl"),
             "{\"a\":1}\n{\"big\":\"" + big + "\"}\n{\"a\":\"" + std::string(300, 'y') + "\"}\n{\"a\":4}\n");
  for (auto format : {JsonFormat::ARRAY, JsonFormat::LINES}) {
    const std::string path = dir.file(format == JsonFormat::ARRAY ? "big.json" : "big.jsonl");
    JsonItemReader<std::string> reader(
        {.path = path, .format = format, .max_element_bytes = 200},
        [](const JsonValue& j) { return j.to_json(); });
    ExecutionContext ctx;
    reader.open(ctx);
    EXPECT_EQ(reader.read(), "{\"a\":1}");
    for (int i = 0; i < 2; ++i) {
      try {
        (void)reader.read();
        FAIL() << i;
      } catch (const ParseError& e) {
        EXPECT_NE(e.reason().find("max_element_bytes"), std::string::npos);
        EXPECT_EQ(e.line(), format == JsonFormat::ARRAY ? 1 : 2 + i);
      }
    }
    EXPECT_EQ(reader.read(), "{\"a\":4}");
    EXPECT_FALSE(reader.read().has_value());
    EXPECT_EQ(reader.elements().read_count(), 4);
  }
}

TEST(JsonItemReaderTest, StreamsFilesLargerThanTheBufferExactly) {
  ScratchDir dir;
  nlohmann::json all = nlohmann::json::array();
  std::string lines;
  for (int i = 0; i < 20000; ++i) {
    nlohmann::json item = {{"i", i},
                           {"s", "v\"" + std::to_string(i) + "\\\n é \x01 ]}"},
                           {"arr", {i, {{"k", std::string(static_cast<size_t>(i % 37), ',')}}}}};
    lines += item.dump() + "\n";
    all.push_back(std::move(item));
  }
  write_file(dir.file("all.json"), all.dump(2));
  write_file(dir.file("all.jsonl"), lines);
  for (auto [name, format] : {std::pair{"all.json", JsonFormat::ARRAY},
                              std::pair{"all.jsonl", JsonFormat::LINES}}) {
    std::vector<std::string> got = read_all({.path = dir.file(name), .format = format});
    ASSERT_EQ(got.size(), all.size()) << name;
    for (size_t i = 0; i < got.size(); ++i) ASSERT_EQ(got[i], all[i].dump()) << name << " " << i;
  }
}

TEST(JsonItemReaderTest, RestartResumesExactlyAfterTheCommittedElement) {
  ScratchDir dir;
  std::string array = "[\n";
  std::string lines;
  for (int i = 0; i < 50; ++i) {
    std::string item = "{\"i\": " + std::to_string(i) + ", \"s\": \"a,]\\\"" + std::to_string(i) + "\"}";
    array += (i ? ",\n  " : "  ") + item;
    lines += item + (i % 7 == 0 ? "\n\n" : "\n");
  }
  array += "\n]\n";
  write_file(dir.file("r.json"), array);
  write_file(dir.file("r.jsonl"), lines);
  auto mapper = [](const JsonValue& j) { return j.get_long("i") * 1000 + static_cast<int64_t>(j.get_string("s").size()); };
  for (size_t k : {0u, 1u, 7u, 49u}) {
    testing::expect_reader_restart<JsonItemReader<int64_t>>(
        [&] { return std::make_unique<JsonItemReader<int64_t>>(JsonReaderOptions{.path = dir.file("r.json")}, mapper); },
        k, 3);
    testing::expect_reader_restart<JsonItemReader<int64_t>>(
        [&] {
          return std::make_unique<JsonItemReader<int64_t>>(
              JsonReaderOptions{.path = dir.file("r.jsonl"), .format = JsonFormat::LINES}, mapper);
        },
        k, 3);
  }
}

TEST(JsonItemReaderTest, LinesAndColumnsStayRightAfterARestart) {
  ScratchDir dir;
  const std::string path = dir.file("pos.json");
  write_file(path, "[\n  {\"a\": 1},\n  {\"a\": 2}, {\"a\": 3},\n  {\"a\": x}\n]");
  ExecutionContext committed;
  {
    JsonElementReader reader({.path = path});
    ExecutionContext ctx;
    reader.open(ctx);
    ASSERT_NE(reader.next(), nullptr);
    ASSERT_NE(reader.next(), nullptr);
    reader.update(ctx);
    committed = testing::persisted(ctx);
  }
  JsonElementReader reader({.path = path});
  reader.open(committed);
  const JsonValue* third = reader.next();
  ASSERT_NE(third, nullptr);
  EXPECT_EQ(third->get_long("a"), 3);
  EXPECT_EQ(reader.line(), 3);
  EXPECT_EQ(reader.column(), 13);
  try {
    (void)reader.next();
    FAIL();
  } catch (const ParseError& e) {
    EXPECT_EQ(e.line(), 4);
    EXPECT_EQ(e.column(), 9);
  }
  EXPECT_EQ(reader.next(), nullptr);
  EXPECT_EQ(reader.read_count(), 4);
}

TEST(JsonItemReaderTest, RestartRefusesAFileShorterThanTheSavedOffset) {
  ScratchDir dir;
  const std::string path = dir.file("s.jsonl");
  write_file(path, "{\"a\":1}\n{\"a\":2}\n");
  ExecutionContext ctx;
  {
    JsonElementReader reader({.path = path, .format = JsonFormat::LINES});
    reader.open(ctx);
    (void)reader.next();
    (void)reader.next();
    reader.update(ctx);
  }
  write_file(path, "{}\n");
  JsonElementReader reader({.path = path, .format = JsonFormat::LINES});
  EXPECT_THROW(reader.open(ctx), std::runtime_error);
}

TEST(JsonItemReaderTest, CompressedLinesReadAndRestartLikeThePlainFile) {
  ScratchDir dir;
  std::string lines;
  for (int i = 0; i < 3000; ++i) {
    lines += "{\"i\":" + std::to_string(i) + ",\"s\":\"v" + std::string(static_cast<size_t>(i % 50), 'x') +
             "\"}\n" + (i % 11 == 0 ? "\n" : "");
  }
  write_file(dir.file("p.jsonl"), lines);
  testing::write_gzip(dir.file("p.jsonl.gz"), lines);
  testing::write_zstd(dir.file("p.jsonl.zst"), lines);
  const std::vector<std::string> plain = read_all({.path = dir.file("p.jsonl"), .format = JsonFormat::LINES});
  ASSERT_EQ(plain.size(), 3000u);
  auto mapper = [](const JsonValue& j) { return j.get_long("i") * 1000 + static_cast<int64_t>(j.get_string("s").size()); };
  for (const char* name : {"p.jsonl.gz", "p.jsonl.zst"}) {
    EXPECT_EQ(read_all({.path = dir.file(name), .format = JsonFormat::LINES}), plain) << name;
    for (size_t k : {0u, 1u, 1234u, 2999u}) {
      testing::expect_reader_restart<JsonItemReader<int64_t>>(
          [&] {
            return std::make_unique<JsonItemReader<int64_t>>(
                JsonReaderOptions{.path = dir.file(name), .format = JsonFormat::LINES}, mapper);
          },
          k, 3);
    }
  }
  // A JSON array file too.
  std::string array = "[";
  for (int i = 0; i < 500; ++i) array += (i ? ",\n" : "") + std::string("{\"i\":") + std::to_string(i) + "}";
  array += "]\n";
  write_file(dir.file("a.json"), array);
  testing::write_gzip(dir.file("a.json.gz"), array);
  EXPECT_EQ(read_all({.path = dir.file("a.json.gz")}), read_all({.path = dir.file("a.json")}));
}

// Lines that a batch parse cannot take as one value each (errors, scalars,
// two values on a line, a value spread over lines) give exactly what a
// line-by-line parse gives, wherever they fall in the buffer.
TEST(JsonItemReaderTest, BatchedLinesKeepPerLineResultsAndLocations) {
  ScratchDir dir;
  std::string text;
  std::vector<std::string> expected;  // per line: compact JSON, "error@<line>" or "" (blank)
  for (int i = 0; i < 6000; ++i) {
    const int line = static_cast<int>(expected.size()) + 1;
    switch (i % 97) {
      case 5: text += "{\"a\":1} {\"b\":2}\n"; expected.push_back("error@" + std::to_string(line)); break;
      case 17: text += "{\"a\":\n"; expected.push_back("error@" + std::to_string(line)); break;
      case 18: text += "  1}\n"; expected.push_back("error@" + std::to_string(line)); break;
      case 30: text += "42\n"; expected.push_back("42"); break;
      case 31: text += "\"s\"  \n"; expected.push_back("\"s\""); break;
      case 44: text += "  [1, {\"x\": [2]}]\t\n"; expected.push_back("[1,{\"x\":[2]}]"); break;
      case 60: text += "{\"bad\": tru}\n"; expected.push_back("error@" + std::to_string(line)); break;
      case 61: text += "   \n"; expected.push_back(""); break;
      default:
        text += "{\"i\":" + std::to_string(i) + ",\"pad\":\"" + std::string(static_cast<size_t>(i % 89), 'p') + "\"}\n";
        expected.push_back("{\"i\":" + std::to_string(i) + ",\"pad\":\"" + std::string(static_cast<size_t>(i % 89), 'p') + "\"}");
    }
  }
  write_file(dir.file("m.jsonl"), text);
  JsonItemReader<std::string> reader({.path = dir.file("m.jsonl"), .format = JsonFormat::LINES},
                                     [](const JsonValue& v) { return v.to_nlohmann().dump(); });
  ExecutionContext ctx;
  reader.open(ctx);
  std::vector<std::string> got;
  for (;;) {
    try {
      auto item = reader.read();
      if (!item) break;
      got.push_back(*item);
    } catch (const ParseError& e) {
      got.push_back("error@" + std::to_string(e.line()));
    }
  }
  std::vector<std::string> want;
  for (const std::string& e : expected) {
    if (!e.empty()) want.push_back(e);
  }
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) ASSERT_EQ(got[i], want[i]) << i;
  EXPECT_EQ(reader.elements().read_count(), static_cast<int64_t>(want.size()));
}

TEST(JsonItemReaderTest, JsonValueAccessors) {
  ScratchDir dir;
  const std::string path = dir.file("v.jsonl");
  write_file(path,
             "{\"s\":\"x\",\"n\":null,\"i\":-3,\"u\":18446744073709551615,\"d\":1.5,\"b\":true,"
             "\"arr\":[10,20,30],\"o\":{\"k\":\"v\"},\"k\\u00e9\":1}\n");
  JsonElementReader reader({.path = path, .format = JsonFormat::LINES});
  ExecutionContext ctx;
  reader.open(ctx);
  const JsonValue* v = reader.next();
  ASSERT_NE(v, nullptr);
  EXPECT_TRUE(v->is_object());
  EXPECT_EQ(v->size(), 9u);
  EXPECT_EQ(v->get_string("s"), "x");
  EXPECT_EQ(v->get_string("n", "dflt"), "dflt");
  EXPECT_EQ(v->get_long("missing", 7), 7);
  EXPECT_EQ(v->get_long("i"), -3);
  EXPECT_EQ(v->get_double("i"), -3.0);
  EXPECT_THROW((void)v->get_long("u"), JsonValueError);
  EXPECT_DOUBLE_EQ(v->get_double("u"), 18446744073709551615.0);
  EXPECT_EQ((*v)["u"].type(), JsonType::UNSIGNED);
  EXPECT_TRUE(v->get_bool("b"));
  EXPECT_THROW((void)v->get_bool("s"), JsonValueError);
  EXPECT_THROW((void)v->get_long("d"), JsonValueError);
  EXPECT_EQ((*v)["arr"].size(), 3u);
  EXPECT_EQ((*v)["arr"].at(2).get_long(), 30);
  EXPECT_THROW((void)(*v)["arr"].at(3), JsonValueError);
  int64_t sum = 0;
  (*v)["arr"].for_each_element([&](const JsonValue& e) { sum += e.get_long(); });
  EXPECT_EQ(sum, 60);
  EXPECT_EQ((*v)["o"].get_string("k"), "v");
  EXPECT_EQ(v->get_long("k\xC3\xA9"), 1);  // found by its unescaped key
  try {
    (void)(*v)["nope"];
    FAIL();
  } catch (const JsonValueError& e) {
    EXPECT_EQ(e.key(), "nope");
  }
  std::vector<std::string> keys;
  v->for_each_member([&](std::string_view key, const JsonValue&) { keys.emplace_back(key); });
  EXPECT_EQ(keys.front(), "s");
  EXPECT_EQ(keys.back(), "k\xC3\xA9");
  EXPECT_EQ((*v)["o"].to_json(), "{\"k\":\"v\"}");
  EXPECT_EQ(v->to_nlohmann()["arr"][1], 20);
}

TEST(JsonItemReaderTest, RecordMapperKeepsTypesAndSharesTheLayout) {
  ScratchDir dir;
  const std::string path = dir.file("r.jsonl");
  write_file(path,
             "{\"id\":\"a\",\"n\":1,\"d\":2.5,\"b\":false,\"z\":null,\"o\":{\"x\":[1,2]}}\n"
             "{\"id\":\"b\",\"n\":2,\"d\":3,\"b\":true,\"z\":null,\"o\":[]}\n"
             "{\"n\":3,\"id\":\"c\"}\n"
             "[1,2]\n");
  JsonItemReader<Record> reader({.path = path, .format = JsonFormat::LINES}, JsonRecordMapper{});
  ExecutionContext ctx;
  reader.open(ctx);
  Record a = *reader.read();
  Record b = *reader.read();
  Record c = *reader.read();
  EXPECT_EQ(a.get_string("id"), "a");
  EXPECT_EQ(a.get("n"), Value(int64_t{1}));
  EXPECT_EQ(a.get("d"), Value(2.5));
  EXPECT_EQ(a.get("b"), Value(false));
  EXPECT_TRUE(a.is_null("z"));
  EXPECT_EQ(a.get_string("o"), "{\"x\":[1,2]}");
  EXPECT_EQ(b.get_string("o"), "[]");
  EXPECT_EQ(b.get_long("d"), 3);
  EXPECT_EQ(a.layout().get(), b.layout().get()) << "same keys must share one layout";
  EXPECT_NE(a.layout().get(), c.layout().get());
  EXPECT_EQ(c.name(0), "n");
  // The same values as the nlohmann-based conversion (which orders keys by name).
  Record via_nlohmann = record_from_json(nlohmann::json::parse(
      "{\"id\":\"a\",\"n\":1,\"d\":2.5,\"b\":false,\"z\":null,\"o\":{\"x\":[1,2]}}"));
  ASSERT_EQ(via_nlohmann.size(), a.size());
  for (size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i], via_nlohmann.get(a.name(i))) << a.name(i);
  EXPECT_THROW((void)reader.read(), ParseError);  // an array is not a record
  EXPECT_FALSE(reader.read().has_value());
}

}  // namespace
}  // namespace cppbatch
