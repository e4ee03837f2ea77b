// ParseError: a malformed input record, located precisely enough that an
// operator can open the file at the right place. A RawInputError (core):
// source() is "FILE:LINE" and raw_input() the whole raw record, which a
// dead-letter listener keeps for a skipped read. Thrown by FieldSet's typed
// accessors, by the delimited reader (bad quoting, wrong column count) and,
// wrapped, for any exception of a mapper; skip policies may classify it as
// skippable, otherwise the step fails with what() as its exit message.
//
// what() is "FILE:LINE:COLUMN: field 'NAME': REASON — line: RAW" where
//   LINE   is the 1-based physical line the record starts on;
//   COLUMN is the 1-based byte column (in the record) where the offending
//          field starts; 0 = unknown, and ":COLUMN" is left out;
//   NAME   is the field's name, "#N" (1-based index) when the record has no
//          names; empty = not about one field, and "field '...': " is left
//          out;
//   RAW    is the raw record, cut to ~200 bytes (on a UTF-8 boundary, then
//          "…"), CR and LF shown as \r and \n so the message is one line.
//
//   try { reader.read(); }
//   catch (const ParseError& e) { log(e.resource(), e.line(), e.column(), e.what()); }
#pragma once

#include <cstdint>
#include <string>

#include "cppbatch/core/raw_input_error.hpp"

namespace cppbatch {

class ParseError : public RawInputError {
 public:
  ParseError(std::string resource, int64_t line, int64_t column, std::string field,
             std::string raw_line, std::string reason);

  const std::string& resource() const { return resource_; }  // file path (or "<input>")
  int64_t line() const { return line_; }                      // 1-based
  int64_t column() const { return column_; }                  // 1-based, 0 = unknown
  const std::string& field() const { return field_; }        // name, "#N" or empty
  const std::string& raw_line() const { return raw_input(); }  // the whole raw record
  const std::string& reason() const { return reason_; }

 private:
  std::string resource_;
  int64_t line_;
  int64_t column_;
  std::string field_;
  std::string reason_;
};

}  // namespace cppbatch
