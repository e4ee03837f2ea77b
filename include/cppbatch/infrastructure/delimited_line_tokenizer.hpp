// DelimitedLineTokenizer: a LineTokenizer for delimited lines (Spring's
// DelimitedLineTokenizer) — the same syntax as DelimitedRecordReader
// (quotes with doubled quotes inside, optional escape character, trim)
// applied to one line; a quoted value cannot span lines here. Used inside
// PatternMatchingLineTokenizer, where each kind of line has its own names.
//
//   DelimitedLineTokenizer items({.delimiter = ';', .names = {"type", "id", "price"}});
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "cppbatch/infrastructure/line_tokenizer.hpp"

namespace cppbatch {
namespace internal {
class DelimitedScanner;
}

struct DelimitedTokenizerOptions {
  char delimiter = ',';
  char quote = '"';    // '\0': quotes are data
  char escape = '\0';  // makes the next character literal; '\0': none
  bool trim = false;   // strip spaces/tabs around values
  // Names of the values, first to last. Empty: unnamed.
  std::vector<std::string> names{};
  // With names: strict → another number of values is a ParseError;
  // lenient → a short line is padded with empty values, extra ones kept.
  bool strict = true;
};

class DelimitedLineTokenizer : public LineTokenizer {
 public:
  // std::invalid_argument on duplicate names or clashing characters.
  explicit DelimitedLineTokenizer(DelimitedTokenizerOptions options);
  ~DelimitedLineTokenizer() override;

  void tokenize(std::string_view line, FieldSet& fields) override;
  const FieldNames& names() const { return names_; }

 private:
  DelimitedTokenizerOptions options_;
  FieldNames names_;
  std::unique_ptr<internal::DelimitedScanner> scanner_;
};

}  // namespace cppbatch
