#include "cppbatch/infrastructure/parse_error.hpp"

#include <string_view>

namespace cppbatch {
namespace {

constexpr size_t kMaxRawShown = 200;

// One-line, bounded rendering of a raw record for a message.
std::string shorten(std::string_view raw) {
  bool cut = false;
  if (raw.size() > kMaxRawShown) {
    size_t n = kMaxRawShown;
    // Do not split a UTF-8 sequence: back up over continuation bytes.
    while (n > 0 && (static_cast<unsigned char>(raw[n]) & 0xC0) == 0x80) --n;
    raw = raw.substr(0, n);
    cut = true;
  }
  std::string out;
  out.reserve(raw.size() + 8);
  for (char c : raw) {
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else {
      out += c;
    }
  }
  if (cut) out += "…";
  return out;
}

std::string format_message(const std::string& resource, int64_t line, int64_t column,
                           const std::string& field, const std::string& raw,
                           const std::string& reason) {
  std::string msg = resource.empty() ? std::string("<input>") : resource;
  msg += ':';
  msg += std::to_string(line);
  if (column > 0) {
    msg += ':';
    msg += std::to_string(column);
  }
  msg += ": ";
  if (!field.empty()) {
    msg += "field '";
    msg += field;
    msg += "': ";
  }
  msg += reason;
  msg += " — line: ";
  msg += shorten(raw);
  return msg;
}

}  // namespace

ParseError::ParseError(std::string resource, int64_t line, int64_t column, std::string field,
                       std::string raw_line, std::string reason)
    : RawInputError((resource.empty() ? std::string("<input>") : resource) + ":" + std::to_string(line), raw_line,
                    format_message(resource, line, column, field, raw_line, reason)),
      resource_(std::move(resource)),
      line_(line),
      column_(column),
      field_(std::move(field)),
      reason_(std::move(reason)) {}

}  // namespace cppbatch
