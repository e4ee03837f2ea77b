#include "cppbatch/infrastructure/json_item_writer.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <limits>
#include <string>
#include <vector>

#include "cppbatch/infrastructure/delimited_record_reader.hpp"
#include "cppbatch/infrastructure/json_item_reader.hpp"
#include "unit/infrastructure/io_test_support.hpp"

namespace cppbatch {
namespace {

using testing::read_file;
using testing::ScratchDir;

struct Item {
  int64_t id;
  std::string name;
};

nlohmann::json item_json(const Item& item) { return {{"id", item.id}, {"name", item.name}}; }

void item_text(const Item& item, std::string& out) {
  out += "{\"id\":";
  out += std::to_string(item.id);
  out += ",\"name\":";
  append_json_string(out, item.name);
  out += '}';
}

std::vector<Item> items(int64_t from, int64_t to) {
  std::vector<Item> out;
  for (int64_t i = from; i < to; ++i) out.push_back({i, "n\"" + std::to_string(i) + "\" é\n"});
  return out;
}

TEST(JsonItemWriterTest, ArrayFileIsValidJsonWithOneItemPerLine) {
  ScratchDir dir;
  const std::string path = dir.file("out.json");
  JsonItemWriter<Item> writer({.path = path}, item_json);
  ExecutionContext ctx;
  writer.open(ctx);
  writer.write(Chunk<Item>({{1, "a"}, {2, "b"}}));
  writer.update(ctx);
  writer.write(Chunk<Item>({{3, "c"}}));
  writer.update(ctx);
  writer.close();
  EXPECT_EQ(read_file(path),
            "[\n{\"id\":1,\"name\":\"a\"},\n{\"id\":2,\"name\":\"b\"},\n{\"id\":3,\"name\":\"c\"}\n]\n");
  EXPECT_EQ(ctx.get_long("jsonWriter.written"), 3);
  writer.close();  // idempotent: no second bracket
  EXPECT_EQ(nlohmann::json::parse(read_file(path)).size(), 3u);
}

TEST(JsonItemWriterTest, EmptyArrayIsValid) {
  ScratchDir dir;
  const std::string path = dir.file("empty.json");
  JsonItemWriter<Item> writer({.path = path}, item_json);
  ExecutionContext ctx;
  writer.open(ctx);
  writer.close();
  EXPECT_EQ(read_file(path), "[]\n");
  EXPECT_TRUE(nlohmann::json::parse(read_file(path)).empty());
}

TEST(JsonItemWriterTest, JsonLinesWithARawFormatterEscapesEverything) {
  ScratchDir dir;
  const std::string path = dir.file("out.jsonl");
  JsonItemWriter<Item> writer({.path = path, .format = JsonFormat::LINES}, item_text);
  ExecutionContext ctx;
  writer.open(ctx);
  const std::string nasty = std::string("tab\t nl\n cr\r quote\" back\\ ctl\x01\x1f 日本 ✓ ") + '\0' + "end";
  writer.write(Chunk<Item>({{1, nasty}, {2, ""}}));
  writer.update(ctx);
  writer.close();
  const std::string text = read_file(path);
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 2);
  std::vector<std::string> names;
  JsonItemReader<std::string> reader({.path = path, .format = JsonFormat::LINES},
                                     [](const JsonValue& j) { return std::string(j.get_string("name")); });
  ExecutionContext rctx;
  reader.open(rctx);
  while (auto n = reader.read()) names.push_back(*n);
  ASSERT_EQ(names.size(), 2u);
  EXPECT_EQ(names[0], nasty);
  EXPECT_EQ(names[1], "");
}

TEST(JsonItemWriterTest, ABadFormatterWritesNothingOfTheChunk) {
  ScratchDir dir;
  const std::string path = dir.file("bad.jsonl");
  JsonItemWriter<Item> writer({.path = path, .format = JsonFormat::LINES},
                              [](const Item& item, std::string& out) {
                                out += item.id == 2 ? "{\n}" : "{}";
                              });
  ExecutionContext ctx;
  writer.open(ctx);
  writer.write(Chunk<Item>({{1, ""}}));
  writer.update(ctx);
  EXPECT_THROW(writer.write(Chunk<Item>({{3, ""}, {2, ""}})), std::invalid_argument);
  JsonItemWriter<Item> empty({.path = dir.file("e.json")}, [](const Item&, std::string&) {});
  ExecutionContext empty_ctx;
  empty.open(empty_ctx);
  EXPECT_THROW(empty.write(Chunk<Item>({{1, ""}})), std::invalid_argument);
  // nlohmann refuses invalid UTF-8 when dumping.
  JsonItemWriter<Item> utf8({.path = dir.file("u.json")}, item_json);
  ExecutionContext utf8_ctx;
  utf8.open(utf8_ctx);
  EXPECT_ANY_THROW(utf8.write(Chunk<Item>({{1, "\xFF"}})));
  writer.close();
  EXPECT_EQ(read_file(path), "{}\n");
  EXPECT_THROW(JsonItemWriter<Item>({.path = path, .append = true}, item_json), std::invalid_argument);
}

TEST(JsonItemWriterTest, LinesAppendKeepsExistingContent) {
  ScratchDir dir;
  const std::string path = dir.file("a.jsonl");
  testing::write_file(path, "{\"id\":0}\n");
  JsonItemWriter<Item> writer({.path = path, .format = JsonFormat::LINES, .append = true}, item_text);
  ExecutionContext ctx;
  writer.open(ctx);
  writer.write(Chunk<Item>({{1, "x"}}));
  writer.update(ctx);
  writer.close();
  EXPECT_EQ(read_file(path), "{\"id\":0}\n{\"id\":1,\"name\":\"x\"}\n");
}

// The restart contract of a writer: k committed chunks, one more written
// but not committed, then a crash (with or without close()); a new writer
// opened on the committed context finishes the run. The file must equal an
// uninterrupted run's, byte for byte.
template <class MakeWriter>
void expect_writer_restart(const std::string& path, MakeWriter make, int chunks, int k,
                           bool close_on_failure) {
  const int per_chunk = 3;
  auto chunk = [&](int c) { return Chunk<Item>(items(c * per_chunk, (c + 1) * per_chunk)); };
  std::string uninterrupted;
  {
    ExecutionContext ctx;
    auto writer = make();
    writer->open(ctx);
    for (int c = 0; c < chunks; ++c) {
      writer->write(chunk(c));
      writer->update(ctx);
    }
    writer->close();
    uninterrupted = read_file(path);
  }
  std::remove(path.c_str());
  ExecutionContext committed;
  {
    ExecutionContext ctx;
    auto writer = make();
    writer->open(ctx);
    committed = testing::persisted(ctx);
    for (int c = 0; c < k; ++c) {
      writer->write(chunk(c));
      writer->update(ctx);
      committed = testing::persisted(ctx);
    }
    writer->write(chunk(k));  // never committed
    if (close_on_failure) writer->close();
  }
  {
    auto writer = make();
    writer->open(committed);
    for (int c = k; c < chunks; ++c) {
      writer->write(chunk(c));
      writer->update(committed);
    }
    writer->close();
  }
  EXPECT_EQ(read_file(path), uninterrupted) << "k=" << k << " close_on_failure=" << close_on_failure;
}

TEST(JsonItemWriterTest, RestartProducesTheFileOfAnUninterruptedRun) {
  ScratchDir dir;
  const std::string array = dir.file("r.json");
  const std::string lines = dir.file("r.jsonl");
  for (int k : {0, 1, 3}) {
    for (bool close_on_failure : {false, true}) {
      expect_writer_restart(
          array, [&] { return std::make_unique<JsonItemWriter<Item>>(JsonWriterOptions{.path = array}, item_json); },
          4, k, close_on_failure);
      const nlohmann::json parsed = nlohmann::json::parse(read_file(array));
      ASSERT_EQ(parsed.size(), 12u);
      for (size_t i = 0; i < parsed.size(); ++i) EXPECT_EQ(parsed[i]["id"], i);
      expect_writer_restart(
          lines,
          [&] {
            return std::make_unique<JsonItemWriter<Item>>(
                JsonWriterOptions{.path = lines, .format = JsonFormat::LINES}, item_text);
          },
          4, k, close_on_failure);
    }
  }
}

TEST(JsonItemWriterTest, RecordsKeepFieldOrderAndTypes) {
  Record r(make_record_layout({"z", "a", "n", "d", "whole", "b", "s", "nil", "day", "inf"}),
           {Value(std::string("last")), Value(int64_t{-5}), Value(int64_t{0}), Value(0.25), Value(2.0),
            Value(true), Value(std::string("q\"\n")), Value(std::monostate{}), Value(Date{std::chrono::year{2024}, std::chrono::month{2}, std::chrono::day{29}}),
            Value(std::numeric_limits<double>::infinity())});
  std::string out;
  append_record_json(r, out);
  EXPECT_EQ(out,
            "{\"z\":\"last\",\"a\":-5,\"n\":0,\"d\":0.25,\"whole\":2.0,\"b\":true,\"s\":\"q\\\"\\n\","
            "\"nil\":null,\"day\":\"2024-02-29\",\"inf\":null}");
  // Reads back with the same values (but null for the infinity).
  Record back = record_from_json(nlohmann::json::parse(out));
  EXPECT_EQ(back.get("whole"), Value(2.0));
  EXPECT_EQ(back.get_string("s"), "q\"\n");
}

// The football players of the Spring Batch samples, CSV → JSON (array and
// lines) as records, read back as records: same values, same order.
TEST(JsonItemWriterTest, FootballPlayersRoundTripAsRecords) {
  ScratchDir dir;
  const std::string csv = std::string(CPPBATCH_REFERENCE_DATA) + "/spring-batch-samples/football/player.csv";
  std::vector<Record> players;
  {
    DelimitedRecordReader reader(
        {.path = csv, .names = {"id", "lastName", "firstName", "position", "birthYear", "debutYear"}});
    ExecutionContext ctx;
    reader.open(ctx);
    RecordMapper mapper;
    while (const FieldSet* fs = reader.next()) {
      Record r = mapper(*fs);
      r.set("birthYear", r.get_long("birthYear"));  // typed, to see types survive
      players.push_back(std::move(r));
    }
  }
  ASSERT_GT(players.size(), 4000u);
  for (auto format : {JsonFormat::ARRAY, JsonFormat::LINES}) {
    const std::string path = dir.file(format == JsonFormat::ARRAY ? "players.json" : "players.jsonl");
    JsonItemWriter<Record> writer({.path = path, .format = format}, append_record_json);
    ExecutionContext ctx;
    writer.open(ctx);
    for (size_t i = 0; i < players.size(); i += 500) {
      writer.write(Chunk<Record>(std::vector<Record>(
          players.begin() + static_cast<std::ptrdiff_t>(i),
          players.begin() + static_cast<std::ptrdiff_t>(std::min(i + 500, players.size())))));
      writer.update(ctx);
    }
    writer.close();
    JsonItemReader<Record> reader({.path = path, .format = format}, JsonRecordMapper{});
    ExecutionContext rctx;
    reader.open(rctx);
    std::vector<Record> back;
    while (auto r = reader.read()) back.push_back(std::move(*r));
    ASSERT_EQ(back.size(), players.size());
    EXPECT_TRUE(back == players);
    EXPECT_EQ(back[0].get_string("id"), "AbduKa00");
    EXPECT_EQ(back[0].get("birthYear"), Value(int64_t{1974}));
  }
}

}  // namespace
}  // namespace cppbatch
