// JsonCursor: reads the members of one JSON element by key, lazily — the
// fast mapper argument of JsonItemReader for mappers that read scalar
// members by key (the usual record-like JSON Lines). JsonValue (a view of
// the fully parsed element, random access) stays the general one.
//
//   JsonItemReader reader({.path = "trades.jsonl", .format = JsonFormat::LINES},
//       [](const JsonCursor& j) {
//         return Trade{std::string(j.get_string("isin")), j.get_long("quantity"),
//                      j.get_double("price")};
//       });
//
// For JSON Lines the reader backs the cursor with simdjson's On-Demand
// parser: the batch of buffered lines is indexed once (UTF-8, strings and
// structure), and only the members the mapper asks for are parsed — no
// document tree is built. Members may be read in any order (cheapest in
// document order); a missing member costs a scan of the object. Members
// are found by their unescaped keys, as with JsonValue (a line whose keys
// use escapes is looked up through the full parse). Other elements (JSON
// arrays, lines read one by one after an error) back the cursor with the
// full parse, where the accessors are those of JsonValue.
//
// Errors: when a lazy read fails (missing member, wrong type, or bytes
// that are not JSON), the reader parses the element fully and calls the
// mapper again on that: a malformed element is then reported exactly like
// with a JsonValue mapper (line, column, raw element), a mapping error
// names its member. So a mapper may run twice for such an element: keep it
// free of side effects. What the mapper never reads is only checked by the
// index (valid UTF-8, closed strings and brackets, the line holds exactly
// one object or array), not parsed: a bad literal in a member the mapper
// skips (`"unused": tru`) is not an error, as with any lazy JSON parser.
//
// Views: the cursor and every string_view read from it die at the reader's
// next read. Not thread-safe.
#pragma once

#include <cstdint>
#include <string_view>

#include "cppbatch/infrastructure/json_value.hpp"

namespace cppbatch {

class JsonCursor {
 public:
  // Members by key. A missing member or another type throws JsonValueError
  // (key() = the key); integers read as doubles; an integer beyond int64_t
  // is out of range for get_long. The variants with a default return it
  // when the member is absent or null.
  std::string_view get_string(std::string_view key) const;
  std::string_view get_string(std::string_view key, std::string_view if_missing) const;
  int64_t get_long(std::string_view key) const;
  int64_t get_long(std::string_view key, int64_t if_missing) const;
  double get_double(std::string_view key) const;
  double get_double(std::string_view key, double if_missing) const;
  bool get_bool(std::string_view key) const;
  bool get_bool(std::string_view key, bool if_missing) const;

  // True when backed by the lazy (On-Demand) parse, false for the full one.
  bool lazy() const { return document_ != nullptr; }

 private:
  friend struct JsonCursorAccess;
  void* document_ = nullptr;  // the On-Demand document (internal type), or null
  std::string_view raw_;      // its text (lazy only)
  JsonValue value_;           // the fully parsed element when document_ is null
};

}  // namespace cppbatch
