// PropertyNode: the configuration of a component in a job file — a scalar
// (kept as its text), a list or a map (keys in file order) — with the
// location of every node and key. The YAML and XML front ends both build
// it, so a component sees the same properties whatever the file format:
//
//   YAML                               XML
//   reader:                            <bean id="players" class="delimitedFileReader">
//     type: delimitedFileReader          <property name="path" value="players.csv"/>
//     path: players.csv                  <property name="names">
//     names: [id, last, first]             <list><value>id</value><value>last</value>...</list>
//                                        </property>
//                                      </bean>
//
// Scalars are text: typed reads (PropertyReader, property_reader.hpp)
// convert and report "expected an integer" at the value's location.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cppbatch/jobfile/source_location.hpp"

namespace cppbatch {

class PropertyNode {
 public:
  enum class Kind { SCALAR, LIST, MAP };
  struct Entry;

  PropertyNode() = default;  // an empty MAP
  static PropertyNode scalar(std::string text, SourceLocation location);
  static PropertyNode list(SourceLocation location);
  static PropertyNode map(SourceLocation location);

  Kind kind() const { return kind_; }
  bool is_scalar() const { return kind_ == Kind::SCALAR; }
  bool is_list() const { return kind_ == Kind::LIST; }
  bool is_map() const { return kind_ == Kind::MAP; }
  const SourceLocation& location() const { return location_; }
  // "a value", "a list", "a map" — for messages.
  std::string_view kind_name() const;

  // SCALAR: the text.
  const std::string& text() const { return text_; }
  // LIST: the items.
  const std::vector<PropertyNode>& items() const { return items_; }
  void add_item(PropertyNode item) { items_.push_back(std::move(item)); }
  // MAP: the entries in file order; find() gives the first with `key` or null.
  const std::vector<Entry>& entries() const { return entries_; }
  const PropertyNode* find(std::string_view key) const;
  const Entry* find_entry(std::string_view key) const;
  void add_entry(std::string key, SourceLocation key_location, PropertyNode value);

 private:
  Kind kind_ = Kind::MAP;
  SourceLocation location_{};
  std::string text_{};
  std::vector<PropertyNode> items_{};
  std::vector<Entry> entries_{};
};

struct PropertyNode::Entry {
  std::string key;
  SourceLocation key_location;
  PropertyNode value;
};

}  // namespace cppbatch
