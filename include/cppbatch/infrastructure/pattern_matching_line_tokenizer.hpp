// PatternMatchingLineTokenizer: picks the tokenizer of a line by matching
// the line against patterns (Spring's PatternMatchingCompositeLineTokenizer)
// — for files mixing kinds of lines: "HEA;..." headers, "LIT;..." items,
// "FOT;..." footers, each with its own columns and names.
//
// Patterns match the whole line: '*' is any run of bytes (also none), '?'
// one byte, anything else itself; "LIT*" matches lines starting with LIT.
// The most specific pattern wins (more literal bytes first, then longer),
// so "*" can be a catch-all.
//
//   PatternMatchingLineTokenizer orders;
//   orders.add("HEA*", std::make_unique<DelimitedLineTokenizer>(
//                          DelimitedTokenizerOptions{.delimiter = ';', .names = {"type", "id", "date"}}));
//   orders.add("LIT*", std::make_unique<DelimitedLineTokenizer>(...));
//   FlatFileRecordReader records({.path = "orders.txt"}, std::make_unique<decltype(orders)>(std::move(orders)));
//
// A line no pattern matches is a ParseError ("no tokenizer pattern matches
// the line (patterns: HEA*, LIT*)"). The chosen pattern is in
// last_pattern() — a mapper can tell the kind of line from the names too.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cppbatch/infrastructure/line_tokenizer.hpp"

namespace cppbatch {

// True when `text` matches `pattern` ('*' any run, '?' one byte).
bool matches_pattern(std::string_view pattern, std::string_view text);

class PatternMatchingLineTokenizer : public LineTokenizer {
 public:
  PatternMatchingLineTokenizer() = default;
  PatternMatchingLineTokenizer(PatternMatchingLineTokenizer&&) = default;
  PatternMatchingLineTokenizer& operator=(PatternMatchingLineTokenizer&&) = default;

  // Adds a pattern and its tokenizer. std::invalid_argument: empty or
  // duplicate pattern, null tokenizer.
  PatternMatchingLineTokenizer& add(std::string pattern, std::unique_ptr<LineTokenizer> tokenizer);

  void tokenize(std::string_view line, FieldSet& fields) override;
  // The pattern chosen for the last line tokenized (empty before).
  const std::string& last_pattern() const { return last_; }

 private:
  struct Entry {
    std::string pattern;
    std::unique_ptr<LineTokenizer> tokenizer;
  };
  std::vector<Entry> entries_;  // most specific first
  std::string last_;
};

}  // namespace cppbatch
