#include "cppbatch/infrastructure/json_element_reader.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <stdexcept>

#include <nlohmann/json.hpp>
#include <simdjson.h>

#include "infrastructure/file_input.hpp"
#include "infrastructure/json_value_access.hpp"

namespace cppbatch {
namespace {

constexpr size_t kMinRead = 64 * 1024;
constexpr size_t kPadding = simdjson::SIMDJSON_PADDING;
// Raw text kept in a ParseError (its message shows ~200 bytes of it).
constexpr size_t kMaxRawInError = 64 * 1024;
// Raw text shown for an error between elements.
constexpr size_t kContextInError = 80;

// Bytes the element scanner stops at outside strings.
constexpr std::array<bool, 256> make_table(std::string_view bytes) {
  std::array<bool, 256> table{};
  for (char c : bytes) table[static_cast<unsigned char>(c)] = true;
  return table;
}
constexpr std::array<bool, 256> kStructural = make_table("\"{}[]");
constexpr std::array<bool, 256> kScalarEnd = make_table(",]} \t\r\n");

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// nlohmann's message without its "[json.exception...] parse error at line
// L, column C: " prefix (the location is reported by ParseError).
std::string bare_reason(const std::string& what) {
  size_t at = what.find("column ");
  if (at == std::string::npos) return what;
  size_t colon = what.find(": ", at);
  return colon == std::string::npos ? what : what.substr(colon + 2);
}

}  // namespace

struct JsonElementReader::Impl {
  explicit Impl(const JsonReaderOptions& options, const std::string& who)
      : input(options.path, who) {}
  internal::FileInput input;
  simdjson::dom::parser parser;
  JsonValue value;
};

JsonElementReader::JsonElementReader(JsonReaderOptions options) : options_(std::move(options)) {
  who_ = "reader '" + options_.name + "'";
  if (options_.path.empty()) throw std::invalid_argument("JsonElementReader " + who_ + ": path is empty");
  if (options_.max_element_bytes == 0) {
    throw std::invalid_argument("JsonElementReader " + who_ + ": max_element_bytes is 0");
  }
  count_key_ = options_.name + ".read.count";
  offset_key_ = options_.name + ".offset";
  line_key_ = options_.name + ".line";
  column_key_ = options_.name + ".column";
  impl_ = std::make_unique<Impl>(options_, who_);
}

JsonElementReader::~JsonElementReader() { close(); }

void JsonElementReader::reset_buffer(int64_t file_offset) {
  begin_ = end_ = 0;
  eof_ = false;
  buffer_offset_ = file_offset;
  scan_pos_ = 0;
  kind_ = 0;
  discarding_ = false;
}

void JsonElementReader::open(ExecutionContext& context) {
  close();
  impl_->input.open();
  capacity_ = std::max(options_.buffer_size, 2 * kMinRead);
  buffer_ = std::make_unique_for_overwrite<char[]>(capacity_ + kPadding);
  reset_buffer(0);
  lines_ = 0;
  line_start_ = 0;
  read_count_ = 0;
  raw_ = {};
  open_ = true;
  try {
    refill();
    if (end_ >= 3 && std::memcmp(buffer_.get(), "\xEF\xBB\xBF", 3) == 0) {
      begin_ = 3;
      line_start_ = 3;
    }
    if (options_.format == JsonFormat::ARRAY) {
      if (!skip_whitespace()) fail_here("empty input: expected a JSON array ('[')");
      if (buffer_[begin_] != '[') fail_here("expected a JSON array ('[') at the top level");
      consume(1);
      phase_ = Phase::FIRST;
    } else {
      phase_ = Phase::LINES;
    }
    mark_resume();

    std::optional<int64_t> saved =
        options_.save_state ? context.get_long(offset_key_) : std::nullopt;
    if (!saved) return;
    // A position before the preamble's end means "from the start".
    if (*saved > resume_offset_) {
      impl_->input.seek(*saved);
      reset_buffer(*saved);
      lines_ = context.get_long(line_key_).value_or(0);
      line_start_ = *saved - (context.get_long(column_key_).value_or(1) - 1);
      mark_resume();
    }
    read_count_ = context.get_long(count_key_).value_or(0);
    if (options_.format == JsonFormat::ARRAY) {
      phase_ = read_count_ > 0 ? Phase::AFTER : Phase::FIRST;
    }
  } catch (...) {
    close();
    throw;
  }
}

void JsonElementReader::update(ExecutionContext& context) {
  if (!options_.save_state) return;
  context.put_long(count_key_, read_count_);
  context.put_long(offset_key_, resume_offset_);
  context.put_long(line_key_, resume_line_);
  context.put_long(column_key_, resume_offset_ - resume_line_start_ + 1);
}

void JsonElementReader::close() {
  impl_->input.close();
  open_ = false;
  buffer_.reset();
  capacity_ = begin_ = end_ = 0;
  raw_ = {};
}

void JsonElementReader::refill() {
  if (begin_ > 0) {
    size_t rest = end_ - begin_;
    std::memmove(buffer_.get(), buffer_.get() + begin_, rest);
    buffer_offset_ += static_cast<int64_t>(begin_);
    begin_ = 0;
    end_ = rest;
  }
  if (capacity_ - end_ < kMinRead) {
    size_t bigger = capacity_ * 2;
    auto grown = std::make_unique_for_overwrite<char[]>(bigger + kPadding);
    std::memcpy(grown.get(), buffer_.get(), end_);
    buffer_ = std::move(grown);
    capacity_ = bigger;
  }
  size_t n = impl_->input.read(buffer_.get() + end_, capacity_ - end_);
  if (n == 0) {
    eof_ = true;
  } else {
    end_ += n;
  }
}

void JsonElementReader::consume(size_t bytes) {
  const char* base = buffer_.get();
  const char* p = base + begin_;
  const char* end = p + bytes;
  const char* last = nullptr;
  while (p < end) {
    const void* nl = std::memchr(p, '\n', static_cast<size_t>(end - p));
    if (nl == nullptr) break;
    ++lines_;
    last = static_cast<const char*>(nl);
    p = last + 1;
  }
  if (last != nullptr) line_start_ = buffer_offset_ + (last - base) + 1;
  begin_ += bytes;
}

bool JsonElementReader::skip_whitespace() {
  for (;;) {
    while (begin_ < end_) {
      char c = buffer_[begin_];
      if (c == '\n') {
        ++lines_;
        ++begin_;
        line_start_ = buffer_offset_ + static_cast<int64_t>(begin_);
      } else if (c == ' ' || c == '\t' || c == '\r') {
        ++begin_;
      } else {
        return true;
      }
    }
    if (eof_) return false;
    refill();
  }
}

void JsonElementReader::mark_resume() {
  resume_offset_ = buffer_offset_ + static_cast<int64_t>(begin_);
  resume_line_ = lines_;
  resume_line_start_ = line_start_;
}

void JsonElementReader::fail(int64_t line, int64_t column, std::string_view raw, std::string reason) {
  throw ParseError(options_.path, line, column, std::string(),
                   std::string(raw.substr(0, kMaxRawInError)), std::move(reason));
}

void JsonElementReader::fail_here(std::string reason) {
  const int64_t column = buffer_offset_ + static_cast<int64_t>(begin_) - line_start_ + 1;
  std::string_view raw(buffer_.get() + begin_, std::min(end_ - begin_, kContextInError));
  fail(lines_ + 1, column, raw, std::move(reason));
}

void JsonElementReader::fail_overlong() {
  const size_t avail = end_ - begin_;
  element_line_ = lines_ + 1;
  element_column_ = buffer_offset_ + static_cast<int64_t>(begin_) - line_start_ + 1;
  ParseError error(options_.path, element_line_, element_column_, std::string(),
                   std::string(buffer_.get() + begin_, std::min(avail, kMaxRawInError)),
                   "element longer than max_element_bytes (" +
                       std::to_string(options_.max_element_bytes) + " bytes)");
  consume(avail);
  scan_pos_ = options_.format == JsonFormat::LINES ? 0 : scan_pos_ - avail;
  discarding_ = true;
  ++read_count_;
  raw_ = {};
  throw error;
}

// Advances the scan of the element at p[0] over p[scan_pos_, avail). True
// when its end is found (scan_end_ = its size); the state is then reset
// for the next element.
bool JsonElementReader::scan_element(const char* p, size_t avail) {
  size_t i = scan_pos_;
  if (kind_ == 0) {
    kind_ = p[0];
    i = 1;
    depth_ = kind_ == '{' || kind_ == '[' ? 1 : 0;
    in_string_ = kind_ == '"';
  }
  auto done = [&](size_t end) {
    scan_end_ = end;
    scan_pos_ = 0;
    kind_ = 0;
    return true;
  };
  if (kind_ == '{' || kind_ == '[' || kind_ == '"') {
    while (i < avail) {
      if (in_string_) {
        const void* q = std::memchr(p + i, '"', avail - i);
        const size_t stop = q != nullptr ? static_cast<size_t>(static_cast<const char*>(q) - p) : avail;
        const void* bs = std::memchr(p + i, '\\', stop - i);
        if (bs != nullptr) {
          i = static_cast<size_t>(static_cast<const char*>(bs) - p) + 2;  // skip the escaped byte
          continue;
        }
        if (q == nullptr) {
          i = avail;
          break;
        }
        in_string_ = false;
        i = stop + 1;
        if (depth_ == 0) return done(i);
        continue;
      }
      while (i < avail && !kStructural[static_cast<unsigned char>(p[i])]) ++i;
      if (i == avail) break;
      const char c = p[i++];
      if (c == '"') {
        in_string_ = true;
      } else if (c == '{' || c == '[') {
        ++depth_;
      } else if (--depth_ == 0) {
        return done(i);
      }
    }
  } else if (kind_ == ',' || kind_ == '}') {
    return done(1);  // a stray byte: an element of its own, which fails to parse
  } else {
    while (i < avail && !kScalarEnd[static_cast<unsigned char>(p[i])]) ++i;
    if (i < avail || eof_) return done(i);
  }
  scan_pos_ = i;
  return false;
}

const JsonValue* JsonElementReader::next() {
  if (!open_) throw std::logic_error(who_ + ": next() called before open()");
  raw_ = {};
  return options_.format == JsonFormat::LINES ? next_line() : next_array();
}

const JsonValue* JsonElementReader::next_line() {
  for (;;) {
    if (phase_ == Phase::DONE) return nullptr;
    if (begin_ == end_) {
      if (eof_) {
        discarding_ = false;
        phase_ = Phase::DONE;
        return nullptr;
      }
      refill();
      continue;
    }
    const char* p = buffer_.get() + begin_;
    const size_t avail = end_ - begin_;
    const char* nl = static_cast<const char*>(std::memchr(p + scan_pos_, '\n', avail - scan_pos_));
    if (discarding_) {  // the rest of an overlong line
      if (nl == nullptr) {
        consume(avail);
      } else {
        consume(static_cast<size_t>(nl - p) + 1);
        discarding_ = false;
      }
      mark_resume();
      continue;
    }
    if (nl == nullptr && !eof_) {
      if (avail >= options_.max_element_bytes) fail_overlong();
      scan_pos_ = avail;
      refill();
      continue;
    }
    scan_pos_ = 0;
    const size_t size = nl != nullptr ? static_cast<size_t>(nl - p) : avail;
    const size_t bytes = nl != nullptr ? size + 1 : avail;
    size_t b = 0, e = size;
    while (b < e && is_space(p[b])) ++b;
    while (e > b && is_space(p[e - 1])) --e;
    if (b == e) {  // blank line
      consume(bytes);
      mark_resume();
      continue;
    }
    element_line_ = lines_ + 1;
    element_column_ = buffer_offset_ + static_cast<int64_t>(begin_ + b) - line_start_ + 1;
    consume(bytes);
    ++read_count_;
    mark_resume();
    check_size(p + b, e - b);
    return parse(p + b, e - b);
  }
}

const JsonValue* JsonElementReader::next_array() {
  for (;;) {
    switch (phase_) {
      case Phase::DONE:
      case Phase::OPEN:
      case Phase::LINES:
        return nullptr;
      case Phase::ELEMENT: {
        const char* p = buffer_.get() + begin_;
        const size_t avail = end_ - begin_;
        if (scan_element(p, avail)) {
          const size_t size = scan_end_;
          phase_ = Phase::AFTER;
          if (discarding_) {  // the end of an overlong element (already reported)
            consume(size);
            discarding_ = false;
            mark_resume();
            continue;
          }
          element_line_ = lines_ + 1;
          element_column_ = buffer_offset_ + static_cast<int64_t>(begin_) - line_start_ + 1;
          consume(size);
          ++read_count_;
          mark_resume();
          check_size(p, size);
          return parse(p, size);
        }
        if (eof_) {
          phase_ = Phase::DONE;
          const bool reported = discarding_;
          discarding_ = false;
          element_line_ = lines_ + 1;
          element_column_ = buffer_offset_ + static_cast<int64_t>(begin_) - line_start_ + 1;
          ParseError error(options_.path, element_line_, element_column_, std::string(),
                           std::string(p, std::min(avail, kMaxRawInError)),
                           "unexpected end of input inside an element (truncated file?)");
          consume(avail);
          if (!reported) ++read_count_;
          mark_resume();
          throw error;
        }
        if (discarding_) {
          consume(avail);
          scan_pos_ -= avail;
          refill();
          continue;
        }
        if (avail >= options_.max_element_bytes) fail_overlong();
        refill();
        continue;
      }
      case Phase::FIRST:
      case Phase::AFTER:
      case Phase::NEXT:
      case Phase::TRAILING: {
        const Phase phase = phase_;
        if (!skip_whitespace()) {
          phase_ = Phase::DONE;
          if (phase == Phase::TRAILING) return nullptr;
          fail_here(phase == Phase::NEXT
                        ? "unexpected end of input: an element was expected (truncated file?)"
                        : "unexpected end of input: the array is not closed by ']' (truncated file?)");
        }
        const char c = buffer_[begin_];
        if (phase == Phase::TRAILING) {
          phase_ = Phase::DONE;
          fail_here("unexpected data after the closing ']' of the array");
        }
        if (phase == Phase::AFTER) {
          if (c == ',') {
            consume(1);
            phase_ = Phase::NEXT;
          } else if (c == ']') {
            consume(1);
            phase_ = Phase::TRAILING;
          } else {
            phase_ = Phase::NEXT;  // the next call reads an element from here
            fail_here("expected ',' or ']' after an element");
          }
          continue;
        }
        if (c == ']') {
          if (phase == Phase::NEXT) {
            phase_ = Phase::TRAILING;
            try {
              fail_here("a ',' must be followed by an element, not ']'");
            } catch (...) {
              consume(1);
              throw;
            }
          }
          consume(1);
          phase_ = Phase::TRAILING;
          continue;
        }
        phase_ = Phase::ELEMENT;
        scan_pos_ = 0;
        kind_ = 0;
        continue;
      }
    }
  }
}

void JsonElementReader::check_size(const char* p, size_t size) {
  if (size <= options_.max_element_bytes) return;
  raw_ = std::string_view(p, size);
  fail(element_line_, element_column_, raw_,
       "element longer than max_element_bytes (" + std::to_string(options_.max_element_bytes) +
           " bytes)");
}

const JsonValue* JsonElementReader::parse(const char* p, size_t size) {
  raw_ = std::string_view(p, size);
  simdjson::dom::element element;
  simdjson::error_code error =
      impl_->parser.parse(reinterpret_cast<const uint8_t*>(p), size, false).get(element);
  if (error == simdjson::SUCCESS) {
    impl_->value = JsonValueAccess::wrap(element);
    return &impl_->value;
  }
  // Locate the error: nlohmann's parser reports the byte where it stopped.
  int64_t line = element_line_;
  int64_t column = element_column_;
  std::string reason = simdjson::error_message(error);
  try {
    nlohmann::json ignored = nlohmann::json::parse(p, p + size);
    (void)ignored;
  } catch (const nlohmann::json::parse_error& e) {
    const size_t at = std::min(e.byte > 0 ? e.byte - 1 : 0, size);
    const char* last_nl = nullptr;
    for (const char* q = p; q < p + at; ++q) {
      if (*q == '\n') {
        ++line;
        last_nl = q;
      }
    }
    column = last_nl == nullptr ? element_column_ + static_cast<int64_t>(at)
                                : static_cast<int64_t>(p + at - last_nl);
    reason = bare_reason(e.what());
  } catch (const std::exception&) {
    // Keep simdjson's reason at the element's start.
  }
  fail(line, column, raw_, "malformed JSON: " + reason);
}

}  // namespace cppbatch
