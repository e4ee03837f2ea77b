// FixedLengthTokenizer: a LineTokenizer for fixed-width columns (Spring's
// FixedLengthTokenizer). Columns are 1-based, inclusive byte ranges; the
// last one may be open-ended ("30-": to the end of the line). Values are
// trimmed of their padding (spaces and tabs) unless trim = false.
//
//   FixedLengthTokenizer trades({.columns = parse_column_ranges("1-12, 13-15, 16-20, 21-29"),
//                                .names = {"isin", "quantity", "price", "customer"}});
//   FlatFileReader<Trade> reader({.path = "trades.txt"},
//                                std::make_unique<FixedLengthTokenizer>(std::move(trades)), map);
//
// Errors (ParseError, column = where the line stops fitting): strict and a
// line shorter than the last column's end ("line is 25 bytes, shorter
// than the 29 the columns need") or longer than it when no column is
// open-ended.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cppbatch/infrastructure/line_tokenizer.hpp"

namespace cppbatch {

// Bytes start..end of a line, 1-based, inclusive. end = 0: to the end of
// the line (only the last column).
struct ColumnRange {
  int64_t start = 1;
  int64_t end = 0;
  friend bool operator==(const ColumnRange&, const ColumnRange&) = default;
};

// Parses Spring's range syntax: comma-separated "a-b" (inclusive), "a-"
// (open-ended, last only) or "a" (up to the next range's start - 1, or
// open-ended when last). Spaces are ignored. Throws std::invalid_argument
// naming the bad part ("'16-13': end before start").
std::vector<ColumnRange> parse_column_ranges(std::string_view spec);

struct FixedLengthTokenizerOptions {
  // The columns, in output order. Required.
  std::vector<ColumnRange> columns{};
  // Their names (same count) or empty.
  std::vector<std::string> names{};
  // true: a line must be exactly as long as the columns need (at least as
  // long, with an open-ended last column). false: a short line gives empty
  // or cut values, bytes past the last column are ignored.
  bool strict = true;
  // Strip the padding (spaces, tabs) on both sides of each value.
  bool trim = true;
};

class FixedLengthTokenizer : public LineTokenizer {
 public:
  // std::invalid_argument: no columns, a bad range, an open-ended column
  // that is not last, names of another count, duplicate names.
  explicit FixedLengthTokenizer(FixedLengthTokenizerOptions options);

  void tokenize(std::string_view line, FieldSet& fields) override;
  const FieldNames& names() const { return names_; }
  // The line length the columns need (the largest end; for an open-ended
  // last column, its start - 1).
  int64_t line_length() const { return max_end_; }

 private:
  // The strict length error for `line`.
  [[noreturn]] void fail_length(std::string_view line, const FieldSet& fields) const;

  struct Span {  // a column as 0-based [begin, end) bytes; end = 0: to the line's end
    size_t begin;
    size_t end;
  };
  FixedLengthTokenizerOptions options_;
  FieldNames names_;
  const FieldNames* names_or_null_ = nullptr;  // what FieldSet::set_names takes
  std::vector<Span> spans_;
  std::vector<int64_t> columns_;  // 1-based start of each column, for error messages
  int64_t max_end_ = 0;
  bool open_ended_ = false;
};

}  // namespace cppbatch
