// RawInputError: an error about one input record that carries the record's
// raw text and where it came from. Readers throw it (or a type derived
// from it, as infrastructure's ParseError) for a record they cannot turn
// into an item, so that a read skip, which has no item, can still keep
// what was read: DeadLetterSkipListener stores raw_input() as the dead
// letter's payload and source() beside it.
//
//   throw RawInputError("transactions.csv:17", line_text, "amount: not a number");
//
// what() is the message given; raw_input() and source() are exact (not cut
// or escaped).
#pragma once

#include <stdexcept>
#include <string>

namespace cppbatch {

class RawInputError : public std::runtime_error {
 public:
  RawInputError(std::string source, std::string raw_input, const std::string& message)
      : std::runtime_error(message), source_(std::move(source)), raw_input_(std::move(raw_input)) {}

  // "file:line", a table and key, ... whatever locates the record; may be empty.
  const std::string& source() const { return source_; }
  // The record as read, before any parsing.
  const std::string& raw_input() const { return raw_input_; }

 private:
  std::string source_;
  std::string raw_input_;
};

}  // namespace cppbatch
