#include "cppbatch/infrastructure/json_cursor.hpp"

#include <simdjson.h>

#include "infrastructure/json_value_access.hpp"

namespace cppbatch {

namespace ondemand = simdjson::ondemand;

JsonCursor JsonCursorAccess::lazy(ondemand::document_reference& document, std::string_view raw) {
  JsonCursor cursor;
  cursor.document_ = &document;
  cursor.raw_ = raw;
  return cursor;
}

JsonCursor JsonCursorAccess::full(const JsonValue& value) {
  JsonCursor cursor;
  cursor.value_ = value;
  return cursor;
}

namespace {

// The lazy read failed. The message is never shown: the reader parses the
// element fully and maps it again, which reports the error exactly.
[[noreturn]] void lazy_failure(std::string_view key, simdjson::error_code error) {
  throw JsonValueError(std::string(key), "member '" + std::string(key) +
                                             "': " + simdjson::error_message(error));
}

ondemand::document_reference& document_of(void* document) {
  return *static_cast<ondemand::document_reference*>(document);
}

// The member `key`; false when absent (or null, with `null_is_missing`).
// The lookup compares keys as written: when it misses in an element that
// has escapes (`raw` holds a backslash), only the full parse can tell.
// (Inlined into each accessor: with the constant arguments folded, the
// lookup costs a third less.)
[[gnu::always_inline]] inline bool lazy_member(void* document, std::string_view raw,
                                               std::string_view key, bool null_is_missing,
                                               ondemand::value& out) {
  simdjson::error_code error = document_of(document).find_field_unordered(key).get(out);
  if (error == simdjson::NO_SUCH_FIELD) {
    if (null_is_missing && raw.find('\\') == std::string_view::npos) return false;
    lazy_failure(key, error);
  }
  if (error != simdjson::SUCCESS) lazy_failure(key, error);
  if (null_is_missing) {
    bool null = false;
    if (out.is_null().get(null) != simdjson::SUCCESS) lazy_failure(key, simdjson::INCORRECT_TYPE);
    if (null) return false;
  }
  return true;
}

template <class T, class Get>
T lazy_get(void* document, std::string_view raw, std::string_view key, Get get) {
  ondemand::value value;
  lazy_member(document, raw, key, false, value);
  T out{};
  if (simdjson::error_code error = get(value).get(out); error != simdjson::SUCCESS) lazy_failure(key, error);
  return out;
}

template <class T, class Get>
T lazy_get_or(void* document, std::string_view raw, std::string_view key, T if_missing, Get get) {
  ondemand::value value;
  if (!lazy_member(document, raw, key, true, value)) return if_missing;
  T out{};
  if (simdjson::error_code error = get(value).get(out); error != simdjson::SUCCESS) lazy_failure(key, error);
  return out;
}

constexpr auto kString = [](ondemand::value& v) { return v.get_string(); };
constexpr auto kLong = [](ondemand::value& v) { return v.get_int64(); };
constexpr auto kDouble = [](ondemand::value& v) { return v.get_double(); };
constexpr auto kBool = [](ondemand::value& v) { return v.get_bool(); };

}  // namespace

std::string_view JsonCursor::get_string(std::string_view key) const {
  if (document_ == nullptr) return value_.get_string(key);
  return lazy_get<std::string_view>(document_, raw_, key, kString);
}
std::string_view JsonCursor::get_string(std::string_view key, std::string_view if_missing) const {
  if (document_ == nullptr) return value_.get_string(key, if_missing);
  return lazy_get_or<std::string_view>(document_, raw_, key, if_missing, kString);
}
int64_t JsonCursor::get_long(std::string_view key) const {
  if (document_ == nullptr) return value_.get_long(key);
  return lazy_get<int64_t>(document_, raw_, key, kLong);
}
int64_t JsonCursor::get_long(std::string_view key, int64_t if_missing) const {
  if (document_ == nullptr) return value_.get_long(key, if_missing);
  return lazy_get_or<int64_t>(document_, raw_, key, if_missing, kLong);
}
double JsonCursor::get_double(std::string_view key) const {
  if (document_ == nullptr) return value_.get_double(key);
  return lazy_get<double>(document_, raw_, key, kDouble);
}
double JsonCursor::get_double(std::string_view key, double if_missing) const {
  if (document_ == nullptr) return value_.get_double(key, if_missing);
  return lazy_get_or<double>(document_, raw_, key, if_missing, kDouble);
}
bool JsonCursor::get_bool(std::string_view key) const {
  if (document_ == nullptr) return value_.get_bool(key);
  return lazy_get<bool>(document_, raw_, key, kBool);
}
bool JsonCursor::get_bool(std::string_view key, bool if_missing) const {
  if (document_ == nullptr) return value_.get_bool(key, if_missing);
  return lazy_get_or<bool>(document_, raw_, key, if_missing, kBool);
}

}  // namespace cppbatch
