// RecordValidator: a Validator<Record> made of declared rules on named
// fields, checked in the order they were added; the first rule that fails
// throws ValidationError with the field's name and a reason that quotes the
// value. Rules other than required() accept a missing or null field (so
// optional fields are written as is_long("x") alone, mandatory ones as
// required("x").is_long("x")).
//
//   auto validator = std::make_unique<RecordValidator>(RecordValidator()
//       .required("id")
//       .is_long("year").range("year", 1900, 2100)
//       .one_of("position", {"qb", "rb", "wr", "te"})
//       .check("team", [](const Record& r) { return r.get_string("team").size() == 3; },
//              "expected a 3-letter team code"));
//   validator->validate(record);   // throws ValidationError("year", "'1850' is below 1900")
//
// Immutable once handed to a processor: validate() is const and safe from
// several threads.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "cppbatch/infrastructure/record.hpp"
#include "cppbatch/infrastructure/validator.hpp"

namespace cppbatch {

class RecordValidator final : public Validator<Record> {
 public:
  RecordValidator() = default;

  // Present, not null and not blank (text of only spaces/tabs is blank).
  RecordValidator& required(std::string field);
  // Reads as a 64-bit integer / a double / a YYYY-MM-DD date.
  RecordValidator& is_long(std::string field);
  RecordValidator& is_double(std::string field);
  RecordValidator& is_date(std::string field);
  // A number within [min, max].
  RecordValidator& range(std::string field, double min, double max);
  // Text (as get_string gives it) at most `max` bytes long.
  RecordValidator& max_length(std::string field, size_t max);
  // Text equal to one of `allowed`.
  RecordValidator& one_of(std::string field, std::vector<std::string> allowed);
  // Any condition on the record; `reason` is the message when it is false.
  // Exceptions other than ValidationError thrown by `condition` propagate.
  RecordValidator& check(std::string field, std::function<bool(const Record&)> condition, std::string reason);

  void validate(const Record& record) const override;

  size_t rules() const { return rules_.size(); }

 private:
  struct Rule {
    std::string field;
    // Returns the failure reason, or empty when the rule holds. Called only
    // when the field is present and not null (except for `required`).
    std::function<std::string(const Record&, const Value&)> test;
    bool applies_to_null = false;
  };
  RecordValidator& add(std::string field, std::function<std::string(const Record&, const Value&)> test,
                       bool applies_to_null = false);

  std::vector<Rule> rules_;
};

}  // namespace cppbatch
