#include "cppbatch/infrastructure/delimited_record_reader.hpp"

#include "delimited_scanner.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <system_error>

namespace cppbatch {
namespace {

// Raw text kept in a ParseError (the message shows ~200 bytes of it).
constexpr size_t kMaxRawInError = 64 * 1024;

int64_t count_newlines(const char* p, size_t n) {
  int64_t count = 0;
  const char* end = p + n;
  while (p < end) {
    const void* nl = std::memchr(p, '\n', static_cast<size_t>(end - p));
    if (nl == nullptr) break;
    ++count;
    p = static_cast<const char*>(nl) + 1;
  }
  return count;
}

// The record without its line terminator (\n, \r\n, or a lone final \r).
std::string_view without_terminator(const char* p, size_t n) {
  if (n > 0 && p[n - 1] == '\n') --n;
  if (n > 0 && p[n - 1] == '\r') --n;
  return {p, n};
}

bool is_blank_char(char c) { return c == ' ' || c == '\t'; }

}  // namespace

DelimitedRecordReader::DelimitedRecordReader(DelimitedReaderOptions options)
    : options_(std::move(options)), input_("reader '" + options_.name + "'") {
  const std::string who = "DelimitedRecordReader '" + options_.name + "': ";
  if (options_.path.empty()) throw std::invalid_argument(who + "path is empty");
  if (options_.delimiter == '\n' || options_.delimiter == '\r') {
    throw std::invalid_argument(who + "the delimiter cannot be a line break");
  }
  if (options_.quote == '\n' || options_.quote == '\r') {
    throw std::invalid_argument(who + "the quote cannot be a line break");
  }
  if (options_.quote != '\0' && options_.quote == options_.delimiter) {
    throw std::invalid_argument(who + "the quote and the delimiter must differ");
  }
  if (options_.escape == '\n' || options_.escape == '\r') {
    throw std::invalid_argument(who + "the escape cannot be a line break");
  }
  if (options_.escape != '\0' &&
      (options_.escape == options_.delimiter || options_.escape == options_.quote)) {
    throw std::invalid_argument(who + "the escape must differ from the delimiter and the quote");
  }
  for (const auto& prefix : options_.comment_prefixes) {
    if (prefix.empty()) throw std::invalid_argument(who + "empty comment prefix");
  }
  if (options_.lines_to_skip < 0) throw std::invalid_argument(who + "lines_to_skip < 0");
  count_key_ = options_.name + ".read.count";
  offset_key_ = options_.name + ".offset";
  line_key_ = options_.name + ".line";
  if (!options_.names.empty()) {
    names_ = FieldNames(options_.names);  // throws on duplicates
    fields_.names_ = &names_;
  }
  fields_.resource_ = options_.path;
  scanner_ = std::make_unique<internal::DelimitedScanner>(internal::DelimitedSyntax{
      options_.delimiter, options_.quote, options_.escape, options_.trim});
}

DelimitedRecordReader::~DelimitedRecordReader() { close(); }

void DelimitedRecordReader::open(ExecutionContext& context) {
  close();
  input_.open(options_.path, options_.compression, options_.buffer_size);
  read_count_ = 0;
  discard_line_ = false;
  lines_to_skip_ = options_.lines_to_skip;
  header_pending_ = options_.header_as_names;
  if (options_.header_as_names && options_.names.empty()) {
    names_ = FieldNames();
    fields_.names_ = nullptr;
  }

  // The preamble (skipped lines, header) is read on every open: it gives
  // the names on a restart and is where a first run starts anyway.
  preamble_only_ = true;
  try {
    next();
  } catch (...) {
    preamble_only_ = false;
    close();
    throw;
  }
  preamble_only_ = false;

  std::optional<int64_t> saved =
      options_.save_state ? context.get_long(offset_key_) : std::nullopt;
  if (!saved) return;
  // A position saved before the preamble was read is the preamble's end.
  if (*saved > offset()) {
    discard_line_ = false;
    try {
      input_.resume(*saved, context.get_long(line_key_).value_or(0), "reader '" + options_.name + "'");
    } catch (...) {
      close();
      throw;
    }
  }
  read_count_ = context.get_long(count_key_).value_or(0);
}

void DelimitedRecordReader::update(ExecutionContext& context, const Position& at) {
  if (!options_.save_state) return;
  context.put_long(count_key_, at.count);
  context.put_long(offset_key_, at.offset);
  context.put_long(line_key_, at.line);
}

void DelimitedRecordReader::close() { input_.close(); }

void DelimitedRecordReader::fill() { input_.fill(); }

bool DelimitedRecordReader::is_comment(const char* line, size_t size) const {
  for (const auto& prefix : options_.comment_prefixes) {
    if (size >= prefix.size() && std::memcmp(line, prefix.data(), prefix.size()) == 0) return true;
  }
  return false;
}

void DelimitedRecordReader::fail_record(int64_t line, std::string_view raw, int64_t column,
                                        std::string field, std::string reason) {
  throw ParseError(options_.path, line, column, std::move(field),
                   std::string(raw.substr(0, kMaxRawInError)), std::move(reason));
}

void DelimitedRecordReader::fail_overlong(const char* p, size_t avail) {
  const int64_t line = input_.lines() + 1;
  std::string_view raw(p, std::min(avail, kMaxRawInError));
  const void* nl = std::memchr(p, '\n', avail);
  if (nl != nullptr) {
    input_.consume(static_cast<size_t>(static_cast<const char*>(nl) - p) + 1, 1);
    raw = raw.substr(0, static_cast<size_t>(static_cast<const char*>(nl) - p));
  } else {
    input_.consume(avail, 0);
    discard_line_ = true;
  }
  ++read_count_;
  fail_record(line, raw, 0, std::string(),
              "record longer than max_record_bytes (" + std::to_string(options_.max_record_bytes) +
                  " bytes) — an unbalanced quote?");
}

void DelimitedRecordReader::take_header() {
  header_pending_ = false;
  if (!options_.names.empty()) return;  // explicit names win; the header is just skipped
  std::vector<std::string> names;
  names.reserve(fields_.size());
  for (std::string_view v : fields_.values()) {
    size_t b = 0, e = v.size();
    while (b < e && is_blank_char(v[b])) ++b;
    while (e > b && is_blank_char(v[e - 1])) --e;
    names.emplace_back(v.substr(b, e - b));
  }
  try {
    names_ = FieldNames(std::move(names));
  } catch (const std::invalid_argument& e) {
    fail_record(fields_.line_, fields_.raw_, 0, std::string(), std::string("header: ") + e.what());
  }
  fields_.names_ = names_.empty() ? nullptr : &names_;
}

const FieldSet* DelimitedRecordReader::next() {
  if (!input_.is_open()) {
    throw std::logic_error("reader '" + options_.name + "': next() called before open()");
  }
  for (;;) {
    if (preamble_only_ && lines_to_skip_ == 0 && !header_pending_) return nullptr;
    if (input_.available() == 0) {
      if (input_.eof()) return nullptr;
      fill();
      continue;
    }
    const char* p = input_.data();
    const size_t avail = input_.available();
    const char* nl = static_cast<const char*>(std::memchr(p, '\n', avail));
    if (discard_line_) {  // the rest of an overlong line
      if (nl == nullptr) {
        input_.consume(avail, 0);
      } else {
        input_.consume(static_cast<size_t>(nl - p) + 1, 1);
        discard_line_ = false;
      }
      continue;
    }
    if (nl == nullptr && !input_.eof()) {
      if (avail >= options_.max_record_bytes) fail_overlong(p, avail);
      fill();
      continue;
    }
    const size_t line_size = nl != nullptr ? static_cast<size_t>(nl - p) : avail;
    const size_t line_bytes = nl != nullptr ? line_size + 1 : avail;
    const int64_t line_newlines = nl != nullptr ? 1 : 0;
    if (lines_to_skip_ > 0) {
      input_.consume(line_bytes, line_newlines);
      --lines_to_skip_;
      continue;
    }
    size_t content = line_size;
    if (content > 0 && p[content - 1] == '\r') --content;
    if (content == 0 || (!options_.comment_prefixes.empty() && is_comment(p, content))) {
      input_.consume(line_bytes, line_newlines);
      continue;
    }

    const int64_t record_line = input_.lines() + 1;
    std::string_view raw;
    if (!scanner_->try_split(p, content, fields_)) {
      auto scan = scanner_->scan(p, avail, input_.eof(), fields_);
      if (scan.error != nullptr) {
        // Resynchronise at the end of the physical line where it went wrong.
        const void* enl = std::memchr(p + scan.error_pos, '\n', avail - scan.error_pos);
        if (enl == nullptr && !input_.eof()) {
          if (avail >= options_.max_record_bytes) fail_overlong(p, avail);
          fill();
          continue;
        }
        size_t bytes =
            enl != nullptr ? static_cast<size_t>(static_cast<const char*>(enl) - p) + 1 : avail;
        input_.consume(bytes, count_newlines(p, bytes));
        ++read_count_;
        fail_record(record_line, without_terminator(p, bytes),
                    static_cast<int64_t>(scan.error_pos) + 1, std::string(), scan.error);
      }
      if (scan.consumed == 0) {
        if (avail >= options_.max_record_bytes) fail_overlong(p, avail);
        fill();
        continue;
      }
      raw = without_terminator(p, scan.consumed);
      input_.consume(scan.consumed, count_newlines(p, scan.consumed));
    } else {
      raw = std::string_view(p, content);
      input_.consume(line_bytes, line_newlines);
    }
    fields_.line_ = record_line;
    fields_.raw_ = raw;
    if (header_pending_) {
      take_header();
      continue;
    }
    ++read_count_;
    fields_.fit_to_names(options_.strict);
    return &fields_;
  }
}

}  // namespace cppbatch
