// XmlWriter: writes well-formed XML into a std::string — elements,
// attributes and text, escaped as needed. What an XmlItemWriter formatter
// writes each item through.
//
//   XmlWriter w(out);
//   w.start("trade").attribute("id", "7")
//    .element("isin", "XS0001").element("quantity", int64_t{5})
//    .start("note").text("a < b & c").end()
//    .end();                 // <trade id="7"><isin>XS0001</isin>...<note>a &lt; b &amp; c</note></trade>
//
// Text escapes & < > (and CR as &#13;); attribute values also " and TAB,
// LF, CR as character references, so they read back exactly. An element
// without content is written <name/>. Names are checked (XML name
// characters); characters XML 1.0 cannot hold (control characters other
// than TAB, LF, CR) are refused. Errors throw std::invalid_argument (bad
// name or character) or std::logic_error (attribute after content, end()
// with nothing open). Not thread-safe.
#pragma once

#include <charconv>
#include <concepts>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cppbatch {

class XmlWriter {
 public:
  // Appends to `out`, which must outlive the writer.
  explicit XmlWriter(std::string& out) : out_(&out) {}

  XmlWriter& start(std::string_view name);
  // On the element just started, before any content.
  XmlWriter& attribute(std::string_view name, std::string_view value);
  XmlWriter& text(std::string_view value);
  // Closes the innermost open element.
  XmlWriter& end();
  // <name>text</name> (or <name/> for empty text).
  XmlWriter& element(std::string_view name, std::string_view text);
  XmlWriter& element(std::string_view name, const char* text) { return element(name, std::string_view(text)); }
  template <std::integral I>
    requires(!std::same_as<I, bool>)
  XmlWriter& element(std::string_view name, I value) {
    char buffer[24];
    auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    return element(name, std::string_view(buffer, static_cast<size_t>(result.ptr - buffer)));
  }
  // Shortest text that reads back to the same double.
  XmlWriter& element(std::string_view name, double value);
  // Appends `xml` unchecked (it must be well-formed content).
  XmlWriter& raw(std::string_view xml);

  // Elements still open.
  size_t depth() const { return depth_used_; }

  // Appends `value` escaped for text (attribute = false) or a double-quoted
  // attribute value (attribute = true). Throws std::invalid_argument on a
  // character XML 1.0 cannot hold.
  static void escape(std::string& out, std::string_view value, bool attribute);
  // True for a well-formed XML name (prefix:local allowed).
  static bool is_name(std::string_view name);

 private:
  void close_tag();

  std::string* out_;
  std::vector<std::string> open_;
  size_t depth_used_ = 0;
  bool tag_open_ = false;
};

}  // namespace cppbatch
