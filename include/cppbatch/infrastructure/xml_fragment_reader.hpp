// XmlFragmentReader: reads the fragments of an XML file — every element
// with a given name, wherever it is (e.g. each <trade> under the root) —
// one by one, restartably: the untyped engine behind XmlItemReader<T>
// (Spring's StaxEventItemReader). Streaming with libxml2's pull parser
// (xmlTextReader): only the current fragment is held in memory.
//
//   XmlFragmentReader reader({.path = "trades.xml", .fragment = "trade"});
//   reader.open(ctx);
//   while (const XmlElement* trade = reader.next()) use(trade->child_text("isin"));
//   reader.close();
//
// gzip and zstd files are decompressed on the fly (byte_source.hpp), as
// for every file reader.
//
// Restart is by count, like Spring: update() saves the number of fragments
// handed out; open() parses the file again from the top and skips that
// many fragments without building them. Cost: re-parsing the skipped part
// (libxml2 parses at roughly 100–300 MB/s; a compressed file is also
// decompressed again), against nothing for the byte
// offsets of the JSON and delimited readers. A byte offset cannot be made
// exact here: the pull parser reads ahead by buffers and a resumed parse
// would need the document's open elements and namespace declarations.
// The input must not change between runs.
//
// Errors: XML that is not well-formed throws ParseError (file, line,
// column, libxml2's reason). XML cannot be parsed past such an error, so
// every later next() throws it again — reading never ends quietly with
// fragments missing. DTD-declared entities are not expanded (no external
// entity is ever loaded); the predefined ones and character references
// are. Not thread-safe.
#pragma once

#include <cstdint>
#include <exception>
#include <memory>
#include <optional>
#include <string>

#include "cppbatch/core/item_stream.hpp"
#include "cppbatch/infrastructure/byte_source.hpp"
#include "cppbatch/infrastructure/parse_error.hpp"
#include "cppbatch/infrastructure/xml_element.hpp"

namespace cppbatch {

struct XmlReaderOptions {
  // The file to read. Required. A missing file fails open(). gzip and
  // zstd files are decompressed on the fly (see `compression`).
  std::string path{};
  // AUTO: recognise gzip/zstd by their magic bytes, else plain XML.
  Compression compression = Compression::AUTO;
  // Prefix of the ExecutionContext key <name>.read.count.
  std::string name = "xmlReader";
  // Local name of the fragment elements. Required.
  std::string fragment{};
  // Namespace URI the fragments must have; empty = any (or none).
  std::string fragment_namespace{};
  // false: update() saves nothing and open() ignores saved state.
  bool save_state = true;
};

class XmlFragmentReader : public ItemStream {
 public:
  // Throws std::invalid_argument on an empty path or fragment name.
  explicit XmlFragmentReader(XmlReaderOptions options);
  ~XmlFragmentReader() override;
  XmlFragmentReader(const XmlFragmentReader&) = delete;
  XmlFragmentReader& operator=(const XmlFragmentReader&) = delete;

  // Opens the file; with a saved <name>.read.count, skips that many
  // fragments. Throws std::runtime_error naming the path when the file
  // cannot be read, ParseError when it is malformed before the restart
  // point, std::runtime_error when it has fewer fragments than saved.
  void open(ExecutionContext& context) override;
  // Saves <name>.read.count.
  void update(ExecutionContext& context) override;
  // Releases the parser and the file. Idempotent.
  void close() override;

  // The next fragment's root element, or nullptr at the end (and after).
  // Valid until the next call to next() or close(). Throws ParseError for
  // malformed XML (and again on every later call), std::logic_error
  // before open().
  const XmlElement* next();

  const XmlReaderOptions& options() const { return options_; }
  int64_t read_count() const { return read_count_; }
  // The last fragment returned (for messages), or nullptr.
  const XmlFragment& fragment() const { return fragment_; }

 private:
  struct Impl;
  bool advance();                   // next node; false at the end
  bool at_fragment() const;         // positioned on a fragment's start tag
  void build_fragment();
  void skip_fragment();
  [[noreturn]] void fail();

  XmlReaderOptions options_;
  std::string who_;
  std::string count_key_;
  std::unique_ptr<Impl> impl_;
  XmlFragment fragment_;
  std::optional<XmlElement> root_;
  int64_t read_count_ = 0;
  bool open_ = false;
  bool done_ = false;
  bool positioned_ = false;  // the parser already stands on the next node
  std::exception_ptr fatal_;  // a fatal parse or I/O error, thrown again
};

}  // namespace cppbatch
