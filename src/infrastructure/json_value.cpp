#include "cppbatch/infrastructure/json_value.hpp"

#include <cstring>
#include <limits>
#include <type_traits>

#include <nlohmann/json.hpp>
#include <simdjson.h>

#include "infrastructure/json_value_access.hpp"

namespace cppbatch {

namespace dom = simdjson::dom;

static_assert(sizeof(dom::element) <= 16, "JsonValue storage too small for simdjson's element");
static_assert(std::is_trivially_copyable_v<dom::element>);

JsonValue JsonValueAccess::wrap(const dom::element& element) {
  JsonValue value;
  std::memcpy(value.element_, &element, sizeof(dom::element));
  value.valid_ = true;
  return value;
}

dom::element JsonValueAccess::unwrap(const JsonValue& value) {
  if (!value.valid_) throw std::logic_error("JsonValue: use of an empty value");
  dom::element element;
  std::memcpy(static_cast<void*>(&element), value.element_, sizeof(dom::element));
  return element;
}

namespace {

using Access = JsonValueAccess;

JsonType type_of(dom::element_type type) {
  switch (type) {
    case dom::element_type::ARRAY: return JsonType::ARRAY;
    case dom::element_type::OBJECT: return JsonType::OBJECT;
    case dom::element_type::INT64: return JsonType::INTEGER;
    case dom::element_type::UINT64: return JsonType::UNSIGNED;
    case dom::element_type::DOUBLE: return JsonType::DOUBLE;
    case dom::element_type::STRING: return JsonType::STRING;
    case dom::element_type::BOOL: return JsonType::BOOLEAN;
    case dom::element_type::NULL_VALUE: return JsonType::NUL;
  }
  return JsonType::NUL;
}

[[noreturn]] void wrong_type(std::string_view key, dom::element element, std::string_view wanted) {
  std::string shown = simdjson::minify(element);
  if (shown.size() > 60) shown = shown.substr(0, 60) + "…";
  std::string message;
  if (!key.empty()) message = "member '" + std::string(key) + "': ";
  message += "expected " + std::string(wanted) + ", got " +
             std::string(json_type_name(type_of(element.type()))) + " " + shown;
  throw JsonValueError(std::string(key), message);
}

std::string_view as_string(dom::element e, std::string_view key) {
  std::string_view out;
  if (e.get_string().get(out) != simdjson::SUCCESS) wrong_type(key, e, "a string");
  return out;
}

int64_t as_long(dom::element e, std::string_view key) {
  switch (e.type()) {
    case dom::element_type::INT64: return e.get_int64().value_unsafe();
    case dom::element_type::UINT64: {
      std::string message = (key.empty() ? std::string() : "member '" + std::string(key) + "': ") +
                            "integer " + std::to_string(e.get_uint64().value_unsafe()) +
                            " is out of range for a 64-bit signed integer";
      throw JsonValueError(std::string(key), message);
    }
    default: wrong_type(key, e, "an integer");
  }
}

double as_double(dom::element e, std::string_view key) {
  switch (e.type()) {
    case dom::element_type::INT64: return static_cast<double>(e.get_int64().value_unsafe());
    case dom::element_type::UINT64: return static_cast<double>(e.get_uint64().value_unsafe());
    case dom::element_type::DOUBLE: return e.get_double().value_unsafe();
    default: wrong_type(key, e, "a number");
  }
}

bool as_bool(dom::element e, std::string_view key) {
  bool out = false;
  if (e.get_bool().get(out) != simdjson::SUCCESS) wrong_type(key, e, "a boolean");
  return out;
}

// The member `key` of `e`, or nullopt (also when `e` is not an object).
std::optional<dom::element> member(dom::element e, std::string_view key) {
  dom::object object;
  if (e.get_object().get(object) != simdjson::SUCCESS) return std::nullopt;
  // A scan comparing unescaped keys (at_key compares raw bytes, which
  // misses keys written with escapes).
  for (dom::key_value_pair field : object) {
    if (field.key == key) return field.value;
  }
  return std::nullopt;
}

dom::element required(dom::element e, std::string_view key) {
  if (e.type() != dom::element_type::OBJECT) wrong_type(key, e, "an object");
  std::optional<dom::element> found = member(e, key);
  if (!found) throw JsonValueError(std::string(key), "member '" + std::string(key) + "' is missing");
  return *found;
}

// The member, or nullopt when it is absent or null.
std::optional<dom::element> optional_member(dom::element e, std::string_view key) {
  if (e.type() != dom::element_type::OBJECT) wrong_type(key, e, "an object");
  std::optional<dom::element> found = member(e, key);
  if (found && found->type() == dom::element_type::NULL_VALUE) return std::nullopt;
  return found;
}

nlohmann::json to_nlohmann_json(dom::element e) {
  switch (e.type()) {
    case dom::element_type::ARRAY: {
      nlohmann::json out = nlohmann::json::array();
      dom::array array;
      if (e.get_array().get(array) != simdjson::SUCCESS) return out;
      for (dom::element child : array) out.push_back(to_nlohmann_json(child));
      return out;
    }
    case dom::element_type::OBJECT: {
      nlohmann::json out = nlohmann::json::object();
      dom::object object;
      if (e.get_object().get(object) != simdjson::SUCCESS) return out;
      for (dom::key_value_pair field : object) {
        out[std::string(field.key)] = to_nlohmann_json(field.value);
      }
      return out;
    }
    case dom::element_type::INT64: return e.get_int64().value_unsafe();
    case dom::element_type::UINT64: return e.get_uint64().value_unsafe();
    case dom::element_type::DOUBLE: return e.get_double().value_unsafe();
    case dom::element_type::STRING: return std::string(e.get_string().value_unsafe());
    case dom::element_type::BOOL: return e.get_bool().value_unsafe();
    case dom::element_type::NULL_VALUE: return nullptr;
  }
  return nullptr;
}

}  // namespace

std::string_view json_type_name(JsonType type) {
  switch (type) {
    case JsonType::NUL: return "null";
    case JsonType::BOOLEAN: return "boolean";
    case JsonType::INTEGER:
    case JsonType::UNSIGNED: return "integer";
    case JsonType::DOUBLE: return "double";
    case JsonType::STRING: return "string";
    case JsonType::ARRAY: return "array";
    case JsonType::OBJECT: return "object";
  }
  return "?";
}

JsonValueError::JsonValueError(std::string key, const std::string& message)
    : std::runtime_error(message), key_(std::move(key)) {}

JsonType JsonValue::type() const { return type_of(Access::unwrap(*this).type()); }

bool JsonValue::is_number() const {
  JsonType t = type();
  return t == JsonType::INTEGER || t == JsonType::UNSIGNED || t == JsonType::DOUBLE;
}

std::string_view JsonValue::get_string() const { return as_string(Access::unwrap(*this), {}); }
int64_t JsonValue::get_long() const { return as_long(Access::unwrap(*this), {}); }
double JsonValue::get_double() const { return as_double(Access::unwrap(*this), {}); }
bool JsonValue::get_bool() const { return as_bool(Access::unwrap(*this), {}); }

std::optional<JsonValue> JsonValue::find(std::string_view key) const {
  std::optional<dom::element> found = member(Access::unwrap(*this), key);
  if (!found) return std::nullopt;
  return Access::wrap(*found);
}

JsonValue JsonValue::operator[](std::string_view key) const {
  return Access::wrap(required(Access::unwrap(*this), key));
}

void JsonValue::for_each_member(
    const std::function<void(std::string_view, const JsonValue&)>& f) const {
  dom::element e = Access::unwrap(*this);
  dom::object object;
  if (e.get_object().get(object) != simdjson::SUCCESS) wrong_type({}, e, "an object");
  for (dom::key_value_pair field : object) f(field.key, Access::wrap(field.value));
}

JsonValue JsonValue::at(size_t index) const {
  dom::element e = Access::unwrap(*this);
  dom::array array;
  if (e.get_array().get(array) != simdjson::SUCCESS) wrong_type({}, e, "an array");
  dom::element out;
  if (array.at(index).get(out) != simdjson::SUCCESS) {
    throw JsonValueError("", "index " + std::to_string(index) + " out of range for an array of " +
                                 std::to_string(array.size()) + " elements");
  }
  return Access::wrap(out);
}

void JsonValue::for_each_element(const std::function<void(const JsonValue&)>& f) const {
  dom::element e = Access::unwrap(*this);
  dom::array array;
  if (e.get_array().get(array) != simdjson::SUCCESS) wrong_type({}, e, "an array");
  for (dom::element child : array) f(Access::wrap(child));
}

size_t JsonValue::size() const {
  dom::element e = Access::unwrap(*this);
  dom::array array;
  if (e.get_array().get(array) == simdjson::SUCCESS) return array.size();
  dom::object object;
  if (e.get_object().get(object) == simdjson::SUCCESS) return object.size();
  return 0;
}

std::string_view JsonValue::get_string(std::string_view key) const {
  return as_string(required(Access::unwrap(*this), key), key);
}
std::string_view JsonValue::get_string(std::string_view key, std::string_view if_missing) const {
  auto found = optional_member(Access::unwrap(*this), key);
  return found ? as_string(*found, key) : if_missing;
}
int64_t JsonValue::get_long(std::string_view key) const {
  return as_long(required(Access::unwrap(*this), key), key);
}
int64_t JsonValue::get_long(std::string_view key, int64_t if_missing) const {
  auto found = optional_member(Access::unwrap(*this), key);
  return found ? as_long(*found, key) : if_missing;
}
double JsonValue::get_double(std::string_view key) const {
  return as_double(required(Access::unwrap(*this), key), key);
}
double JsonValue::get_double(std::string_view key, double if_missing) const {
  auto found = optional_member(Access::unwrap(*this), key);
  return found ? as_double(*found, key) : if_missing;
}
bool JsonValue::get_bool(std::string_view key) const {
  return as_bool(required(Access::unwrap(*this), key), key);
}
bool JsonValue::get_bool(std::string_view key, bool if_missing) const {
  auto found = optional_member(Access::unwrap(*this), key);
  return found ? as_bool(*found, key) : if_missing;
}

std::string JsonValue::to_json() const { return simdjson::minify(Access::unwrap(*this)); }

nlohmann::json JsonValue::to_nlohmann() const { return to_nlohmann_json(Access::unwrap(*this)); }

Record JsonRecordMapper::operator()(const JsonValue& value) {
  dom::element e = Access::unwrap(value);
  dom::object object;
  if (e.get_object().get(object) != simdjson::SUCCESS) {
    wrong_type({}, e, "an object for a record");
  }
  keys_.clear();
  std::vector<Value> values;
  values.reserve(object.size());
  for (dom::key_value_pair field : object) {
    keys_.push_back(field.key);
    dom::element v = field.value;
    switch (v.type()) {
      case dom::element_type::NULL_VALUE: values.emplace_back(std::monostate{}); break;
      case dom::element_type::BOOL: values.emplace_back(v.get_bool().value_unsafe()); break;
      case dom::element_type::INT64: values.emplace_back(v.get_int64().value_unsafe()); break;
      case dom::element_type::UINT64:
        values.emplace_back(static_cast<double>(v.get_uint64().value_unsafe()));
        break;
      case dom::element_type::DOUBLE: values.emplace_back(v.get_double().value_unsafe()); break;
      case dom::element_type::STRING:
        values.emplace_back(std::string(v.get_string().value_unsafe()));
        break;
      case dom::element_type::ARRAY:
      case dom::element_type::OBJECT: values.emplace_back(simdjson::minify(v)); break;
    }
  }
  bool same = layout_ != nullptr && layout_->size() == keys_.size();
  for (size_t i = 0; same && i < keys_.size(); ++i) same = (*layout_)[i] == keys_[i];
  if (!same) {
    std::vector<std::string> names(keys_.begin(), keys_.end());
    try {
      layout_ = make_record_layout(std::move(names));
    } catch (const std::invalid_argument& error) {
      throw JsonValueError("", std::string("object cannot be a record: ") + error.what());
    }
  }
  return Record(layout_, std::move(values));
}

}  // namespace cppbatch
