// LineTokenizer: splits one physical line into the values of a FieldSet —
// the tokenizer half of Spring's LineMapper. FlatFileRecordReader feeds it
// the lines of a file; implementations: DelimitedLineTokenizer,
// FixedLengthTokenizer, PatternMatchingLineTokenizer (chooses one of
// several by the line's prefix). A lambda or any class can implement it.
//
//   class KeyValue : public LineTokenizer {
//     void tokenize(std::string_view line, FieldSet& fields) override {
//       size_t eq = line.find('=');
//       fields.add(line.substr(0, eq), 1);
//       fields.add(eq == line.npos ? "" : line.substr(eq + 1), int64_t(eq + 2));
//     }
//   };
//
// Not thread-safe: a tokenizer may keep scratch state; one per reader.
#pragma once

#include <string_view>

#include "cppbatch/infrastructure/field_set.hpp"

namespace cppbatch {

class LineTokenizer {
 public:
  virtual ~LineTokenizer() = default;
  // Fills `fields` from `line` (no line terminator). The caller has set the
  // location (resource, line number, raw line) and cleared the values;
  // the tokenizer adds the values (views into `line` or into storage it
  // owns, valid until its next call) with their columns and sets the
  // names (set_names; null when none). A line that does not fit the
  // format throws ParseError (FieldSet::fail gives the location).
  virtual void tokenize(std::string_view line, FieldSet& fields) = 0;
};

}  // namespace cppbatch
