// XmlItemReader<T>: a restartable ItemReader over the fragments of an XML
// file (every element with a given name, e.g. each <trade>), mapping each
// to a T with a mapper given at construction — Spring's
// StaxEventItemReader with an unmarshaller. Streaming, restart (by count),
// errors: XmlFragmentReader (xml_fragment_reader.hpp) and
// docs/io-json-xml.md.
//
//   XmlItemReader<Trade> reader(
//       {.path = "trades.xml", .fragment = "trade"},
//       [](const XmlElement& e) {
//         return Trade{std::string(e.child_text("isin")), e.child_long("quantity"),
//                      e.child_double("price")};
//       });
//   XmlItemReader<Record> records({.path = "players.xml", .fragment = "player"},
//                                 XmlRecordMapper{});
//
// A mapping error (XmlValueError: missing child or attribute, bad number;
// or any other exception) becomes a ParseError with the file, the
// fragment's line, the child's name as field and the fragment as XML; the
// fragment is consumed, so a skip policy can skip it. Malformed XML is a
// ParseError that repeats on every later read (XML cannot be read past
// it). Not thread-safe.
#pragma once

#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

#include "cppbatch/core/item_reader.hpp"
#include "cppbatch/core/item_stream.hpp"
#include "cppbatch/infrastructure/xml_fragment_reader.hpp"

namespace cppbatch {

template <class T>
class XmlItemReader : public ItemReader<T>, public ItemStream {
 public:
  using Mapper = std::function<T(const XmlElement&)>;

  // Throws std::invalid_argument on bad options or an empty mapper.
  XmlItemReader(XmlReaderOptions options, Mapper mapper)
      : fragments_(std::move(options)), mapper_(std::move(mapper)) {
    if (!mapper_) throw std::invalid_argument("XmlItemReader: empty mapper");
  }

  // The next mapped fragment, or nullopt at the end of input.
  std::optional<T> read() override {
    const XmlElement* element = fragments_.next();
    if (element == nullptr) return std::nullopt;
    try {
      return std::optional<T>(mapper_(*element));
    } catch (const ParseError&) {
      throw;
    } catch (const XmlValueError& e) {
      throw ParseError(fragments_.options().path, element->line(), 0, e.name(), element->to_xml(),
                       e.what());
    } catch (const std::exception& e) {
      throw ParseError(fragments_.options().path, element->line(), 0, std::string(),
                       element->to_xml(), std::string("mapping failed: ") + e.what());
    }
  }

  void open(ExecutionContext& context) override { fragments_.open(context); }
  void update(ExecutionContext& context) override { fragments_.update(context); }
  void close() override { fragments_.close(); }

  const XmlFragmentReader& fragments() const { return fragments_; }

 private:
  XmlFragmentReader fragments_;
  Mapper mapper_;
};

}  // namespace cppbatch
