#include "cppbatch/infrastructure/xml_item_writer.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cppbatch/infrastructure/delimited_record_reader.hpp"
#include "cppbatch/infrastructure/xml_item_reader.hpp"
#include "unit/infrastructure/io_test_support.hpp"

namespace cppbatch {
namespace {

using testing::read_file;
using testing::ScratchDir;

struct Item {
  int64_t id;
  std::string name;
};

void format_item(const Item& item, XmlWriter& out) {
  out.start("item").attribute("id", std::to_string(item.id)).element("name", item.name).end();
}

std::vector<Item> items(int64_t from, int64_t to) {
  std::vector<Item> out;
  for (int64_t i = from; i < to; ++i) out.push_back({i, "n<" + std::to_string(i) + "> & \"é\""});
  return out;
}

// Everything the reader makes of the file (it must be well-formed).
std::vector<std::string> fragments(const std::string& path, const std::string& name) {
  XmlItemReader<std::string> reader({.path = path, .fragment = name},
                                    [](const XmlElement& e) { return e.to_xml(); });
  ExecutionContext ctx;
  reader.open(ctx);
  std::vector<std::string> out;
  while (auto f = reader.read()) out.push_back(*f);
  return out;
}

TEST(XmlWriterTest, EscapesTextAndAttributesAndChecksNames) {
  std::string out;
  XmlWriter w(out);
  w.start("a").attribute("q", "\"<&>'\t\n\r").text("x < y & z > w\r\n\"'")
      .element("n", 42).element("d", 0.1).element("e", "").start("p:q").end().end();
  EXPECT_EQ(out,
            "<a q=\"&quot;&lt;&amp;&gt;'&#9;&#10;&#13;\">x &lt; y &amp; z &gt; w&#13;\n\"'"
            "<n>42</n><d>0.1</d><e/><p:q/></a>");
  EXPECT_EQ(w.depth(), 0u);
  EXPECT_THROW(w.start("1bad"), std::invalid_argument);
  EXPECT_THROW(w.start("a b"), std::invalid_argument);
  EXPECT_THROW(w.end(), std::logic_error);
  std::string other;
  XmlWriter v(other);
  v.start("a").text("t");
  EXPECT_THROW(v.attribute("late", "x"), std::logic_error);
  EXPECT_THROW(v.text(std::string("bell\x07")), std::invalid_argument);
}

TEST(XmlItemWriterTest, WritesDeclarationRootFragmentsAndClosingTag) {
  ScratchDir dir;
  const std::string path = dir.file("out.xml");
  XmlItemWriter<Item> writer(
      {.path = path, .root = "items", .root_attributes = {{"xmlns", "urn:x"}, {"v", "a&b"}}}, format_item);
  ExecutionContext ctx;
  writer.open(ctx);
  writer.write(Chunk<Item>({{1, "a"}, {2, "b & c"}}));
  writer.update(ctx);
  writer.close();
  EXPECT_EQ(read_file(path),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<items xmlns=\"urn:x\" v=\"a&amp;b\">\n"
            "  <item id=\"1\"><name>a</name></item>\n"
            "  <item id=\"2\"><name>b &amp; c</name></item>\n"
            "</items>\n");
  EXPECT_EQ(fragments(path, "item").size(), 2u);

  const std::string empty = dir.file("empty.xml");
  XmlItemWriter<Item> none({.path = empty, .root = "items", .xml_declaration = false}, format_item);
  none.open(ctx = ExecutionContext{});
  none.close();
  EXPECT_EQ(read_file(empty), "<items>\n</items>\n");
  EXPECT_TRUE(fragments(empty, "item").empty());
  EXPECT_THROW(XmlItemWriter<Item>({.path = empty, .root = "bad root"}, format_item), std::invalid_argument);
}

TEST(XmlItemWriterTest, ABadFormatterWritesNothingOfTheChunk) {
  ScratchDir dir;
  const std::string path = dir.file("bad.xml");
  XmlItemWriter<Item> open_left({.path = path, .root = "r", .xml_declaration = false},
                                [](const Item& item, XmlWriter& out) {
                                  out.start("item");
                                  if (item.id != 2) out.end();
                                });
  ExecutionContext ctx;
  open_left.open(ctx);
  open_left.write(Chunk<Item>({{1, ""}}));
  open_left.update(ctx);
  EXPECT_THROW(open_left.write(Chunk<Item>({{3, ""}, {2, ""}})), std::logic_error);
  XmlItemWriter<Item> bad_text({.path = dir.file("b2.xml"), .root = "r"},
                               [](const Item&, XmlWriter& out) { out.element("x", std::string(1, '\0')); });
  ExecutionContext bad_ctx;
  bad_text.open(bad_ctx);
  EXPECT_THROW(bad_text.write(Chunk<Item>({{1, ""}})), std::invalid_argument);
  open_left.close();
  EXPECT_EQ(read_file(path), "<r>\n  <item/>\n</r>\n");
}

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

TEST(XmlItemWriterTest, RestartProducesTheFileOfAnUninterruptedRun) {
  ScratchDir dir;
  const std::string path = dir.file("r.xml");
  for (int k : {0, 1, 3}) {
    for (bool close_on_failure : {false, true}) {
      expect_writer_restart(
          path,
          [&] {
            return std::make_unique<XmlItemWriter<Item>>(XmlWriterOptions{.path = path, .root = "items"},
                                                         format_item);
          },
          4, k, close_on_failure);
      std::vector<std::string> got = fragments(path, "item");
      ASSERT_EQ(got.size(), 12u);
      for (int i = 0; i < 12; ++i) {
        EXPECT_NE(got[static_cast<size_t>(i)].find("id=\"" + std::to_string(i) + "\""), std::string::npos);
      }
    }
  }
}

// The football players of the Spring Batch samples, CSV → XML as records
// and back: same values, same order.
TEST(XmlItemWriterTest, FootballPlayersRoundTripAsRecords) {
  ScratchDir dir;
  const std::string csv = std::string(CPPBATCH_REFERENCE_DATA) + "/spring-batch-samples/football/player.csv";
  std::vector<Record> players;
  {
    DelimitedRecordReader reader(
        {.path = csv, .names = {"id", "lastName", "firstName", "position", "birthYear", "debutYear"}});
    ExecutionContext ctx;
    reader.open(ctx);
    RecordMapper mapper;
    while (const FieldSet* fs = reader.next()) players.push_back(mapper(*fs));
  }
  ASSERT_GT(players.size(), 4000u);
  const std::string path = dir.file("players.xml");
  {
    XmlItemWriter<Record> writer({.path = path, .root = "players"},
                                 [](const Record& r, XmlWriter& out) { write_record_xml(r, "player", out); });
    ExecutionContext ctx;
    writer.open(ctx);
    for (size_t i = 0; i < players.size(); i += 500) {
      writer.write(Chunk<Record>(std::vector<Record>(
          players.begin() + static_cast<std::ptrdiff_t>(i),
          players.begin() + static_cast<std::ptrdiff_t>(std::min(i + 500, players.size())))));
      writer.update(ctx);
    }
    writer.close();
  }
  XmlItemReader<Record> reader({.path = path, .fragment = "player"}, XmlRecordMapper{});
  ExecutionContext ctx;
  reader.open(ctx);
  std::vector<Record> back;
  while (auto r = reader.read()) back.push_back(std::move(*r));
  ASSERT_EQ(back.size(), players.size());
  EXPECT_TRUE(back == players);
  EXPECT_EQ(back[0].get_string("lastName"), "Abdul-Jabbar");
  EXPECT_EQ(back[0].get_long("birthYear"), 1974);
}

}  // namespace
}  // namespace cppbatch
