#include "delimited_scanner.hpp"

#include <cstring>

namespace cppbatch::internal {
namespace {

bool is_blank_char(char c) { return c == ' ' || c == '\t'; }

}  // namespace

bool DelimitedScanner::needs_scan(const char* line, size_t size) const {
  return (syntax_.quote != '\0' && std::memchr(line, syntax_.quote, size) != nullptr) ||
         (syntax_.escape != '\0' && std::memchr(line, syntax_.escape, size) != nullptr);
}

// One pass over a record that has quotes: finds where it ends (newlines
// inside quotes do not end it) and tokenises it, unescaping quoted values
// into scratch_. consumed == 0 means the record continues past `avail`.
DelimitedScanner::Scan DelimitedScanner::scan(const char* p, size_t avail, bool eof,
                                              FieldSet& fields) {
  fields.clear_values();
  scratch_.clear();
  // Unescaped values are never longer than the raw record, so views into
  // scratch_ stay valid while it is filled.
  if (scratch_.capacity() < avail) scratch_.reserve(avail);
  const char delimiter = syntax_.delimiter;
  const char quote = syntax_.quote;
  const char escape = syntax_.escape;
  const bool trim = syntax_.trim;
  Scan scan;
  size_t i = 0;
  for (;;) {
    size_t j = i;
    if (trim) {
      while (j < avail && is_blank_char(p[j])) ++j;
    }
    if (quote != '\0' && j < avail && p[j] == quote) {
      const size_t open_quote = j;
      const size_t segment = scratch_.size();
      size_t k = j + 1;
      while (escape != '\0') {  // quoted value with an escape character
        if (k == avail) {
          if (!eof) return scan;
          scan.error = "unterminated quoted field";
          scan.error_pos = open_quote;
          return scan;
        }
        const char c = p[k];
        if (c == escape) {
          if (k + 1 == avail) {
            if (!eof) return scan;
            scan.error = "escape character at the end of the input";
            scan.error_pos = k;
            return scan;
          }
          scratch_ += p[k + 1];
          k += 2;
        } else if (c == quote) {
          if (k + 1 == avail && !eof) return scan;
          if (k + 1 < avail && p[k + 1] == quote) {
            scratch_ += quote;
            k += 2;
          } else {
            k += 1;
            break;
          }
        } else {
          scratch_ += c;
          ++k;
        }
      }
      for (; escape == '\0';) {
        const void* q = std::memchr(p + k, quote, avail - k);
        if (q == nullptr) {
          if (!eof) return scan;
          scan.error = "unterminated quoted field";
          scan.error_pos = open_quote;
          return scan;
        }
        size_t qi = static_cast<size_t>(static_cast<const char*>(q) - p);
        scratch_.append(p + k, qi - k);
        if (qi + 1 == avail && !eof) return scan;  // doubled quote or end? need more
        if (qi + 1 < avail && p[qi + 1] == quote) {
          scratch_ += quote;
          k = qi + 2;
          continue;
        }
        k = qi + 1;
        break;
      }
      fields.add(std::string_view(scratch_.data() + segment, scratch_.size() - segment),
                 static_cast<int64_t>(open_quote) + 1);
      if (trim) {
        while (k < avail && is_blank_char(p[k])) ++k;
      }
      if (k == avail) {
        if (!eof) return scan;
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
          if (!eof) return scan;
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
    if (escape != '\0') {
      size_t run = i;  // start of the bytes not yet copied to scratch_
      size_t segment = std::string::npos;
      for (;;) {
        while (k < avail && p[k] != delimiter && p[k] != '\n' && p[k] != escape) ++k;
        if (k == avail || p[k] != escape) break;
        if (k + 1 == avail) {
          if (!eof) return scan;
          scan.error = "escape character at the end of the input";
          scan.error_pos = k;
          return scan;
        }
        if (segment == std::string::npos) segment = scratch_.size();
        scratch_.append(p + run, k - run);
        scratch_ += p[k + 1];
        k += 2;
        run = k;
      }
      if (k == avail && !eof) return scan;
      const bool end_of_record = k == avail || p[k] == '\n';
      size_t value_end = k;
      if (end_of_record && value_end > run && p[value_end - 1] == '\r') --value_end;
      if (segment == std::string::npos) {
        push_field(p, i, value_end, fields);
      } else {  // the value had escapes: it lives in scratch_
        scratch_.append(p + run, value_end - run);
        size_t b = segment, e = scratch_.size();
        if (trim) {
          while (b < e && is_blank_char(scratch_[b])) ++b;
          while (e > b && is_blank_char(scratch_[e - 1])) --e;
        }
        fields.add(std::string_view(scratch_.data() + b, e - b),
                   static_cast<int64_t>(i + (b - segment)) + 1);
      }
      if (end_of_record) {
        scan.consumed = k == avail ? avail : k + 1;
        return scan;
      }
      i = k + 1;
      continue;
    }
    while (k < avail && p[k] != delimiter && p[k] != '\n') ++k;
    if (k == avail && !eof) return scan;
    const bool end_of_record = k == avail || p[k] == '\n';
    size_t value_end = k;
    if (end_of_record && value_end > i && p[value_end - 1] == '\r') --value_end;
    push_field(p, i, value_end, fields);
    if (end_of_record) {
      scan.consumed = k == avail ? avail : k + 1;
      return scan;
    }
    i = k + 1;
  }
}

}  // namespace cppbatch::internal
