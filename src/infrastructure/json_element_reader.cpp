#include "cppbatch/infrastructure/json_element_reader.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cstring>
#include <stdexcept>

#include <nlohmann/json.hpp>
#include <simdjson.h>

#include "infrastructure/json_value_access.hpp"

namespace cppbatch {
namespace {

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
  simdjson::dom::parser parser;        // one element at a time
  simdjson::dom::parser batch_parser;  // LINES batches for next() (parse_many)
  simdjson::dom::document_stream stream;
  simdjson::dom::document_stream::iterator it;
  // LINES batches for next_cursor() (On-Demand iterate_many).
  simdjson::ondemand::parser lazy_parser;
  simdjson::ondemand::document_stream lazy_stream;
  simdjson::ondemand::document_stream::iterator lazy_it;
  simdjson::ondemand::document_reference lazy_document;
  JsonValue value;
  JsonCursor cursor;
};

JsonElementReader::JsonElementReader(JsonReaderOptions options)
    : options_(std::move(options)), input_("reader '" + options_.name + "'") {
  who_ = "reader '" + options_.name + "'";
  if (options_.path.empty()) throw std::invalid_argument("JsonElementReader " + who_ + ": path is empty");
  if (options_.max_element_bytes == 0) {
    throw std::invalid_argument("JsonElementReader " + who_ + ": max_element_bytes is 0");
  }
  count_key_ = options_.name + ".read.count";
  offset_key_ = options_.name + ".offset";
  line_key_ = options_.name + ".line";
  column_key_ = options_.name + ".column";
  impl_ = std::make_unique<Impl>();
}

JsonElementReader::~JsonElementReader() { close(); }

void JsonElementReader::reset_scan() {
  scan_pos_ = 0;
  kind_ = 0;
  discarding_ = false;
  batch_active_ = false;
  advance_pending_ = false;
  lazy_unconfirmed_ = false;
  per_line_until_ = 0;
}

void JsonElementReader::open(ExecutionContext& context) {
  close();
  input_.open(options_.path, options_.compression, options_.buffer_size, kPadding);
  reset_scan();
  line_start_ = input_.offset();  // after a UTF-8 BOM
  read_count_ = 0;
  raw_ = {};
  open_ = true;
  try {
    if (options_.format == JsonFormat::ARRAY) {
      if (!skip_whitespace()) fail_here("empty input: expected a JSON array ('[')");
      if (*input_.data() != '[') fail_here("expected a JSON array ('[') at the top level");
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
      reset_scan();
      input_.resume(*saved, context.get_long(line_key_).value_or(0), who_);
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
  input_.close();
  open_ = false;
  batch_active_ = false;
  lazy_unconfirmed_ = false;
  raw_ = {};
}

void JsonElementReader::consume(size_t bytes) {
  const char* base = input_.data();
  const char* p = base;
  const char* end = p + bytes;
  const char* last = nullptr;
  int64_t newlines = 0;
  while (p < end) {
    const void* nl = std::memchr(p, '\n', static_cast<size_t>(end - p));
    if (nl == nullptr) break;
    ++newlines;
    last = static_cast<const char*>(nl);
    p = last + 1;
  }
  if (last != nullptr) line_start_ = input_.offset() + (last - base) + 1;
  input_.consume(bytes, newlines);
}

bool JsonElementReader::skip_whitespace() {
  for (;;) {
    const char* p = input_.data();
    const size_t avail = input_.available();
    size_t i = 0;
    int64_t newlines = 0;
    while (i < avail) {
      const char c = p[i];
      if (c == '\n') {
        ++newlines;
        ++i;
        line_start_ = input_.offset() + static_cast<int64_t>(i);
      } else if (c == ' ' || c == '\t' || c == '\r') {
        ++i;
      } else {
        break;
      }
    }
    input_.consume(i, newlines);
    if (i < avail) return true;
    if (input_.eof()) return false;
    input_.fill();
  }
}

void JsonElementReader::mark_resume() {
  resume_offset_ = input_.offset();
  resume_line_ = input_.lines();
  resume_line_start_ = line_start_;
}

void JsonElementReader::fail(int64_t line, int64_t column, std::string_view raw, std::string reason) {
  throw ParseError(options_.path, line, column, std::string(),
                   std::string(raw.substr(0, kMaxRawInError)), std::move(reason));
}

void JsonElementReader::fail_here(std::string reason) {
  const int64_t column = input_.offset() - line_start_ + 1;
  std::string_view raw(input_.data(), std::min(input_.available(), kContextInError));
  fail(input_.lines() + 1, column, raw, std::move(reason));
}

void JsonElementReader::fail_overlong() {
  const size_t avail = input_.available();
  element_line_ = input_.lines() + 1;
  element_column_ = input_.offset() - line_start_ + 1;
  ParseError error(options_.path, element_line_, element_column_, std::string(),
                   std::string(input_.data(), std::min(avail, kMaxRawInError)),
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
    if (i < avail || input_.eof()) return done(i);
  }
  scan_pos_ = i;
  return false;
}

const JsonValue* JsonElementReader::next() {
  if (!open_) throw std::logic_error(who_ + ": next() called before open()");
  if (lazy_unconfirmed_) confirm_cursor();
  raw_ = {};
  if (options_.format == JsonFormat::ARRAY) return next_array();
  return next_line(false) ? &impl_->value : nullptr;
}

const JsonCursor* JsonElementReader::next_cursor() {
  if (!open_) throw std::logic_error(who_ + ": next_cursor() called before open()");
  if (lazy_unconfirmed_) confirm_cursor();
  raw_ = {};
  if (options_.format == JsonFormat::ARRAY) {
    const JsonValue* value = next_array();
    if (value == nullptr) return nullptr;
    impl_->cursor = JsonCursorAccess::full(*value);
  } else {
    if (!next_line(true)) return nullptr;
    impl_->cursor = element_lazy_ ? JsonCursorAccess::lazy(impl_->lazy_document, raw_)
                                  : JsonCursorAccess::full(impl_->value);
  }
  return &impl_->cursor;
}

void JsonElementReader::confirm_cursor() {
  if (!lazy_unconfirmed_) return;
  lazy_unconfirmed_ = false;
  auto& it = impl_->lazy_it;
  ++it;  // skips what the mapper left of the document
  // The next document must start where the next non-blank line does (the
  // document then ended on its own line: anything after it there would
  // have started another document), or the batch must be over.
  const char* p = input_.data();
  const size_t left = static_cast<size_t>(batch_end_ - input_.offset());
  size_t skip = 0;
  while (skip < left && is_space(p[skip])) ++skip;
  const bool aligned =
      skip == left ? !(it != impl_->lazy_stream.end())
                   : it != impl_->lazy_stream.end() && it.error() == simdjson::SUCCESS &&
                         it.current_index() == static_cast<size_t>(input_.offset() - batch_base_) + skip;
  if (aligned) return;
  // Not one value (or the stream failed): the rest of the batch is read
  // line by line, and this line's own parse says what is wrong with it.
  batch_active_ = false;
  per_line_until_ = batch_end_;
  reparse();
}

const JsonCursor& JsonElementReader::reparse() {
  if (raw_.empty()) throw std::logic_error(who_ + ": reparse() without an element");
  impl_->cursor = JsonCursorAccess::full(*parse(raw_.data(), raw_.size()));
  return impl_->cursor;
}

void JsonElementReader::fail_mapping(const std::exception& error) const {
  if (const auto* value_error = dynamic_cast<const JsonValueError*>(&error)) {
    throw ParseError(options_.path, element_line_, element_column_, value_error->key(),
                     std::string(raw_.substr(0, kMaxRawInError)), value_error->what());
  }
  throw ParseError(options_.path, element_line_, element_column_, std::string(),
                   std::string(raw_.substr(0, kMaxRawInError)),
                   std::string("mapping failed: ") + error.what());
}

bool JsonElementReader::next_line(bool lazy) {
  element_lazy_ = false;
  for (;;) {
    if (phase_ == Phase::DONE) return false;
    if (batch_active_) {
      if (batch_lazy_ == lazy) {
        if (next_in_batch()) return true;
        continue;  // the batch ended, or its next line is read alone below
      }
      batch_active_ = false;  // the other kind of read: a new batch from here
      advance_pending_ = false;
    }
    if (input_.available() == 0) {
      if (input_.eof()) {
        discarding_ = false;
        phase_ = Phase::DONE;
        return false;
      }
      input_.fill();
      continue;
    }
    if (!discarding_ && scan_pos_ == 0 && input_.offset() >= per_line_until_ && start_batch(lazy)) continue;
    const char* p = input_.data();
    const size_t avail = input_.available();
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
    if (nl == nullptr && !input_.eof()) {
      if (avail >= options_.max_element_bytes) fail_overlong();
      scan_pos_ = avail;
      input_.fill();
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
    element_line_ = input_.lines() + 1;
    element_column_ = input_.offset() + static_cast<int64_t>(b) - line_start_ + 1;
    consume(bytes);
    ++read_count_;
    mark_resume();
    check_size(p + b, e - b);
    parse(p + b, e - b);
    return true;
  }
}

// Parses the complete lines held in the buffer as one stream of documents.
// False when there is no complete line (or simdjson refuses the batch):
// the line is then read alone.
bool JsonElementReader::start_batch(bool lazy) {
  const char* p = input_.data();
  const size_t avail = input_.available();
  const void* last_nl = ::memrchr(p, '\n', avail);
  if (last_nl == nullptr) return false;
  const size_t size = static_cast<size_t>(static_cast<const char*>(last_nl) - p) + 1;
  // Capacity in powers of two: the parser reallocates only as batches grow.
  const size_t batch_size = std::bit_ceil(std::max<size_t>(size, 64 * 1024));
  const auto* bytes = reinterpret_cast<const uint8_t*>(p);
  const bool parsed =
      lazy ? impl_->lazy_parser.iterate_many(bytes, size, batch_size).get(impl_->lazy_stream) == simdjson::SUCCESS
           : impl_->batch_parser.parse_many(bytes, size, batch_size).get(impl_->stream) == simdjson::SUCCESS;
  if (!parsed) {
    per_line_until_ = input_.offset() + static_cast<int64_t>(size);
    return false;
  }
  if (lazy) {
    impl_->lazy_it = impl_->lazy_stream.begin();
  } else {
    impl_->it = impl_->stream.begin();
  }
  batch_lazy_ = lazy;
  batch_base_ = input_.offset();
  batch_end_ = batch_base_ + static_cast<int64_t>(size);
  batch_active_ = true;
  advance_pending_ = false;
  return true;
}

// The next line of the batch, when simdjson parsed exactly that line's
// value (an object or an array filling the line). Anything else — an
// error, a scalar, a document that is not the line (two values on a line,
// one spread over lines), an overlong line — gives the batch up: nullptr,
// and that line and the rest of the batch are read line by line, which
// reports errors exactly.
bool JsonElementReader::next_in_batch() {
  if (advance_pending_) {
    ++impl_->it;
    advance_pending_ = false;
  }
  for (;;) {
    const size_t left = static_cast<size_t>(batch_end_ - input_.offset());
    if (left == 0) {
      batch_active_ = false;
      return false;
    }
    const char* p = input_.data();
    const size_t size = static_cast<size_t>(static_cast<const char*>(std::memchr(p, '\n', left)) - p);
    size_t b = 0, e = size;
    while (b < e && is_space(p[b])) ++b;
    while (e > b && is_space(p[e - 1])) --e;
    if (b == e) {  // blank line
      input_.consume(size + 1, 1);
      line_start_ = input_.offset();
      mark_resume();
      continue;
    }
    const size_t at = static_cast<size_t>(input_.offset() - batch_base_) + b;
    if (e - b > options_.max_element_bytes || (p[b] != '{' && p[b] != '[') ||
        !batch_holds_line(at, e - b)) {
      batch_active_ = false;
      per_line_until_ = batch_end_;
      return false;
    }
    element_line_ = input_.lines() + 1;
    element_column_ = input_.offset() + static_cast<int64_t>(b) - line_start_ + 1;
    raw_ = std::string_view(p + b, e - b);
    input_.consume(size + 1, 1);
    line_start_ = input_.offset();
    ++read_count_;
    mark_resume();
    // The element lives until the stream moves on.
    advance_pending_ = !batch_lazy_;
    lazy_unconfirmed_ = element_lazy_ = batch_lazy_;
    return true;
  }
}

// True when the batch's current document is exactly the value of the
// line at `at` (offset in the batch) of `size` bytes; it is then in
// impl_->value (DOM) or impl_->lazy_document (On-Demand).
bool JsonElementReader::batch_holds_line(size_t at, size_t size) {
  if (batch_lazy_) {  // the end of the document is checked by confirm_cursor()
    auto& it = impl_->lazy_it;
    return it != impl_->lazy_stream.end() && (*it).get(impl_->lazy_document) == simdjson::SUCCESS &&
           it.current_index() == at;
  }
  auto& it = impl_->it;
  simdjson::dom::element element;
  if (!(it != impl_->stream.end()) || (*it).get(element) != simdjson::SUCCESS ||
      it.current_index() != at || it.source().size() != size) {
    return false;
  }
  impl_->value = JsonValueAccess::wrap(element);
  return true;
}

const JsonValue* JsonElementReader::next_array() {
  for (;;) {
    switch (phase_) {
      case Phase::DONE:
      case Phase::OPEN:
      case Phase::LINES:
        return nullptr;
      case Phase::ELEMENT: {
        const char* p = input_.data();
        const size_t avail = input_.available();
        if (scan_element(p, avail)) {
          const size_t size = scan_end_;
          phase_ = Phase::AFTER;
          if (discarding_) {  // the end of an overlong element (already reported)
            consume(size);
            discarding_ = false;
            mark_resume();
            continue;
          }
          element_line_ = input_.lines() + 1;
          element_column_ = input_.offset() - line_start_ + 1;
          consume(size);
          ++read_count_;
          mark_resume();
          check_size(p, size);
          return parse(p, size);
        }
        if (input_.eof()) {
          phase_ = Phase::DONE;
          const bool reported = discarding_;
          discarding_ = false;
          element_line_ = input_.lines() + 1;
          element_column_ = input_.offset() - line_start_ + 1;
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
          input_.fill();
          continue;
        }
        if (avail >= options_.max_element_bytes) fail_overlong();
        input_.fill();
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
        const char c = *input_.data();
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
