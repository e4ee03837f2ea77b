#include "cppbatch/infrastructure/delimited_record_reader.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <system_error>

namespace cppbatch {
namespace {

constexpr size_t kMinRead = 64 * 1024;
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
    : options_(std::move(options)) {
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
}

DelimitedRecordReader::~DelimitedRecordReader() { close(); }

void DelimitedRecordReader::open(ExecutionContext& context) {
  close();
  const std::string& path = options_.path;
  fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) {
    throw std::runtime_error("reader '" + options_.name + "': cannot open input file '" + path +
                             "': " + std::strerror(errno));
  }
  struct stat st {};
  if (::fstat(fd_, &st) != 0 || S_ISDIR(st.st_mode)) {
    int err = S_ISDIR(st.st_mode) ? EISDIR : errno;
    close();
    throw std::runtime_error("reader '" + options_.name + "': cannot read input file '" + path +
                             "': " + std::strerror(err));
  }
  ::posix_fadvise(fd_, 0, 0, POSIX_FADV_SEQUENTIAL);

  capacity_ = std::max(options_.buffer_size, 2 * kMinRead);
  buffer_ = std::make_unique_for_overwrite<char[]>(capacity_);
  begin_ = end_ = 0;
  eof_ = false;
  buffer_offset_ = 0;
  lines_ = 0;
  read_count_ = 0;
  discard_line_ = false;
  lines_to_skip_ = options_.lines_to_skip;
  header_pending_ = options_.header_as_names;
  if (options_.header_as_names && options_.names.empty()) {
    names_ = FieldNames();
    fields_.names_ = nullptr;
  }

  refill();
  if (end_ >= 3 && std::memcmp(buffer_.get(), "\xEF\xBB\xBF", 3) == 0) begin_ = 3;

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
  if (*saved > static_cast<int64_t>(st.st_size)) {
    int64_t size = static_cast<int64_t>(st.st_size);
    close();
    throw std::runtime_error("reader '" + options_.name + "': input file '" + path + "' has " +
                             std::to_string(size) + " bytes but the restart offset is " +
                             std::to_string(*saved) + " — was the file replaced?");
  }
  // A position saved before the preamble was read is the preamble's end.
  if (*saved > offset()) {
    seek(*saved);
    lines_ = context.get_long(line_key_).value_or(0);
  }
  read_count_ = context.get_long(count_key_).value_or(0);
}

void DelimitedRecordReader::update(ExecutionContext& context) {
  if (!options_.save_state) return;
  context.put_long(count_key_, read_count_);
  context.put_long(offset_key_, offset());
  context.put_long(line_key_, lines_);
}

void DelimitedRecordReader::close() {
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
  buffer_.reset();
  capacity_ = begin_ = end_ = 0;
}

void DelimitedRecordReader::refill() {
  if (begin_ > 0) {
    size_t rest = end_ - begin_;
    std::memmove(buffer_.get(), buffer_.get() + begin_, rest);
    buffer_offset_ += static_cast<int64_t>(begin_);
    begin_ = 0;
    end_ = rest;
  }
  if (capacity_ - end_ < kMinRead) {
    size_t bigger = capacity_ * 2;
    auto grown = std::make_unique_for_overwrite<char[]>(bigger);
    std::memcpy(grown.get(), buffer_.get(), end_);
    buffer_ = std::move(grown);
    capacity_ = bigger;
  }
  ssize_t n;
  do {
    n = ::read(fd_, buffer_.get() + end_, capacity_ - end_);
  } while (n < 0 && errno == EINTR);
  if (n < 0) {
    throw std::system_error(errno, std::generic_category(),
                            "reader '" + options_.name + "': reading '" + options_.path + "'");
  }
  if (n == 0) {
    eof_ = true;
  } else {
    end_ += static_cast<size_t>(n);
  }
}

void DelimitedRecordReader::consume(size_t bytes, int64_t newlines) {
  begin_ += bytes;
  lines_ += newlines;
}

void DelimitedRecordReader::seek(int64_t offset) {
  if (::lseek(fd_, static_cast<off_t>(offset), SEEK_SET) < 0) {
    throw std::system_error(errno, std::generic_category(),
                            "reader '" + options_.name + "': seeking in '" + options_.path + "'");
  }
  buffer_offset_ = offset;
  begin_ = end_ = 0;
  eof_ = false;
  discard_line_ = false;
}

bool DelimitedRecordReader::is_comment(const char* line, size_t size) const {
  for (const auto& prefix : options_.comment_prefixes) {
    if (size >= prefix.size() && std::memcmp(line, prefix.data(), prefix.size()) == 0) return true;
  }
  return false;
}

void DelimitedRecordReader::push_field(const char* base, size_t begin, size_t end) {
  if (options_.trim) {
    while (begin < end && is_blank_char(base[begin])) ++begin;
    while (end > begin && is_blank_char(base[end - 1])) --end;
  }
  fields_.values_.emplace_back(base + begin, end - begin);
  fields_.columns_.push_back(static_cast<int64_t>(begin) + 1);
}

void DelimitedRecordReader::tokenize_simple(const char* line, size_t size) {
  fields_.values_.clear();
  fields_.columns_.clear();
  const char delimiter = options_.delimiter;
  // A plain loop beats memchr here: fields are typically a few bytes long.
  size_t start = 0;
  for (size_t i = 0; i < size; ++i) {
    if (line[i] == delimiter) {
      push_field(line, start, i);
      start = i + 1;
    }
  }
  push_field(line, start, size);
}

// One pass over a record that has quotes: finds where it ends (newlines
// inside quotes do not end it) and tokenises it, unescaping quoted values
// into scratch_. consumed == 0 means the record continues past `avail`.
DelimitedRecordReader::Scan DelimitedRecordReader::tokenize_quoted(const char* p, size_t avail) {
  fields_.values_.clear();
  fields_.columns_.clear();
  scratch_.clear();
  // Unescaped values are never longer than the raw record, so views into
  // scratch_ stay valid while it is filled.
  if (scratch_.capacity() < avail) scratch_.reserve(avail);
  const char delimiter = options_.delimiter;
  const char quote = options_.quote;
  const bool trim = options_.trim;
  Scan scan;
  size_t i = 0;
  for (;;) {
    size_t j = i;
    if (trim) {
      while (j < avail && is_blank_char(p[j])) ++j;
    }
    if (j < avail && p[j] == quote) {
      const size_t open_quote = j;
      const size_t segment = scratch_.size();
      size_t k = j + 1;
      for (;;) {
        const void* q = std::memchr(p + k, quote, avail - k);
        if (q == nullptr) {
          if (!eof_) return scan;
          scan.error = "unterminated quoted field";
          scan.error_pos = open_quote;
          return scan;
        }
        size_t qi = static_cast<size_t>(static_cast<const char*>(q) - p);
        scratch_.append(p + k, qi - k);
        if (qi + 1 == avail && !eof_) return scan;  // doubled quote or end? need more
        if (qi + 1 < avail && p[qi + 1] == quote) {
          scratch_ += quote;
          k = qi + 2;
          continue;
        }
        k = qi + 1;
        break;
      }
      fields_.values_.emplace_back(scratch_.data() + segment, scratch_.size() - segment);
      fields_.columns_.push_back(static_cast<int64_t>(open_quote) + 1);
      if (trim) {
        while (k < avail && is_blank_char(p[k])) ++k;
      }
      if (k == avail) {
        if (!eof_) return scan;
        scan.consumed = avail;
        return scan;
      }
      const char c = p[k];
      if (c == delimiter) {
        i = k + 1;
        continue;
      }
      if (c == '\n') {
        scan.consumed = k + 1;
        return scan;
      }
      if (c == '\r') {
        if (k + 1 == avail) {
          if (!eof_) return scan;
          scan.consumed = avail;
          return scan;
        }
        if (p[k + 1] == '\n') {
          scan.consumed = k + 2;
          return scan;
        }
      }
      scan.error = "unexpected character after a closing quote (a quote inside a quoted field "
                   "must be doubled)";
      scan.error_pos = k;
      return scan;
    }
    // Unquoted value: up to the delimiter or the end of the line.
    size_t k = i;
    while (k < avail && p[k] != delimiter && p[k] != '\n') ++k;
    if (k == avail && !eof_) return scan;
    const bool end_of_record = k == avail || p[k] == '\n';
    size_t value_end = k;
    if (end_of_record && value_end > i && p[value_end - 1] == '\r') --value_end;
    push_field(p, i, value_end);
    if (end_of_record) {
      scan.consumed = k == avail ? avail : k + 1;
      return scan;
    }
    i = k + 1;
  }
}

void DelimitedRecordReader::fail_record(int64_t line, std::string_view raw, int64_t column,
                                        std::string field, std::string reason) {
  throw ParseError(options_.path, line, column, std::move(field),
                   std::string(raw.substr(0, kMaxRawInError)), std::move(reason));
}

void DelimitedRecordReader::fail_overlong(const char* p, size_t avail) {
  const int64_t line = lines_ + 1;
  std::string_view raw(p, std::min(avail, kMaxRawInError));
  const void* nl = std::memchr(p, '\n', avail);
  if (nl != nullptr) {
    consume(static_cast<size_t>(static_cast<const char*>(nl) - p) + 1, 1);
    raw = raw.substr(0, static_cast<size_t>(static_cast<const char*>(nl) - p));
  } else {
    consume(avail, 0);
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
  names.reserve(fields_.values_.size());
  for (std::string_view v : fields_.values_) {
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

void DelimitedRecordReader::check_columns() {
  if (!options_.strict || fields_.names_ == nullptr) return;
  const size_t expected = names_.size();
  const size_t found = fields_.values_.size();
  if (found == expected) return;
  std::string counts =
      "expected " + std::to_string(expected) + " fields, found " + std::to_string(found);
  if (found < expected) {
    fail_record(fields_.line_, fields_.raw_, static_cast<int64_t>(fields_.raw_.size()) + 1,
                names_[found], "missing field: " + counts);
  }
  fail_record(fields_.line_, fields_.raw_, fields_.columns_[expected],
              "#" + std::to_string(expected + 1), "unexpected extra field: " + counts);
}

const FieldSet* DelimitedRecordReader::next() {
  if (fd_ < 0) {
    throw std::logic_error("reader '" + options_.name + "': next() called before open()");
  }
  for (;;) {
    if (preamble_only_ && lines_to_skip_ == 0 && !header_pending_) return nullptr;
    if (begin_ == end_) {
      if (eof_) return nullptr;
      refill();
      continue;
    }
    const char* p = buffer_.get() + begin_;
    const size_t avail = end_ - begin_;
    const char* nl = static_cast<const char*>(std::memchr(p, '\n', avail));
    if (discard_line_) {  // the rest of an overlong line
      if (nl == nullptr) {
        consume(avail, 0);
      } else {
        consume(static_cast<size_t>(nl - p) + 1, 1);
        discard_line_ = false;
      }
      continue;
    }
    if (nl == nullptr && !eof_) {
      if (avail >= options_.max_record_bytes) fail_overlong(p, avail);
      refill();
      continue;
    }
    const size_t line_size = nl != nullptr ? static_cast<size_t>(nl - p) : avail;
    const size_t line_bytes = nl != nullptr ? line_size + 1 : avail;
    const int64_t line_newlines = nl != nullptr ? 1 : 0;
    if (lines_to_skip_ > 0) {
      consume(line_bytes, line_newlines);
      --lines_to_skip_;
      continue;
    }
    size_t content = line_size;
    if (content > 0 && p[content - 1] == '\r') --content;
    if (content == 0 || is_comment(p, content)) {
      consume(line_bytes, line_newlines);
      continue;
    }

    const int64_t record_line = lines_ + 1;
    std::string_view raw;
    if (options_.quote != '\0' && std::memchr(p, options_.quote, line_size) != nullptr) {
      Scan scan = tokenize_quoted(p, avail);
      if (scan.error != nullptr) {
        // Resynchronise at the end of the physical line where it went wrong.
        const void* enl = std::memchr(p + scan.error_pos, '\n', avail - scan.error_pos);
        if (enl == nullptr && !eof_) {
          if (avail >= options_.max_record_bytes) fail_overlong(p, avail);
          refill();
          continue;
        }
        size_t bytes =
            enl != nullptr ? static_cast<size_t>(static_cast<const char*>(enl) - p) + 1 : avail;
        consume(bytes, count_newlines(p, bytes));
        ++read_count_;
        fail_record(record_line, without_terminator(p, bytes),
                    static_cast<int64_t>(scan.error_pos) + 1, std::string(), scan.error);
      }
      if (scan.consumed == 0) {
        if (avail >= options_.max_record_bytes) fail_overlong(p, avail);
        refill();
        continue;
      }
      raw = without_terminator(p, scan.consumed);
      consume(scan.consumed, count_newlines(p, scan.consumed));
    } else {
      tokenize_simple(p, content);
      raw = std::string_view(p, content);
      consume(line_bytes, line_newlines);
    }
    fields_.line_ = record_line;
    fields_.raw_ = raw;
    if (header_pending_) {
      take_header();
      continue;
    }
    ++read_count_;
    check_columns();
    return &fields_;
  }
}

}  // namespace cppbatch
