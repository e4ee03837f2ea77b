#include "cppbatch/infrastructure/json_item_writer.hpp"

#include <charconv>
#include <cmath>

namespace cppbatch {

void append_json_string(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  size_t run = 0;  // start of the pending run of bytes copied as is
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(text.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 0xF];
    }
  }
  out.append(text.data() + run, text.size() - run);
  out += '"';
}

void append_record_json(const Record& record, std::string& out) {
  out += '{';
  for (size_t i = 0; i < record.size(); ++i) {
    if (i > 0) out += ',';
    append_json_string(out, record.name(i));
    out += ':';
    const Value& v = record[i];
    if (const auto* b = std::get_if<bool>(&v)) {
      out += *b ? "true" : "false";
    } else if (const auto* n = std::get_if<int64_t>(&v)) {
      char buffer[24];
      out.append(buffer, static_cast<size_t>(std::to_chars(buffer, buffer + sizeof buffer, *n).ptr - buffer));
    } else if (const auto* d = std::get_if<double>(&v)) {
      if (std::isfinite(*d)) {
        char buffer[32];
        const char* end = std::to_chars(buffer, buffer + sizeof buffer, *d).ptr;
        const std::string_view text(buffer, static_cast<size_t>(end - buffer));
        out += text;
        if (text.find_first_of(".eE") == std::string_view::npos) out += ".0";  // stays a double
      } else {
        out += "null";
      }
    } else if (const auto* text = std::get_if<std::string>(&v)) {
      append_json_string(out, *text);
    } else if (value_is_null(v)) {
      out += "null";
    } else {
      append_json_string(out, value_to_string(v));  // Date, DateTime
    }
  }
  out += '}';
}

}  // namespace cppbatch
