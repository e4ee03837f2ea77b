// ValidationError: an item failed validation (Spring's
// ValidationException). Thrown by validators and by a
// ValidatingItemProcessor; a skip policy can classify it by type (catch
// `const ValidationError&`) to skip invalid items while failing on anything
// else.
//
// what() is "field 'NAME': REASON" when the error is about one field (the
// record's field name, or any label the validator chose), else "REASON".
//
//   throw ValidationError("amount", "-3 is negative");
//   catch (const ValidationError& e) { e.field(); /* "amount" */ e.reason(); /* "-3 is negative" */ }
#pragma once

#include <stdexcept>
#include <string>

namespace cppbatch {

class ValidationError : public std::runtime_error {
 public:
  // An error about the whole item.
  explicit ValidationError(std::string reason);
  // An error about one field (`field` may be empty: then as above).
  ValidationError(std::string field, std::string reason);

  const std::string& field() const { return field_; }    // empty = about the whole item
  const std::string& reason() const { return reason_; }

 private:
  std::string field_;
  std::string reason_;
};

}  // namespace cppbatch
