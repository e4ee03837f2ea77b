// JsonValue: a cheap, read-only view of one parsed JSON value — what a
// JsonItemReader mapper sees. It points into the reader's parsed document
// (no copies, no allocation to look a member up), so it and every
// string_view read from it die at the reader's next read: copy what you
// keep.
//
//   Player map(const JsonValue& j) {
//     return Player{std::string(j.get_string("id")), j.get_long("born"),
//                   j.get_double("score", 0.0), j["team"].get_string("name")};
//   }
//
// Accessors by key look a member of an object up (first match, linear in
// the member count); accessors without a key convert the value itself.
// Integers read as doubles; nothing else converts (a string "42" is not a
// long). A missing member, a wrong type or a value out of range throws
// JsonValueError naming the key; the readers turn it into a ParseError
// with the file, line and raw element. to_nlohmann() copies the value into
// an nlohmann::json for code that wants one (it allocates).
//
// Thread safety: a const view may be read from several threads while the
// reader does not move on.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "cppbatch/infrastructure/record.hpp"

namespace cppbatch {

enum class JsonType { NUL, BOOLEAN, INTEGER, UNSIGNED, DOUBLE, STRING, ARRAY, OBJECT };

// "null", "boolean", "integer", "integer" (unsigned), "double", "string",
// "array", "object".
std::string_view json_type_name(JsonType type);

// A member is missing or a value has another type than asked for. key() is
// the member's key ("" when the value itself was converted).
class JsonValueError : public std::runtime_error {
 public:
  JsonValueError(std::string key, const std::string& message);
  const std::string& key() const { return key_; }

 private:
  std::string key_;
};

class JsonValue {
 public:
  // An invalid value (type() throws); readers hand out valid ones.
  JsonValue() = default;

  JsonType type() const;
  bool is_null() const { return type() == JsonType::NUL; }
  bool is_object() const { return type() == JsonType::OBJECT; }
  bool is_array() const { return type() == JsonType::ARRAY; }
  bool is_string() const { return type() == JsonType::STRING; }
  // INTEGER, UNSIGNED or DOUBLE.
  bool is_number() const;

  // Conversions of this value (JsonValueError on another type; an integer
  // that does not fit in int64_t is out of range for get_long).
  std::string_view get_string() const;
  int64_t get_long() const;
  double get_double() const;
  bool get_bool() const;

  // Objects: members. find() is nullopt when absent (or not an object);
  // operator[] throws JsonValueError when absent.
  bool contains(std::string_view key) const { return find(key).has_value(); }
  std::optional<JsonValue> find(std::string_view key) const;
  JsonValue operator[](std::string_view key) const;
  // Calls f(key, value) for each member in document order.
  void for_each_member(const std::function<void(std::string_view, const JsonValue&)>& f) const;

  // Arrays: elements (at() is linear in the index).
  JsonValue at(size_t index) const;
  void for_each_element(const std::function<void(const JsonValue&)>& f) const;
  // Members of an object or elements of an array; 0 for scalars.
  size_t size() const;

  // Member shortcuts: (*this)[key].get_...(). The variants with a default
  // return it when the member is absent or null.
  std::string_view get_string(std::string_view key) const;
  std::string_view get_string(std::string_view key, std::string_view if_missing) const;
  int64_t get_long(std::string_view key) const;
  int64_t get_long(std::string_view key, int64_t if_missing) const;
  double get_double(std::string_view key) const;
  double get_double(std::string_view key, double if_missing) const;
  bool get_bool(std::string_view key) const;
  bool get_bool(std::string_view key, bool if_missing) const;

  // Compact JSON text of this value.
  std::string to_json() const;
  // A deep copy as nlohmann::json (allocates; for convenience, not speed).
  nlohmann::json to_nlohmann() const;

 private:
  friend struct JsonValueAccess;
  // The parser's element (a document pointer and a tape index), kept
  // opaque so that no simdjson type leaks into this header.
  alignas(8) unsigned char element_[16] = {};
  bool valid_ = false;
};

// JsonValue (an object) → Record: a field per member, in document order.
// Strings, numbers, booleans and null keep their type; nested objects and
// arrays are kept as their compact JSON text (as record_from_json does).
// The layout is cached: records from objects with the same keys in the
// same order share one layout, so mapping allocates only the values.
// A value that is not an object throws JsonValueError.
//
//   JsonItemReader<Record> reader({.path = "players.jsonl"}, JsonRecordMapper{});
class JsonRecordMapper {
 public:
  Record operator()(const JsonValue& value);

 private:
  RecordLayout layout_;
  std::vector<std::string_view> keys_;  // reused scratch
};

}  // namespace cppbatch
