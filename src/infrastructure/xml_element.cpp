#include "cppbatch/infrastructure/xml_element.hpp"

#include <cerrno>
#include <charconv>
#include <cstdlib>

#include "cppbatch/infrastructure/xml_writer.hpp"

namespace cppbatch {
namespace {

std::string_view trim(std::string_view v) {
  size_t b = 0, e = v.size();
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (b < e && space(v[b])) ++b;
  while (e > b && space(v[e - 1])) --e;
  return v.substr(b, e - b);
}

std::string shown(std::string_view v) {
  return v.size() > 60 ? std::string(v.substr(0, 60)) + "…" : std::string(v);
}

int64_t to_long(std::string_view text, const std::string& what) {
  std::string_view t = trim(text);
  if (!t.empty() && t[0] == '+') t.remove_prefix(1);
  int64_t out = 0;
  auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), out);
  if (t.empty() || ec != std::errc() || end != t.data() + t.size()) {
    throw XmlValueError(what, what + ": '" + shown(text) + "' is not an integer");
  }
  return out;
}

double to_double(std::string_view text, const std::string& what) {
  std::string t(trim(text));
  char* end = nullptr;
  errno = 0;
  double out = std::strtod(t.c_str(), &end);
  if (t.empty() || end != t.c_str() + t.size() || errno == ERANGE) {
    throw XmlValueError(what, what + ": '" + shown(text) + "' is not a number");
  }
  return out;
}

void serialise(const XmlElement& e, XmlWriter& out) {
  out.start(e.name());
  for (size_t i = 0; i < e.attribute_count(); ++i) out.attribute(e.attribute_name(i), e.attribute_value(i));
  if (!e.text().empty()) out.text(e.text());
  e.for_each_child([&](const XmlElement& child) { serialise(child, out); });
  out.end();
}

}  // namespace

XmlValueError::XmlValueError(std::string name, const std::string& message)
    : std::runtime_error(message), name_(std::move(name)) {}

// ---- XmlFragment -------------------------------------------------------------

void XmlFragment::clear() {
  nodes_used_ = 0;
  attributes_used_ = 0;
  stack_.clear();
}

void XmlFragment::start_element(std::string_view name, std::string_view local_name,
                                std::string_view namespace_uri, int64_t line) {
  const auto index = static_cast<uint32_t>(nodes_used_);
  if (nodes_used_ == nodes_.size()) nodes_.emplace_back();
  Node& node = nodes_[nodes_used_++];
  node.name.assign(name);
  node.local_name.assign(local_name);
  node.namespace_uri.assign(namespace_uri);
  node.text.clear();
  node.line = line;
  node.first_attribute = static_cast<uint32_t>(attributes_used_);
  node.attribute_count = 0;
  node.first_child = node.last_child = node.next_sibling = kNone;
  node.child_count = 0;
  if (!stack_.empty()) {
    Node& parent = nodes_[stack_.back()];
    if (parent.last_child == kNone) {
      parent.first_child = index;
    } else {
      nodes_[parent.last_child].next_sibling = index;
    }
    parent.last_child = index;
    ++parent.child_count;
  }
  stack_.push_back(index);
}

void XmlFragment::add_attribute(std::string_view name, std::string_view local_name,
                                std::string_view value) {
  if (attributes_used_ == attributes_.size()) attributes_.emplace_back();
  Attribute& a = attributes_[attributes_used_++];
  a.name.assign(name);
  a.local_name.assign(local_name);
  a.value.assign(value);
  ++nodes_[stack_.back()].attribute_count;
}

void XmlFragment::append_text(std::string_view text) { nodes_[stack_.back()].text.append(text); }

void XmlFragment::end_element() { stack_.pop_back(); }

// ---- XmlElement --------------------------------------------------------------

#define CPPBATCH_NODE (fragment_->nodes_[index_])

std::string_view XmlElement::name() const { return CPPBATCH_NODE.name; }
std::string_view XmlElement::local_name() const { return CPPBATCH_NODE.local_name; }
std::string_view XmlElement::namespace_uri() const { return CPPBATCH_NODE.namespace_uri; }
std::string_view XmlElement::text() const { return CPPBATCH_NODE.text; }
int64_t XmlElement::line() const { return CPPBATCH_NODE.line; }

size_t XmlElement::attribute_count() const { return CPPBATCH_NODE.attribute_count; }

std::string_view XmlElement::attribute_name(size_t index) const {
  return fragment_->attributes_.at(CPPBATCH_NODE.first_attribute + index).name;
}

std::string_view XmlElement::attribute_value(size_t index) const {
  return fragment_->attributes_.at(CPPBATCH_NODE.first_attribute + index).value;
}

std::optional<std::string_view> XmlElement::attribute(std::string_view name) const {
  const auto& node = CPPBATCH_NODE;
  for (uint32_t i = 0; i < node.attribute_count; ++i) {
    const auto& a = fragment_->attributes_[node.first_attribute + i];
    if (a.name == name || a.local_name == name) return std::string_view(a.value);
  }
  return std::nullopt;
}

std::string_view XmlElement::attribute(std::string_view name, std::string_view if_missing) const {
  return attribute(name).value_or(if_missing);
}

int64_t XmlElement::attribute_long(std::string_view name) const {
  const std::string what = "@" + std::string(name);
  std::optional<std::string_view> value = attribute(name);
  if (!value) throw XmlValueError(what, "attribute '" + std::string(name) + "' is missing");
  return to_long(*value, what);
}

size_t XmlElement::child_count() const { return CPPBATCH_NODE.child_count; }

std::optional<XmlElement> XmlElement::first_child() const {
  uint32_t i = CPPBATCH_NODE.first_child;
  if (i == XmlFragment::kNone) return std::nullopt;
  return XmlElement(fragment_, i);
}

std::optional<XmlElement> XmlElement::next_sibling() const {
  uint32_t i = CPPBATCH_NODE.next_sibling;
  if (i == XmlFragment::kNone) return std::nullopt;
  return XmlElement(fragment_, i);
}

void XmlElement::for_each_child(const std::function<void(const XmlElement&)>& f) const {
  for (uint32_t i = CPPBATCH_NODE.first_child; i != XmlFragment::kNone;
       i = fragment_->nodes_[i].next_sibling) {
    f(XmlElement(fragment_, i));
  }
}

std::optional<XmlElement> XmlElement::child(std::string_view name) const {
  for (uint32_t i = CPPBATCH_NODE.first_child; i != XmlFragment::kNone;
       i = fragment_->nodes_[i].next_sibling) {
    const auto& n = fragment_->nodes_[i];
    if (n.local_name == name || n.name == name) return XmlElement(fragment_, i);
  }
  return std::nullopt;
}

std::string_view XmlElement::child_text(std::string_view name) const {
  std::optional<XmlElement> c = child(name);
  if (!c) {
    throw XmlValueError(std::string(name), "child element <" + std::string(name) + "> is missing in <" +
                                               std::string(this->name()) + ">");
  }
  return c->text();
}

std::string_view XmlElement::child_text(std::string_view name, std::string_view if_missing) const {
  std::optional<XmlElement> c = child(name);
  return c ? c->text() : if_missing;
}

int64_t XmlElement::child_long(std::string_view name) const {
  return to_long(child_text(name), std::string(name));
}

double XmlElement::child_double(std::string_view name) const {
  return to_double(child_text(name), std::string(name));
}

std::string XmlElement::to_xml() const {
  std::string out;
  XmlWriter writer(out);
  serialise(*this, writer);
  return out;
}

#undef CPPBATCH_NODE

// ---- XmlRecordMapper ---------------------------------------------------------

void XmlRecordMapper::add(std::string_view name, std::string_view value) {
  for (size_t i = 0; i < used_; ++i) {
    if (names_[i] == name) {
      throw XmlValueError(std::string(name), "'" + std::string(name) +
                                                 "' occurs twice: a record has one value per field");
    }
  }
  if (used_ == names_.size()) names_.emplace_back();
  names_[used_++].assign(name);
  values_.emplace_back(std::string(value));
}

void XmlRecordMapper::add_children(const XmlElement& element, std::string& prefix) {
  element.for_each_child([&](const XmlElement& child) {
    const size_t mark = prefix.size();
    prefix += child.local_name();
    if (child.child_count() == 0) {
      add(prefix, child.text());
    } else {
      prefix += '.';
      add_children(child, prefix);
    }
    prefix.resize(mark);
  });
}

Record XmlRecordMapper::operator()(const XmlElement& element) {
  used_ = 0;
  values_.clear();
  values_.reserve(element.attribute_count() + element.child_count());
  for (size_t i = 0; i < element.attribute_count(); ++i) {
    std::string_view name = element.attribute_name(i);
    size_t colon = name.find(':');
    add(colon == std::string_view::npos ? name : name.substr(colon + 1), element.attribute_value(i));
  }
  std::string prefix;
  add_children(element, prefix);
  bool same = layout_ != nullptr && layout_->size() == used_;
  for (size_t i = 0; same && i < used_; ++i) same = (*layout_)[i] == names_[i];
  if (!same) layout_ = make_record_layout(std::vector<std::string>(names_.begin(), names_.begin() + static_cast<std::ptrdiff_t>(used_)));
  std::vector<Value> values;
  values.swap(values_);
  return Record(layout_, std::move(values));
}

}  // namespace cppbatch
