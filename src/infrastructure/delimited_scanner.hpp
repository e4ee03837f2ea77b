// DelimitedScanner (internal): splits delimited text into a FieldSet —
// RFC 4180 quotes (doubled quotes, line breaks inside quotes), an optional
// escape character, optional trimming. The one tokenizer behind
// DelimitedRecordReader (records that may span lines, read from a buffer)
// and DelimitedLineTokenizer (one line at a time).
//
// Values are views into the scanned text or into the scanner's own
// scratch buffer: valid until the next scan. Not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "cppbatch/infrastructure/field_set.hpp"

namespace cppbatch::internal {

struct DelimitedSyntax {
  char delimiter = ',';
  char quote = '"';    // '\0': none
  char escape = '\0';  // '\0': none
  bool trim = false;
};

class DelimitedScanner {
 public:
  explicit DelimitedScanner(DelimitedSyntax syntax) : syntax_(syntax) {}

  struct Scan {
    size_t consumed = 0;          // bytes of the record incl. terminator; 0 = need more
    const char* error = nullptr;  // reason when malformed
    size_t error_pos = 0;         // byte in the record where it went wrong
  };

  // True when `line` needs scan() (it holds a quote or the escape); else
  // split() is enough.
  bool needs_scan(const char* line, size_t size) const;
  // Splits a line that holds no quote and no escape on the delimiter
  // (inline: the per-record hot path of plain files).
  void split(const char* line, size_t size, FieldSet& fields) const {
    fields.clear_values();
    const char delimiter = syntax_.delimiter;
    // A plain loop beats memchr here: fields are typically a few bytes long.
    size_t start = 0;
    for (size_t i = 0; i < size; ++i) {
      if (line[i] == delimiter) {
        push_field(line, start, i, fields);
        start = i + 1;
      }
    }
    push_field(line, start, size, fields);
  }
  // needs_scan() and split() in one pass: splits `line` on the delimiter
  // and returns true, or returns false (fields unspecified) as soon as it
  // meets the quote or the escape — then scan() must tokenise the record.
  // The per-record hot path of plain files: 16 bytes per step with SSE2.
  bool try_split(const char* line, size_t size, FieldSet& fields) const {
    fields.clear_values();
    const char delimiter = syntax_.delimiter;
    const char quote = syntax_.quote;
    const char escape = syntax_.escape;
    size_t start = 0;
    size_t i = 0;
#if defined(__SSE2__)
    // A disabled quote/escape ('\0') compares as the delimiter, masked out below.
    const __m128i delimiters = _mm_set1_epi8(delimiter);
    const __m128i quotes = _mm_set1_epi8(quote != '\0' ? quote : delimiter);
    const __m128i escapes = _mm_set1_epi8(escape != '\0' ? escape : delimiter);
    for (; i + 16 <= size; i += 16) {
      const __m128i block = _mm_loadu_si128(reinterpret_cast<const __m128i*>(line + i));
      auto hits = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(block, delimiters)));
      const auto special = static_cast<unsigned>(_mm_movemask_epi8(
          _mm_or_si128(_mm_cmpeq_epi8(block, quotes), _mm_cmpeq_epi8(block, escapes))));
      if ((special & ~hits) != 0) return false;
      while (hits != 0) {
        const size_t at = i + static_cast<size_t>(__builtin_ctz(hits));
        push_field(line, start, at, fields);
        start = at + 1;
        hits &= hits - 1;
      }
    }
#endif
    for (; i < size; ++i) {
      const char c = line[i];
      if (c == delimiter) {
        push_field(line, start, i, fields);
        start = i + 1;
      } else if ((c == quote && quote != '\0') || (c == escape && escape != '\0')) {
        return false;
      }
    }
    push_field(line, start, size, fields);
    return true;
  }
  // Tokenises the record at the start of `p` (avail bytes, `eof`: no more
  // bytes follow): finds where it ends — line breaks inside quotes or
  // escaped do not end it — and unescapes quoted/escaped values into the
  // scratch buffer. consumed == 0 means the record continues past `avail`.
  Scan scan(const char* p, size_t avail, bool eof, FieldSet& fields);

  const DelimitedSyntax& syntax() const { return syntax_; }

 private:
  void push_field(const char* base, size_t begin, size_t end, FieldSet& fields) const {
    if (syntax_.trim) {
      while (begin < end && (base[begin] == ' ' || base[begin] == '\t')) ++begin;
      while (end > begin && (base[end - 1] == ' ' || base[end - 1] == '\t')) --end;
    }
    fields.add(std::string_view(base + begin, end - begin), static_cast<int64_t>(begin) + 1);
  }

  DelimitedSyntax syntax_;
  std::string scratch_;  // reserved per record, never reallocated mid-record
};

}  // namespace cppbatch::internal
