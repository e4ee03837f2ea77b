// Internal: converts between JsonValue and the simdjson element it wraps.
// Only the JSON sources of the infrastructure layer include this.
#pragma once

#include <simdjson.h>

#include "cppbatch/infrastructure/json_value.hpp"

namespace cppbatch {

struct JsonValueAccess {
  static JsonValue wrap(const simdjson::dom::element& element);
  // Throws std::logic_error for an empty JsonValue.
  static simdjson::dom::element unwrap(const JsonValue& value);
};

}  // namespace cppbatch
