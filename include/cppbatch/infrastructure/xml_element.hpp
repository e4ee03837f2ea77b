// XmlElement: a read-only view of one XML element of a fragment read by
// XmlItemReader — its name, attributes, text and child elements — and
// XmlFragment, the reusable storage behind it.
//
//   Trade map(const XmlElement& e) {          // <trade id="7"><isin>X</isin><qty>5</qty></trade>
//     return Trade{e.attribute_long("id"), std::string(e.child_text("isin")),
//                  e.child_long("qty")};
//   }
//
// Text is as in the document with entities and character references
// resolved and CDATA sections included (not trimmed); text() is the
// element's own text (not its children's). Names match either the
// qualified name as written ("t:qty") or the local name ("qty").
// Missing children/attributes and values that do not convert throw
// XmlValueError naming them; the reader turns it into a ParseError.
//
// A view and the string_views it hands out die at the reader's next read:
// copy what you keep. A const fragment may be read from several threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "cppbatch/infrastructure/record.hpp"

namespace cppbatch {

class XmlFragment;

// A missing child or attribute, or a value that does not convert. name()
// is the child's or attribute's name ("@id" for an attribute).
class XmlValueError : public std::runtime_error {
 public:
  XmlValueError(std::string name, const std::string& message);
  const std::string& name() const { return name_; }

 private:
  std::string name_;
};

class XmlElement {
 public:
  std::string_view name() const;           // qualified, as written
  std::string_view local_name() const;
  std::string_view namespace_uri() const;  // "" when none
  std::string_view text() const;
  int64_t line() const;                    // 1-based line of the start tag

  size_t attribute_count() const;
  // The i-th attribute's qualified name and value (namespace declarations
  // are not attributes).
  std::string_view attribute_name(size_t index) const;
  std::string_view attribute_value(size_t index) const;
  std::optional<std::string_view> attribute(std::string_view name) const;
  std::string_view attribute(std::string_view name, std::string_view if_missing) const;
  // Throws XmlValueError when missing or not a decimal integer.
  int64_t attribute_long(std::string_view name) const;

  // Children (elements only), in document order.
  size_t child_count() const;
  std::optional<XmlElement> first_child() const;
  std::optional<XmlElement> next_sibling() const;
  void for_each_child(const std::function<void(const XmlElement&)>& f) const;
  // The first child with that name.
  std::optional<XmlElement> child(std::string_view name) const;
  // The first such child's text; XmlValueError when there is none.
  std::string_view child_text(std::string_view name) const;
  std::string_view child_text(std::string_view name, std::string_view if_missing) const;
  // Its text as a number (spaces around are ignored). XmlValueError when
  // missing or not a number.
  int64_t child_long(std::string_view name) const;
  double child_double(std::string_view name) const;

  // The element re-serialised as XML (for messages; allocates).
  std::string to_xml() const;

 private:
  friend class XmlFragment;
  XmlElement(const XmlFragment* fragment, uint32_t index) : fragment_(fragment), index_(index) {}
  const XmlFragment* fragment_;
  uint32_t index_;
};

// The elements of one fragment, stored flat and reused from one fragment
// to the next (strings keep their capacity). Built by the reader.
class XmlFragment {
 public:
  XmlFragment() = default;
  XmlFragment(const XmlFragment&) = delete;
  XmlFragment& operator=(const XmlFragment&) = delete;

  bool empty() const { return nodes_used_ == 0; }
  // The fragment's root element (the matched one). Requires !empty().
  XmlElement root() const { return XmlElement(this, 0); }

  // Building (the reader's side).
  void clear();
  // Opens an element as the last child of the innermost open one.
  void start_element(std::string_view name, std::string_view local_name,
                     std::string_view namespace_uri, int64_t line);
  // Adds an attribute to the element just started (before any child).
  void add_attribute(std::string_view name, std::string_view local_name, std::string_view value);
  void append_text(std::string_view text);
  void end_element();
  // Open elements (0 once the root is closed).
  size_t depth() const { return stack_.size(); }

 private:
  friend class XmlElement;
  static constexpr uint32_t kNone = UINT32_MAX;
  struct Node {
    std::string name, local_name, namespace_uri, text;
    int64_t line = 0;
    uint32_t first_attribute = 0, attribute_count = 0;
    uint32_t first_child = kNone, last_child = kNone, next_sibling = kNone, child_count = 0;
  };
  struct Attribute {
    std::string name, local_name, value;
  };
  std::vector<Node> nodes_;
  size_t nodes_used_ = 0;
  std::vector<Attribute> attributes_;
  size_t attributes_used_ = 0;
  std::vector<uint32_t> stack_;
};

// XmlElement → Record: a field per attribute (its local name), then a
// field per child element in document order: a leaf child's text under its
// local name, a child with children of its own flattened with dotted names
// ("address.city"). The root's own text is ignored. Values are text (typed
// getters convert). A name seen twice (repeated children, or an attribute
// and a child) throws XmlValueError rather than losing a value. The layout
// is cached across fragments with the same names in the same order.
//
//   XmlItemReader<Record> reader({.path = "players.xml", .fragment = "player"}, XmlRecordMapper{});
class XmlRecordMapper {
 public:
  Record operator()(const XmlElement& element);

 private:
  void add_children(const XmlElement& element, std::string& prefix);
  void add(std::string_view name, std::string_view value);

  RecordLayout layout_;
  std::vector<std::string> names_;  // reused scratch
  size_t used_ = 0;
  std::vector<Value> values_;
};

}  // namespace cppbatch
