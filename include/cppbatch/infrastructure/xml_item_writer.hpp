// XmlItemWriter<T>: a restartable, transactional ItemWriter to an XML file
// (Spring's StaxEventItemWriter): an optional XML declaration, a root
// element with its attributes, one fragment per item written by a
// formatter through an XmlWriter (which escapes everything), and the
// closing root tag at close().
//
//   XmlItemWriter<Trade> writer(
//       {.path = "trades.xml", .root = "trades", .root_attributes = {{"xmlns", "urn:x"}}},
//       [](const Trade& t, XmlWriter& out) {
//         out.start("trade").attribute("id", std::to_string(t.id))
//            .element("isin", t.isin).element("quantity", t.quantity).end();
//       });
//   XmlItemWriter<Record> records({.path = "players.xml", .root = "players"},
//       [](const Record& r, XmlWriter& out) { write_record_xml(r, "player", out); });
//
// File layout: `<?xml version="1.0" encoding="UTF-8"?>\n<root a="v">\n` at
// a fresh start, each fragment as "  " + fragment + "\n", and "</root>\n"
// at close().
//
// Transactional (TransactionalFileOutput): update() commits the file size;
// a restart cuts the file back to the last committed size — which never
// includes the closing tag, written at close() only — and continues. The
// finished file is byte-identical to an uninterrupted run's and
// well-formed. A run that fails still closes the root at close(); the
// restart removes that tag again.
//
// Not thread-safe. If the formatter throws, leaves an element open or
// writes nothing, nothing of the chunk is written.
#pragma once

#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cppbatch/core/item_stream.hpp"
#include "cppbatch/core/item_writer.hpp"
#include "cppbatch/infrastructure/record.hpp"
#include "cppbatch/infrastructure/transactional_file_output.hpp"
#include "cppbatch/infrastructure/xml_writer.hpp"

namespace cppbatch {

struct XmlWriterOptions {
  // The file to write. Required. Its directory must exist.
  std::string path{};
  // Prefix of the ExecutionContext keys <name>.offset, <name>.written.
  std::string name = "xmlWriter";
  // Root element name. Required.
  std::string root{};
  // Root attributes in order, e.g. {{"xmlns", "urn:trades"}, {"version", "2"}}.
  std::vector<std::pair<std::string, std::string>> root_attributes{};
  // Start with <?xml version="1.0" encoding="UTF-8"?>.
  bool xml_declaration = true;
  // fdatasync() in update() (see DelimitedWriterOptions::sync_on_commit
  // for the cost).
  bool sync_on_commit = false;
};

// Record → one fragment: <element> with a child element per field, in
// layout order, holding the value's text (value_to_string); a null value
// is an empty element. Field names must be XML names
// (std::invalid_argument otherwise).
void write_record_xml(const Record& record, std::string_view element, XmlWriter& out);

template <class T>
class XmlItemWriter : public ItemWriter<T>, public ItemStream {
 public:
  using Formatter = std::function<void(const T&, XmlWriter&)>;

  // Throws std::invalid_argument on an empty path or formatter, or a root
  // or attribute name that is not an XML name.
  XmlItemWriter(XmlWriterOptions options, Formatter formatter)
      : options_(std::move(options)),
        formatter_(std::move(formatter)),
        output_(options_.path, options_.name, /*append=*/false, options_.sync_on_commit) {
    if (!formatter_) throw std::invalid_argument("XmlItemWriter: empty formatter");
    if (options_.xml_declaration) header_ = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    XmlWriter root(header_);
    root.start(options_.root);
    for (const auto& [name, value] : options_.root_attributes) root.attribute(name, value);
    root.raw("\n");
    footer_ = "</" + options_.root + ">\n";
  }

  // Fresh start: truncates the file and writes the declaration and the
  // root's start tag. Restart: truncates to the committed offset. See
  // TransactionalFileOutput::open for errors.
  void open(ExecutionContext& context) override {
    if (output_.open(context)) {
      output_.write(header_, 0);
      output_.update(context);
    }
  }

  void write(const Chunk<T>& chunk) override {
    buffer_.clear();
    XmlWriter out(buffer_);
    for (const T& item : chunk) {
      buffer_ += "  ";
      const size_t start = buffer_.size();
      formatter_(item, out);
      if (out.depth() != 0) {
        throw std::logic_error("XmlItemWriter '" + options_.name + "': the formatter left " +
                               std::to_string(out.depth()) + " element(s) open");
      }
      if (buffer_.size() == start) {
        throw std::invalid_argument("XmlItemWriter '" + options_.name +
                                    "': the formatter wrote nothing for an item");
      }
      buffer_ += '\n';
    }
    output_.write(buffer_, static_cast<int64_t>(chunk.size()));
  }

  void update(ExecutionContext& context) override { output_.update(context); }

  // Writes the closing root tag (not part of any committed offset) and
  // closes the file. Idempotent. Throws std::system_error when the tag
  // cannot be written (the file is closed anyway).
  void close() override {
    if (!output_.is_open()) return;
    try {
      output_.write(footer_, 0);
    } catch (...) {
      output_.close();
      throw;
    }
    output_.close();
  }

  // Cuts the file back to the last update() (a chunk rolled back in-process).
  void discard_uncommitted() override { output_.discard_uncommitted(); }
  const TransactionalFileOutput& output() const { return output_; }

 private:
  XmlWriterOptions options_;
  Formatter formatter_;
  TransactionalFileOutput output_;
  std::string header_, footer_;
  std::string buffer_;  // one chunk's text; keeps its capacity
};

}  // namespace cppbatch
