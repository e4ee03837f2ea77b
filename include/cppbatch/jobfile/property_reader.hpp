// PropertyReader: how a component factory reads its properties from a job
// file — typed getters with defaults, each conversion error and each
// missing required property recorded with its file:line:column instead of
// thrown, and, at finish(), every property that no getter asked for
// reported as unknown (listing the known ones). The same factory code thus
// validates a file before anything runs and configures the component when
// its step starts:
//
//   ComponentRegistry::Configure<ItemReader<Record>> csv = [](PropertyReader& p) {
//     DelimitedReaderOptions o;
//     o.path = p.required_string("path");
//     o.delimiter = p.character("delimiter", ',');
//     o.header_as_names = p.boolean("header_as_names", false);
//     return [o] { return std::make_unique<DelimitedFileReader<Record>>(o, RecordMapper()); };
//   };
//
// Validation mode (no LateBindingContext): a value holding a #{...}
// placeholder is only checked for syntax and reads as the default (its
// type is checked once bound). Binding mode: placeholders are resolved
// first, then converted. Not thread-safe; one reader per configuration.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cppbatch/jobfile/late_binding.hpp"
#include "cppbatch/jobfile/property_node.hpp"
#include "cppbatch/jobfile/source_location.hpp"

namespace cppbatch {

class PropertyReader {
 public:
  // `properties` (a MAP) and `errors` must outlive the reader. `what`
  // prefixes messages ("reader 'players' (delimitedFileReader)").
  // `binding` null: validation mode. `default_name`: what name() gives
  // when the component has no `name` property.
  PropertyReader(const PropertyNode& properties, std::vector<DefinitionError>& errors, std::string what,
                 const LateBindingContext* binding, std::string default_name = {});

  bool validating() const { return binding_ == nullptr; }
  // The binding context (null when validating).
  const LateBindingContext* binding() const { return binding_; }
  std::vector<DefinitionError>& errors() { return errors_; }
  const std::string& what() const { return what_; }
  const SourceLocation& location() const { return properties_.location(); }

  bool has(std::string_view key);
  std::string string(std::string_view key, std::string_view if_missing = {});
  std::optional<std::string> optional_string(std::string_view key);
  // Records "missing required property" when absent.
  std::string required_string(std::string_view key);
  int64_t integer(std::string_view key, int64_t if_missing);
  std::optional<int64_t> optional_integer(std::string_view key);
  double number(std::string_view key, double if_missing);
  // true/false, yes/no, on/off (any case).
  bool boolean(std::string_view key, bool if_missing);
  // One character; "\t" and "tab" for a tab, "" or "none" for '\0'.
  char character(std::string_view key, char if_missing);
  // A list of scalars, or one scalar of comma-separated values.
  std::vector<std::string> strings(std::string_view key);
  // A map of scalars, in file order.
  std::vector<std::pair<std::string, std::string>> string_map(std::string_view key);
  // One of `choices` (any case), else an error listing them.
  template <class E>
  E choice(std::string_view key, std::initializer_list<std::pair<std::string_view, E>> choices, E if_missing);
  // The raw node (marks the key as known), or null. For nested structures.
  const PropertyNode* node(std::string_view key);
  // The component's name: the `name` property, else default_name.
  std::string name();

  // Records an error at the location of `key`'s value (or the component).
  void error(std::string_view key, std::string message);
  // Reports the properties no getter read. Call once, after reading.
  void finish();

  // Errors recorded by this reader so far.
  size_t error_count() const { return errors_.size() - first_error_; }

 private:
  const PropertyNode* lookup(std::string_view key);
  // The scalar's text (resolved in binding mode); nullopt when absent, not
  // a scalar (error recorded) or an unresolved placeholder in validation.
  std::optional<std::string> scalar(std::string_view key);
  std::optional<std::string> text_of(const PropertyNode& node);
  size_t choice_index(std::string_view key, const std::vector<std::string_view>& names);

  const PropertyNode& properties_;
  std::vector<DefinitionError>& errors_;
  std::string what_;
  const LateBindingContext* binding_;
  std::string default_name_;
  std::vector<std::string> known_;
  size_t first_error_;
};

template <class E>
E PropertyReader::choice(std::string_view key, std::initializer_list<std::pair<std::string_view, E>> choices,
                         E if_missing) {
  std::vector<std::string_view> names;
  for (const auto& c : choices) names.push_back(c.first);
  const size_t index = choice_index(key, names);
  if (index >= names.size()) return if_missing;
  return (choices.begin() + index)->second;
}

}  // namespace cppbatch
