// json_xml_bench: the JSON and XML item readers and writers against
// hand-written loops doing the same work with the same libraries.
//
// Workload: N trades (id, isin, quantity, price, side, note with a quote
// and a non-ASCII character), ~130 bytes each as JSON.
//   JSON array read   JsonItemReader<Trade> (ARRAY)  vs  simdjson DOM: load the
//                     whole file, parse, iterate the array
//   JSONL read        JsonItemReader (LINES), JsonValue mapper  vs  simdjson parse_many
//                     (DOM) and iterate_many (On-Demand); JsonCursor mapper (lazy,
//                     On-Demand inside)  vs  iterate_many, the fastest honest baseline
//   JSONL write       JsonItemWriter<Trade> (LINES, appending formatter)  vs  the
//                     same formatting into a buffer flushed with write(2) per MiB
//   XML read          XmlItemReader<Trade>  vs  an xmlTextReader loop
//   XML write         XmlItemWriter<Trade>  vs  the same escaping into a buffer
// Framework rows run like a chunk step: chunks of 1000 items into a
// Chunk<Trade>, update(ctx) after each. Readers build the same Trade
// objects (strings copied) as the baselines; a checksum over the items
// proves both did the same work; writers' outputs are compared byte for
// byte.
//
// BENCH_ITEMS overrides N (default 500,000); BENCH_REPS the repetitions;
// BENCH_ONLY=TEXT runs the rows whose label contains TEXT (for profiling
// one of them with valgrind --tool=callgrind).
#include <fcntl.h>
#include <unistd.h>

#include <libxml/xmlreader.h>
#include <simdjson.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "bench_util.hpp"
#include "cppbatch/core/chunk.hpp"
#include "cppbatch/core/execution_context.hpp"
#include "cppbatch/infrastructure/json_item_reader.hpp"
#include "cppbatch/infrastructure/json_item_writer.hpp"
#include "cppbatch/infrastructure/xml_item_reader.hpp"
#include "cppbatch/infrastructure/xml_item_writer.hpp"

namespace {

constexpr size_t kChunk = 1000;

struct Trade {
  int64_t id = 0;
  std::string isin;
  int64_t quantity = 0;
  double price = 0;
  std::string side;
  std::string note;
};

uint64_t checksum(const Trade& t) {
  return static_cast<uint64_t>(t.id) * 31 + static_cast<uint64_t>(t.quantity) * 7 +
         static_cast<uint64_t>(t.price * 100) + t.isin.size() + t.side.size() * 3 + t.note.size() * 5;
}

Trade make_trade(int64_t i) {
  return Trade{i,
               "XS" + std::to_string(1000000000 + i),
               (i * 37) % 10000,
               static_cast<double>((i * 13) % 100000) / 100.0,
               i % 2 == 0 ? "BUY" : "SELL",
               "desk \"" + std::to_string(i % 97) + "\" é"};
}

// ---- JSON -------------------------------------------------------------------

void format_json(const Trade& t, std::string& out) {
  char number[32];
  out += "{\"id\":";
  out.append(number, static_cast<size_t>(std::to_chars(number, number + 32, t.id).ptr - number));
  out += ",\"isin\":";
  cppbatch::append_json_string(out, t.isin);
  out += ",\"quantity\":";
  out.append(number, static_cast<size_t>(std::to_chars(number, number + 32, t.quantity).ptr - number));
  out += ",\"price\":";
  out.append(number, static_cast<size_t>(std::to_chars(number, number + 32, t.price).ptr - number));
  out += ",\"side\":";
  cppbatch::append_json_string(out, t.side);
  out += ",\"note\":";
  cppbatch::append_json_string(out, t.note);
  out += '}';
}

Trade map_json(const cppbatch::JsonValue& j) {
  return Trade{j.get_long("id"), std::string(j.get_string("isin")), j.get_long("quantity"),
               j.get_double("price"), std::string(j.get_string("side")), std::string(j.get_string("note"))};
}

// The same mapping through a JsonCursor (members read lazily).
Trade map_cursor(const cppbatch::JsonCursor& j) {
  return Trade{j.get_long("id"), std::string(j.get_string("isin")), j.get_long("quantity"),
               j.get_double("price"), std::string(j.get_string("side")), std::string(j.get_string("note"))};
}

Trade map_dom(simdjson::dom::element e) {
  return Trade{e["id"].get_int64().value(), std::string(e["isin"].get_string().value()),
               e["quantity"].get_int64().value(), e["price"].get_double().value(),
               std::string(e["side"].get_string().value()), std::string(e["note"].get_string().value())};
}

// A hand-written output file: a buffer flushed with write(2) per MiB.
class HandOutput {
 public:
  explicit HandOutput(const std::string& path) : fd_(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644)) {
    if (fd_ < 0) throw std::runtime_error("cannot open " + path);
    buffer_.reserve(2 << 20);
  }
  ~HandOutput() {
    flush();
    ::close(fd_);
  }
  std::string& buffer() { return buffer_; }
  void maybe_flush() {
    if (buffer_.size() >= (1 << 20)) flush();
  }
  void flush() {
    size_t done = 0;
    while (done < buffer_.size()) {
      ssize_t n = ::write(fd_, buffer_.data() + done, buffer_.size() - done);
      if (n < 0) throw std::runtime_error("write failed");
      done += static_cast<size_t>(n);
    }
    buffer_.clear();
  }

 private:
  int fd_;
  std::string buffer_;
};

// Reads every item of `reader` chunk by chunk, as a step would.
template <class Reader>
uint64_t drain(Reader& reader) {
  cppbatch::ExecutionContext ctx;
  reader.open(ctx);
  cppbatch::Chunk<Trade> chunk;
  uint64_t sum = 0;
  for (;;) {
    chunk.clear();
    while (chunk.size() < kChunk) {
      auto item = reader.read();
      if (!item) break;
      chunk.add(std::move(*item));
    }
    for (const Trade& t : chunk) sum += checksum(t);
    reader.update(ctx);
    if (chunk.size() < kChunk) break;
  }
  reader.close();
  return sum;
}

// Writes `trades` chunk by chunk, as a step would.
template <class Writer>
void fill(Writer& writer, const std::vector<Trade>& trades) {
  cppbatch::ExecutionContext ctx;
  writer.open(ctx);
  cppbatch::Chunk<Trade> chunk;
  for (size_t i = 0; i < trades.size(); i += kChunk) {
    chunk.clear();
    for (size_t j = i; j < std::min(i + kChunk, trades.size()); ++j) chunk.add(trades[j]);
    writer.write(chunk);
    writer.update(ctx);
  }
  writer.close();
}

// Accumulates like drain(): the items of a chunk are built, then summed.
struct HandChunk {
  std::vector<Trade> items;
  uint64_t sum = 0;
  void add(Trade t) {
    items.push_back(std::move(t));
    if (items.size() == kChunk) flush();
  }
  void flush() {
    for (const Trade& t : items) sum += checksum(t);
    items.clear();
  }
};

uint64_t hand_json_array(const std::string& path) {
  simdjson::dom::parser parser;
  simdjson::padded_string json = simdjson::padded_string::load(path).value();
  HandChunk chunk;
  simdjson::dom::array trades = parser.parse(json).get_array().value();
  for (simdjson::dom::element e : trades) chunk.add(map_dom(e));
  chunk.flush();
  return chunk.sum;
}

uint64_t hand_jsonl_dom(const std::string& path) {
  simdjson::dom::parser parser;
  simdjson::padded_string json = simdjson::padded_string::load(path).value();
  HandChunk chunk;
  for (simdjson::dom::element e : parser.parse_many(json)) chunk.add(map_dom(e));
  chunk.flush();
  return chunk.sum;
}

uint64_t hand_jsonl_ondemand(const std::string& path) {
  simdjson::ondemand::parser parser;
  simdjson::padded_string json = simdjson::padded_string::load(path).value();
  simdjson::ondemand::document_stream docs = parser.iterate_many(json).value();
  HandChunk chunk;
  for (auto doc : docs) {
    simdjson::ondemand::object o = doc.get_object().value();
    Trade t;
    t.id = o["id"].get_int64().value();
    t.isin = std::string(o["isin"].get_string().value());
    t.quantity = o["quantity"].get_int64().value();
    t.price = o["price"].get_double().value();
    t.side = std::string(o["side"].get_string().value());
    t.note = std::string(o["note"].get_string().value());
    chunk.add(std::move(t));
  }
  chunk.flush();
  return chunk.sum;
}

void hand_jsonl_write(const std::string& path, const std::vector<Trade>& trades) {
  HandOutput out(path);
  for (const Trade& t : trades) {
    format_json(t, out.buffer());
    out.buffer() += '\n';
    out.maybe_flush();
  }
}

// ---- XML --------------------------------------------------------------------

void format_xml(const Trade& t, cppbatch::XmlWriter& out) {
  out.start("trade")
      .attribute("id", std::to_string(t.id))
      .element("isin", t.isin)
      .element("quantity", t.quantity)
      .element("price", t.price)
      .element("side", t.side)
      .element("note", t.note)
      .end();
}

Trade map_xml(const cppbatch::XmlElement& e) {
  return Trade{e.attribute_long("id"),           std::string(e.child_text("isin")),
               e.child_long("quantity"),          e.child_double("price"),
               std::string(e.child_text("side")), std::string(e.child_text("note"))};
}

std::string_view xml_text(const xmlChar* s) {
  return s == nullptr ? std::string_view() : std::string_view(reinterpret_cast<const char*>(s));
}

uint64_t hand_xml_read(const std::string& path) {
  xmlTextReaderPtr r = xmlReaderForFile(path.c_str(), nullptr, XML_PARSE_NONET | XML_PARSE_COMPACT | XML_PARSE_NOCDATA);
  HandChunk chunk;
  Trade t;
  std::string* field = nullptr;
  std::string number;
  int64_t* long_field = nullptr;
  double* double_field = nullptr;
  while (xmlTextReaderRead(r) == 1) {
    const int type = xmlTextReaderNodeType(r);
    if (type == XML_READER_TYPE_ELEMENT) {
      std::string_view name = xml_text(xmlTextReaderConstLocalName(r));
      field = nullptr;
      long_field = nullptr;
      double_field = nullptr;
      number.clear();
      if (name == "trade") {
        t = Trade{};
        xmlChar* id = xmlTextReaderGetAttribute(r, reinterpret_cast<const xmlChar*>("id"));
        t.id = std::strtoll(reinterpret_cast<const char*>(id), nullptr, 10);
        xmlFree(id);
      } else if (name == "isin") {
        field = &t.isin;
      } else if (name == "side") {
        field = &t.side;
      } else if (name == "note") {
        field = &t.note;
      } else if (name == "quantity") {
        long_field = &t.quantity;
      } else if (name == "price") {
        double_field = &t.price;
      }
    } else if (type == XML_READER_TYPE_TEXT) {
      std::string_view value = xml_text(xmlTextReaderConstValue(r));
      if (field != nullptr) field->append(value);
      if (long_field != nullptr || double_field != nullptr) number.append(value);
    } else if (type == XML_READER_TYPE_END_ELEMENT) {
      std::string_view name = xml_text(xmlTextReaderConstLocalName(r));
      if (long_field != nullptr) *long_field = std::strtoll(number.c_str(), nullptr, 10);
      if (double_field != nullptr) *double_field = std::strtod(number.c_str(), nullptr);
      field = nullptr;
      long_field = nullptr;
      double_field = nullptr;
      if (name == "trade") chunk.add(std::move(t));
    }
  }
  xmlFreeTextReader(r);
  chunk.flush();
  return chunk.sum;
}

void hand_xml_write(const std::string& path, const std::vector<Trade>& trades) {
  HandOutput out(path);
  out.buffer() += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<trades>\n";
  for (const Trade& t : trades) {
    out.buffer() += "  ";
    cppbatch::XmlWriter w(out.buffer());
    format_xml(t, w);
    out.buffer() += '\n';
    out.maybe_flush();
  }
  out.buffer() += "</trades>\n";
}

uint64_t file_size(const std::string& path) { return std::filesystem::file_size(path); }

}  // namespace

int main() {
  size_t n = 500'000;
  if (const char* env = std::getenv("BENCH_ITEMS")) n = std::strtoull(env, nullptr, 10);
  const int reps = bench::repetitions();
  const char* only = std::getenv("BENCH_ONLY");
  auto wanted = [&](const std::string& label) { return only == nullptr || label.find(only) != std::string::npos; };
  bench::TempDir dir("json-xml");

  std::vector<Trade> trades;
  trades.reserve(n);
  for (size_t i = 0; i < n; ++i) trades.push_back(make_trade(static_cast<int64_t>(i)));
  uint64_t expected = 0;
  for (const Trade& t : trades) expected += checksum(t);

  // Inputs, written by the framework's writers (checked against the hand
  // loops' below).
  const std::string jsonl = dir.file("trades.jsonl"), array = dir.file("trades.json"), xml = dir.file("trades.xml");
  {
    cppbatch::JsonItemWriter<Trade> lines({.path = jsonl, .format = cppbatch::JsonFormat::LINES}, format_json);
    fill(lines, trades);
    cppbatch::JsonItemWriter<Trade> arr({.path = array}, format_json);
    fill(arr, trades);
    cppbatch::XmlItemWriter<Trade> x({.path = xml, .root = "trades"}, format_xml);
    fill(x, trades);
  }

  bench::print_header("json_xml_bench — JSON / JSON Lines / XML item readers and writers, chunk 1000",
                      std::to_string(n) + " trades; JSONL " + std::to_string(file_size(jsonl) / 1'000'000) +
                          " MB, XML " + std::to_string(file_size(xml) / 1'000'000) +
                          " MB (MB/s = file MB per second); baselines: hand-written loops with the same library");
  std::vector<bench::Row> rows;
  auto check = [&](uint64_t sum, const char* what) {
    if (sum != expected) {
      std::fprintf(stderr, "%s: checksum %llu, expected %llu\n", what, static_cast<unsigned long long>(sum),
                   static_cast<unsigned long long>(expected));
      std::exit(1);
    }
  };
  auto read_row = [&](const std::string& label, const std::string& path, const std::function<uint64_t()>& framework,
                      const std::function<uint64_t()>& baseline) {
    if (!wanted(label)) return;
    uint64_t fw_sum = 0, base_sum = 0;
    bench::Timing fw = bench::measure(reps, [&] { fw_sum = framework(); });
    bench::Timing base = bench::measure(reps, [&] { base_sum = baseline(); });
    check(fw_sum, label.c_str());
    check(base_sum, (label + " (baseline)").c_str());
    rows.push_back({label, n, fw, base, file_size(path)});
  };

  read_row("JSON array read vs DOM load+parse", array,
           [&] {
             cppbatch::JsonItemReader<Trade> r({.path = array}, map_json);
             return drain(r);
           },
           [&] { return hand_json_array(array); });
  read_row("JSONL read, JsonValue vs DOM parse_many", jsonl,
           [&] {
             cppbatch::JsonItemReader r({.path = jsonl, .format = cppbatch::JsonFormat::LINES}, map_json);
             return drain(r);
           },
           [&] { return hand_jsonl_dom(jsonl); });
  read_row("JSONL read, JsonValue vs On-Demand", jsonl,
           [&] {
             cppbatch::JsonItemReader r({.path = jsonl, .format = cppbatch::JsonFormat::LINES}, map_json);
             return drain(r);
           },
           [&] { return hand_jsonl_ondemand(jsonl); });
  read_row("JSONL read, JsonCursor vs On-Demand", jsonl,
           [&] {
             cppbatch::JsonItemReader r({.path = jsonl, .format = cppbatch::JsonFormat::LINES}, map_cursor);
             return drain(r);
           },
           [&] { return hand_jsonl_ondemand(jsonl); });
  read_row("XML read vs xmlTextReader loop", xml,
           [&] {
             cppbatch::XmlItemReader<Trade> r({.path = xml, .fragment = "trade"}, map_xml);
             return drain(r);
           },
           [&] { return hand_xml_read(xml); });

  auto write_row = [&](const std::string& label, const std::string& reference,
                       const std::function<void(const std::string&)>& framework,
                       const std::function<void(const std::string&)>& baseline) {
    if (!wanted(label)) return;
    const std::string fw_out = dir.file("fw.out"), base_out = dir.file("base.out");
    bench::Timing fw = bench::measure(reps, [&] { framework(fw_out); }, [&] { bench::remove_file(fw_out); });
    bench::Timing base = bench::measure(reps, [&] { baseline(base_out); }, [&] { bench::remove_file(base_out); });
    if (!bench::same_content(fw_out, base_out) || !bench::same_content(fw_out, reference)) {
      std::fprintf(stderr, "%s: outputs differ\n", label.c_str());
      std::exit(1);
    }
    rows.push_back({label, n, fw, base, file_size(fw_out)});
  };
  write_row("JSONL write vs buffer+write(2) loop", jsonl,
            [&](const std::string& out) {
              cppbatch::JsonItemWriter<Trade> w({.path = out, .format = cppbatch::JsonFormat::LINES}, format_json);
              fill(w, trades);
            },
            [&](const std::string& out) { hand_jsonl_write(out, trades); });
  write_row("XML write vs buffer+write(2) loop", xml,
            [&](const std::string& out) {
              cppbatch::XmlItemWriter<Trade> w({.path = out, .root = "trades"}, format_xml);
              fill(w, trades);
            },
            [&](const std::string& out) { hand_xml_write(out, trades); });
  bench::print_rows(rows);
  return 0;
}
