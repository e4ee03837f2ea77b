#include "cppbatch/infrastructure/fixed_length_tokenizer.hpp"

#include <algorithm>
#include <charconv>
#include <stdexcept>

namespace cppbatch {
namespace {

std::string_view strip(std::string_view v) {
  size_t b = 0, e = v.size();
  while (b < e && (v[b] == ' ' || v[b] == '\t')) ++b;
  while (e > b && (v[e - 1] == ' ' || v[e - 1] == '\t')) --e;
  return v.substr(b, e - b);
}

[[noreturn]] void bad_range(std::string_view part, const std::string& why) {
  throw std::invalid_argument("column range '" + std::string(part) + "': " + why);
}

int64_t parse_position(std::string_view text, std::string_view part) {
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
    bad_range(part, "'" + std::string(text) + "' is not a column number");
  }
  if (value < 1) bad_range(part, "columns start at 1");
  return value;
}

}  // namespace

std::vector<ColumnRange> parse_column_ranges(std::string_view spec) {
  std::vector<ColumnRange> ranges;
  std::vector<bool> start_only;
  size_t pos = 0;
  while (pos <= spec.size()) {
    size_t comma = spec.find(',', pos);
    if (comma == std::string_view::npos) comma = spec.size();
    std::string_view part = strip(spec.substr(pos, comma - pos));
    pos = comma + 1;
    if (part.empty()) {
      if (comma == spec.size() && !ranges.empty()) break;  // trailing comma
      bad_range(part, "empty range in '" + std::string(spec) + "'");
    }
    size_t dash = part.find('-');
    ColumnRange range;
    if (dash == std::string_view::npos) {
      range.start = parse_position(part, part);
      start_only.push_back(true);
    } else {
      range.start = parse_position(strip(part.substr(0, dash)), part);
      std::string_view end = strip(part.substr(dash + 1));
      if (!end.empty()) {
        range.end = parse_position(end, part);
        if (range.end < range.start) bad_range(part, "end before start");
      }
      start_only.push_back(false);
    }
    ranges.push_back(range);
  }
  // "a" alone ends where the next range starts.
  for (size_t i = 0; i + 1 < ranges.size(); ++i) {
    if (!start_only[i]) continue;
    ranges[i].end = ranges[i + 1].start - 1;
    if (ranges[i].end < ranges[i].start) {
      bad_range(std::to_string(ranges[i].start), "the next range starts before it");
    }
  }
  return ranges;
}

FixedLengthTokenizer::FixedLengthTokenizer(FixedLengthTokenizerOptions options)
    : options_(std::move(options)), names_(options_.names) {
  if (options_.columns.empty()) throw std::invalid_argument("FixedLengthTokenizer: no columns");
  if (!options_.names.empty() && options_.names.size() != options_.columns.size()) {
    throw std::invalid_argument("FixedLengthTokenizer: " + std::to_string(options_.names.size()) +
                                " names for " + std::to_string(options_.columns.size()) +
                                " columns");
  }
  for (size_t i = 0; i < options_.columns.size(); ++i) {
    const ColumnRange& c = options_.columns[i];
    if (c.start < 1 || (c.end != 0 && c.end < c.start)) {
      throw std::invalid_argument("FixedLengthTokenizer: bad column range " +
                                  std::to_string(c.start) + "-" + std::to_string(c.end));
    }
    if (c.end == 0) {
      if (i + 1 != options_.columns.size()) {
        throw std::invalid_argument("FixedLengthTokenizer: only the last column can be open-ended");
      }
      open_ended_ = true;
      max_end_ = std::max(max_end_, c.start - 1);
    } else {
      max_end_ = std::max(max_end_, c.end);
    }
    spans_.push_back({static_cast<size_t>(c.start - 1), static_cast<size_t>(c.end)});
    columns_.push_back(c.start);  // errors point at the column's first byte
  }
  names_or_null_ = names_.empty() ? nullptr : &names_;
}

namespace {

// Strips the padding (spaces, tabs) around [begin, end). One compare per
// side in the usual case, no padding: ' ' and '\t' are <= ' '.
inline void strip_padding(const char*& begin, const char*& end) {
  if (begin < end && static_cast<unsigned char>(*begin) <= ' ') {
    while (begin < end && (*begin == ' ' || *begin == '\t')) ++begin;
  }
  if (end > begin && static_cast<unsigned char>(end[-1]) <= ' ') {
    while (end > begin && (end[-1] == ' ' || end[-1] == '\t')) --end;
  }
}

}  // namespace

void FixedLengthTokenizer::fail_length(std::string_view line, const FieldSet& fields) const {
  const auto length = static_cast<int64_t>(line.size());
  const bool short_line = length < max_end_;
  throw ParseError(std::string(fields.resource()), fields.line_number(),
                   short_line ? length + 1 : max_end_ + 1, std::string(),
                   std::string(fields.raw_line()),
                   "line is " + std::to_string(length) + " bytes, " +
                       (short_line ? "shorter" : "longer") + " than the " +
                       std::to_string(max_end_) + " the columns need");
}

void FixedLengthTokenizer::tokenize(std::string_view line, FieldSet& fields) {
  fields.set_names(names_or_null_);
  fields.set_layout_columns(columns_);
  const auto length = static_cast<int64_t>(line.size());
  if (options_.strict && (length < max_end_ || (!open_ended_ && length > max_end_))) [[unlikely]] {
    fail_length(line, fields);
  }
  const char* data = line.data();
  const size_t size = line.size();
  std::string_view* out = fields.add_values(spans_.size()).data();
  if (length >= max_end_) [[likely]] {  // every column fits (always, when strict)
    // The closed columns (all but an open-ended last one) are never empty.
    const Span* c = spans_.data();
    const Span* const closed_end = c + spans_.size() - (open_ended_ ? 1 : 0);
    if (options_.trim) {
      for (; c != closed_end; ++c) {
        const char* begin = data + c->begin;
        const char* end = data + c->end;
        if (static_cast<unsigned char>(*begin) <= ' ' || static_cast<unsigned char>(end[-1]) <= ' ') {
          strip_padding(begin, end);
        }
        *out++ = std::string_view(begin, static_cast<size_t>(end - begin));
      }
    } else {
      for (; c != closed_end; ++c) *out++ = std::string_view(data + c->begin, c->end - c->begin);
    }
    if (open_ended_) {
      const char* begin = data + c->begin;
      const char* end = data + size;
      if (options_.trim) strip_padding(begin, end);
      *out = std::string_view(begin, static_cast<size_t>(end - begin));
    }
    return;
  }
  for (const Span& c : spans_) {  // lenient and short: cut or empty values
    const size_t b = std::min(c.begin, size);
    const char* begin = data + b;
    const char* end = data + std::max(b, std::min(c.end == 0 ? size : c.end, size));
    if (options_.trim) strip_padding(begin, end);
    *out++ = std::string_view(begin, static_cast<size_t>(end - begin));
  }
}

}  // namespace cppbatch
