#include "cppbatch/jobfile/property_node.hpp"

namespace cppbatch {

PropertyNode PropertyNode::scalar(std::string text, SourceLocation location) {
  PropertyNode node;
  node.kind_ = Kind::SCALAR;
  node.text_ = std::move(text);
  node.location_ = std::move(location);
  return node;
}

PropertyNode PropertyNode::list(SourceLocation location) {
  PropertyNode node;
  node.kind_ = Kind::LIST;
  node.location_ = std::move(location);
  return node;
}

PropertyNode PropertyNode::map(SourceLocation location) {
  PropertyNode node;
  node.location_ = std::move(location);
  return node;
}

std::string_view PropertyNode::kind_name() const {
  switch (kind_) {
    case Kind::SCALAR:
      return "a value";
    case Kind::LIST:
      return "a list";
    case Kind::MAP:
      return "a map";
  }
  return "?";
}

const PropertyNode::Entry* PropertyNode::find_entry(std::string_view key) const {
  for (const Entry& entry : entries_) {
    if (entry.key == key) return &entry;
  }
  return nullptr;
}

const PropertyNode* PropertyNode::find(std::string_view key) const {
  const Entry* entry = find_entry(key);
  return entry != nullptr ? &entry->value : nullptr;
}

void PropertyNode::add_entry(std::string key, SourceLocation key_location, PropertyNode value) {
  entries_.push_back(Entry{std::move(key), std::move(key_location), std::move(value)});
}

}  // namespace cppbatch
