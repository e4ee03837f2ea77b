// Internal: converts between JsonValue / JsonCursor and the simdjson
// element or On-Demand document they wrap.
// Only the JSON sources of the infrastructure layer include this.
#pragma once

#include <simdjson.h>

#include "cppbatch/infrastructure/json_cursor.hpp"
#include "cppbatch/infrastructure/json_value.hpp"

namespace cppbatch {

struct JsonValueAccess {
  static JsonValue wrap(const simdjson::dom::element& element);
  // Throws std::logic_error for an empty JsonValue.
  static simdjson::dom::element unwrap(const JsonValue& value);
};

struct JsonCursorAccess {
  // A cursor over `document` whose text is `raw` (neither owned; they must
  // outlive the cursor's use).
  static JsonCursor lazy(simdjson::ondemand::document_reference& document, std::string_view raw);
  // A cursor over a fully parsed element.
  static JsonCursor full(const JsonValue& value);
};

}  // namespace cppbatch
