#include "cppbatch/infrastructure/xml_item_reader.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "unit/infrastructure/compression_test_support.hpp"
#include "unit/infrastructure/io_test_support.hpp"

namespace cppbatch {
namespace {

using testing::ScratchDir;
using testing::write_file;

struct Trade {
  int64_t id;
  std::string isin;
  int64_t quantity;
  double price;
  std::string note;
  bool operator==(const Trade&) const = default;
};

Trade map_trade(const XmlElement& e) {
  return Trade{e.attribute_long("id"), std::string(e.child_text("isin")), e.child_long("quantity"),
               e.child_double("price"), std::string(e.child_text("note", ""))};
}

const char* kTrades = R"(<?xml version="1.0" encoding="UTF-8"?>
<!-- a comment before the root -->
<t:trades xmlns:t="urn:trades" xmlns="urn:default" version="2">
  <t:trade id="1">
    <isin>XS0001</isin>
    <quantity> 5 </quantity>
    <price>10.5</price>
    <note>fish &amp; chips &lt;3 &#233;&#x2713; <![CDATA[<raw> & ]]> end</note>
  </t:trade>
  <meta><trade-count>3</trade-count></meta>
  <t:trade id="2"><isin>XS0002</isin><quantity>-7</quantity><price>1e3</price></t:trade>
  <group>
    <t:trade id="3" extra='single "quoted"'>
      <isin>日本</isin><quantity>0</quantity><price>0</price><note/>
    </t:trade>
  </group>
</t:trades>
)";

std::vector<Trade> read_trades(const std::string& path) {
  XmlItemReader<Trade> reader({.path = path, .fragment = "trade"}, map_trade);
  ExecutionContext ctx;
  reader.open(ctx);
  std::vector<Trade> out;
  while (auto t = reader.read()) out.push_back(*t);
  EXPECT_FALSE(reader.read().has_value());
  reader.close();
  return out;
}

TEST(XmlItemReaderTest, ReadsFragmentsAnywhereWithEntitiesCdataAndNamespaces) {
  ScratchDir dir;
  write_file(dir.file("t.xml"), kTrades);
  std::vector<Trade> got = read_trades(dir.file("t.xml"));
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0], (Trade{1, "XS0001", 5, 10.5, "fish & chips <3 \xC3\xA9\xE2\x9C\x93 <raw> &  end"}));
  EXPECT_EQ(got[1], (Trade{2, "XS0002", -7, 1000.0, ""}));
  EXPECT_EQ(got[2], (Trade{3, "日本", 0, 0.0, ""}));
}

TEST(XmlItemReaderTest, ElementViewGivesNamesNamespacesAttributesAndChildren) {
  ScratchDir dir;
  write_file(dir.file("t.xml"), kTrades);
  XmlFragmentReader reader({.path = dir.file("t.xml"), .fragment = "trade", .fragment_namespace = "urn:trades"});
  ExecutionContext ctx;
  reader.open(ctx);
  reader.next();
  reader.next();
  const XmlElement* e = reader.next();
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->name(), "t:trade");
  EXPECT_EQ(e->local_name(), "trade");
  EXPECT_EQ(e->namespace_uri(), "urn:trades");
  EXPECT_EQ(e->line(), 13);
  EXPECT_EQ(e->attribute_count(), 2u);  // namespace declarations are not attributes
  EXPECT_EQ(e->attribute("extra"), "single \"quoted\"");
  EXPECT_EQ(e->attribute("nope", "d"), "d");
  EXPECT_EQ(e->child_count(), 4u);
  std::vector<std::string> names;
  e->for_each_child([&](const XmlElement& c) { names.emplace_back(c.local_name()); });
  EXPECT_EQ(names, (std::vector<std::string>{"isin", "quantity", "price", "note"}));
  EXPECT_EQ(e->first_child()->next_sibling()->text(), "0");
  EXPECT_EQ(e->child("isin")->namespace_uri(), "urn:default");
  EXPECT_THROW((void)e->child_text("missing"), XmlValueError);
  EXPECT_THROW((void)e->child_long("isin"), XmlValueError);
  EXPECT_THROW((void)e->attribute_long("extra"), XmlValueError);
  EXPECT_EQ(reader.next(), nullptr);

  XmlFragmentReader other({.path = dir.file("t.xml"), .fragment = "trade", .fragment_namespace = "urn:other"});
  other.open(ctx);
  EXPECT_EQ(other.next(), nullptr);
}

TEST(XmlItemReaderTest, MappingErrorIsAParseErrorAndReadingContinues) {
  ScratchDir dir;
  write_file(dir.file("t.xml"),
             "<trades>\n<trade id=\"1\"><isin>A</isin><quantity>1</quantity><price>1</price></trade>\n"
             "<trade id=\"2\"><isin>B</isin><quantity>lots</quantity><price>1</price></trade>\n"
             "<trade id=\"3\"><isin>C</isin><quantity>3</quantity><price>1</price></trade>\n</trades>");
  XmlItemReader<Trade> reader({.path = dir.file("t.xml"), .fragment = "trade"}, map_trade);
  ExecutionContext ctx;
  reader.open(ctx);
  EXPECT_EQ(reader.read()->id, 1);
  try {
    (void)reader.read();
    FAIL();
  } catch (const ParseError& e) {
    EXPECT_EQ(e.resource(), dir.file("t.xml"));
    EXPECT_EQ(e.line(), 3);
    EXPECT_EQ(e.field(), "quantity");
    EXPECT_EQ(e.raw_line(), "<trade id=\"2\"><isin>B</isin><quantity>lots</quantity><price>1</price></trade>");
  }
  EXPECT_EQ(reader.read()->id, 3);
  EXPECT_FALSE(reader.read().has_value());
}

// libxml2 parses ahead by input blocks, so fragments just before the
// error (in the same few KB) are not delivered; the error comes instead,
// and again on every later read: the step fails, nothing is counted as read
// that was not delivered, and a restart on a repaired file resumes exactly.
TEST(XmlItemReaderTest, MalformedXmlIsLocatedAndRepeatsInsteadOfEndingQuietly) {
  ScratchDir dir;
  std::string xml = "<trades>\n";
  for (int i = 0; i < 400; ++i) {
    xml += "  <trade id=\"" + std::to_string(i) + "\"><isin>A</isin><quantity>1</quantity><price>1</price></trade>\n";
  }
  xml += "  <trade id=\"400\"><isin>B</isn></trade>\n";  // line 402
  xml += "  <trade id=\"401\"><isin>C</isin><quantity>3</quantity><price>1</price></trade>\n</trades>\n";
  write_file(dir.file("bad.xml"), xml);
  XmlItemReader<Trade> reader({.path = dir.file("bad.xml"), .fragment = "trade"}, map_trade);
  ExecutionContext ctx;
  reader.open(ctx);
  int64_t expected = 0;
  try {
    while (auto t = reader.read()) {
      EXPECT_EQ(t->id, expected);
      ++expected;
    }
    FAIL() << "expected ParseError";
  } catch (const ParseError& e) {
    EXPECT_EQ(e.line(), 402);
    EXPECT_GT(e.column(), 0);
    EXPECT_NE(e.reason().find("malformed XML"), std::string::npos);
    EXPECT_NE(e.raw_line().find("</isn>"), std::string::npos) << e.what();
  }
  EXPECT_GT(expected, 300) << "fragments well before the error are delivered";
  EXPECT_EQ(reader.fragments().read_count(), expected);
  EXPECT_THROW((void)reader.read(), ParseError);
  EXPECT_THROW((void)reader.read(), ParseError);
}

TEST(XmlItemReaderTest, TruncatedFileAndEmptyRootAndMissingFile) {
  ScratchDir dir;
  write_file(dir.file("cut.xml"),
             "<trades><trade id=\"1\"><isin>A</isin><quantity>1</quantity><price>1</price></trade><trade id=\"2\"><is");
  XmlItemReader<Trade> cut({.path = dir.file("cut.xml"), .fragment = "trade"}, map_trade);
  ExecutionContext ctx;
  cut.open(ctx);
  EXPECT_EQ(cut.read()->id, 1);
  EXPECT_THROW((void)cut.read(), ParseError);
  EXPECT_THROW((void)cut.read(), ParseError);

  write_file(dir.file("empty.xml"), "<?xml version=\"1.0\"?>\n<trades/>\n");
  EXPECT_TRUE(read_trades(dir.file("empty.xml")).empty());

  XmlFragmentReader missing({.path = dir.file("nope.xml"), .fragment = "trade"});
  try {
    missing.open(ctx);
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("nope.xml"), std::string::npos);
  }
  EXPECT_THROW(XmlFragmentReader({.path = "x.xml"}), std::invalid_argument);
}

TEST(XmlItemReaderTest, ExternalEntitiesAreNeverLoaded) {
  ScratchDir dir;
  write_file(dir.file("secret.txt"), "SECRET");
  write_file(dir.file("xxe.xml"), "<?xml version=\"1.0\"?>\n<!DOCTYPE trades [<!ENTITY x SYSTEM \"" +
                                      dir.file("secret.txt") +
                                      "\">]>\n<trades><trade id=\"1\"><isin>&x;</isin><quantity>1</quantity>"
                                      "<price>1</price></trade></trades>\n");
  std::vector<Trade> got = read_trades(dir.file("xxe.xml"));
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].isin.find("SECRET"), std::string::npos);
}

TEST(XmlItemReaderTest, ManyFragmentsStreamThroughLibxmlBuffers) {
  ScratchDir dir;
  std::string xml = "<trades>\n";
  for (int i = 0; i < 20000; ++i) {
    xml += "  <trade id=\"" + std::to_string(i) + "\"><isin>I&amp;" + std::to_string(i) +
           "</isin><quantity>" + std::to_string(i * 3) + "</quantity><price>" + std::to_string(i) +
           ".25</price></trade>\n";
  }
  xml += "</trades>\n";
  write_file(dir.file("many.xml"), xml);
  std::vector<Trade> got = read_trades(dir.file("many.xml"));
  ASSERT_EQ(got.size(), 20000u);
  for (int i = 0; i < 20000; ++i) {
    ASSERT_EQ(got[static_cast<size_t>(i)], (Trade{i, "I&" + std::to_string(i), i * 3, i + 0.25, ""})) << i;
  }
}

TEST(XmlItemReaderTest, RestartResumesAfterTheCommittedFragment) {
  ScratchDir dir;
  std::string xml = "<trades>\n";
  for (int i = 0; i < 40; ++i) {
    xml += "<trade id=\"" + std::to_string(i) + "\"><isin>X</isin><quantity>" + std::to_string(i) +
           "</quantity><price>1</price>" + (i % 5 == 0 ? "<note/>" : "") + "</trade>" +
           (i % 3 == 0 ? "<other><trade id=\"" + std::to_string(1000 + i) +
                             "\"><isin>N</isin><quantity>0</quantity><price>0</price></trade></other>"
                       : "") +
           "\n";
  }
  xml += "</trades>\n";
  write_file(dir.file("r.xml"), xml);
  // Empty fragments too: <trade/> must be skipped exactly on restart.
  write_file(dir.file("e.xml"), "<r><trade/><trade a=\"1\"/><trade><x/></trade><trade/></r>");
  for (size_t k : {0u, 1u, 13u, 52u}) {
    testing::expect_reader_restart<XmlItemReader<Trade>>(
        [&] { return std::make_unique<XmlItemReader<Trade>>(XmlReaderOptions{.path = dir.file("r.xml"), .fragment = "trade"}, map_trade); },
        k, 3);
  }
  for (size_t k : {0u, 1u, 2u}) {
    testing::expect_reader_restart<XmlItemReader<std::string>>(
        [&] {
          return std::make_unique<XmlItemReader<std::string>>(
              XmlReaderOptions{.path = dir.file("e.xml"), .fragment = "trade"},
              [](const XmlElement& e) { return e.to_xml(); });
        },
        k, 1);
  }
  // A file with fewer fragments than the restart point is refused.
  ExecutionContext ctx;
  ctx.put_long("xmlReader.read.count", 5);
  XmlFragmentReader reader({.path = dir.file("e.xml"), .fragment = "trade"});
  EXPECT_THROW(reader.open(ctx), std::runtime_error);
}

TEST(XmlItemReaderTest, RecordMapperFlattensAttributesAndChildren) {
  ScratchDir dir;
  write_file(dir.file("p.xml"),
             "<players>"
             "<player id=\"A1\"><name>Ann</name><born>1974</born><address><city>Lyon</city><zip/></address></player>"
             "<player id=\"B2\"><name>Bob</name><born>1980</born><address><city>Oslo</city><zip>0150</zip></address></player>"
             "<player id=\"C3\"><name>x</name><name>y</name></player>"
             "</players>");
  XmlItemReader<Record> reader({.path = dir.file("p.xml"), .fragment = "player"}, XmlRecordMapper{});
  ExecutionContext ctx;
  reader.open(ctx);
  Record a = *reader.read();
  Record b = *reader.read();
  EXPECT_EQ(a.layout()->list(), (std::vector<std::string>{"id", "name", "born", "address.city", "address.zip"}));
  EXPECT_EQ(a.get_string("id"), "A1");
  EXPECT_EQ(a.get_long("born"), 1974);
  EXPECT_EQ(a.get_string("address.zip"), "");
  EXPECT_EQ(b.get_string("address.zip"), "0150");
  EXPECT_EQ(a.layout().get(), b.layout().get());
  try {
    (void)reader.read();
    FAIL() << "a repeated child must not silently lose a value";
  } catch (const ParseError& e) {
    EXPECT_EQ(e.field(), "name");
  }
  EXPECT_FALSE(reader.read().has_value());
}

TEST(XmlItemReaderTest, CompressedFilesReadAndRestartLikeThePlainFile) {
  ScratchDir dir;
  std::string xml = "<?xml version=\"1.0\"?>\n<trades>\n";
  for (int i = 0; i < 2000; ++i) {
    xml += "  <trade id=\"" + std::to_string(i) + "\"><isin>X" + std::to_string(i) + "</isin><quantity>" +
           std::to_string(i % 97) + "</quantity><price>1.5</price></trade>\n";
  }
  xml += "</trades>\n";
  write_file(dir.file("t.xml"), xml);
  testing::write_zstd(dir.file("t.xml.zst"), xml);
  testing::write_gzip(dir.file("t.xml.gz"), xml);
  auto read = [&](const std::string& name) {
    XmlItemReader<Trade> reader({.path = dir.file(name), .fragment = "trade"}, map_trade);
    ExecutionContext ctx;
    reader.open(ctx);
    std::vector<Trade> out;
    while (auto t = reader.read()) out.push_back(*t);
    return out;
  };
  const std::vector<Trade> plain = read("t.xml");
  ASSERT_EQ(plain.size(), 2000u);
  for (const char* name : {"t.xml.zst", "t.xml.gz"}) {
    EXPECT_TRUE(read(name) == plain) << name;
    for (size_t k : {0u, 1u, 1000u, 1999u}) {
      testing::expect_reader_restart<XmlItemReader<Trade>>(
          [&] {
            return std::make_unique<XmlItemReader<Trade>>(
                XmlReaderOptions{.path = dir.file(name), .fragment = "trade"}, map_trade);
          },
          k, 3);
    }
  }
}

TEST(XmlItemReaderTest, ErrorsInACompressedFileShowTheDecompressedLine) {
  ScratchDir dir;
  testing::write_zstd(dir.file("bad.xml.zst"), "<trades>\n<trade id=\"1\"><isin>A</isin></trade>\n<trade id=\"2\"><isin>B</is></trade>\n</trades>\n");
  XmlItemReader<std::string> reader({.path = dir.file("bad.xml.zst"), .fragment = "trade"},
                                    [](const XmlElement& e) { return std::string(e.child_text("isin")); });
  ExecutionContext ctx;
  reader.open(ctx);
  try {
    while (reader.read()) {
    }
    FAIL() << "malformed XML must throw";
  } catch (const ParseError& e) {
    EXPECT_EQ(e.line(), 3);
    EXPECT_EQ(e.raw_line(), "<trade id=\"2\"><isin>B</is></trade>");
  }
}

}  // namespace
}  // namespace cppbatch
