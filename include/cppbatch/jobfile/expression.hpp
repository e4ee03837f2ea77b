// Expression: the small, safe expression language of job files, evaluated
// against a Record — the filter and computed-field processors use it.
// No loops, no assignments, no access to anything but the record's fields.
//
//   auto keep = Expression::parse("debut_year >= 1990 and position != 'QB'");
//   keep.test(record);                                   // bool
//   auto full = Expression::parse("concat(upper(last_name), ', ', first_name)");
//   Value v = full.evaluate(record);                     // "SMITH, John"
//
// Syntax (docs/job-files.md has the full reference):
//   literals     42  -7  3.5  'text'  "text"  true  false  null
//   fields       born   last_name   `field with spaces`
//   arithmetic   + - * / %  (integers stay integers: 7 / 2 is 3; 7 / 2.0 is 3.5)
//   comparison   == != < <= > >=
//   boolean      and or not  (also && || !)
//   functions    upper lower trim length substr concat contains starts_with
//                ends_with replace coalesce if is_null int double string abs
//                round min max
// Text that reads as a number is a number where a number is expected
// ("1974" + 1 is 1975; born >= 1990 compares numbers when born holds
// "1974"). null propagates through arithmetic and functions; a comparison
// with null is false except `x == null`.
//
// Errors: parse() throws ExpressionError with the 1-based column of the
// problem; evaluate() throws ExpressionError naming the sub-expression
// (an unknown field, text that is not a number — naming the field and the
// text —, division by zero).
// An Expression resolves field names once per record layout and converts a
// field's text to a number at most once per evaluation: evaluate() and
// test() are not thread-safe (copy it per thread); copies share nothing
// mutable.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "cppbatch/infrastructure/record.hpp"

namespace cppbatch {

class ExpressionError : public std::runtime_error {
 public:
  ExpressionError(std::string message, size_t column) : std::runtime_error(std::move(message)), column_(column) {}
  // 1-based column in the expression text (0: not about one place).
  size_t column() const { return column_; }

 private:
  size_t column_;
};

namespace internal {
class ExpressionNode;
class Frame;
}  // namespace internal

class Expression {
 public:
  // Throws ExpressionError ("column 9: expected an operand") on bad syntax,
  // an unknown function or a wrong number of arguments.
  static Expression parse(std::string_view text);

  Expression(const Expression& other);
  Expression& operator=(const Expression& other);
  Expression(Expression&&) noexcept;
  Expression& operator=(Expression&&) noexcept;
  ~Expression();

  // The value for `record`. The reference is valid until the next call.
  const Value& evaluate(const Record& record) const;
  // The value for `record`, owned by the caller (moved, not copied, when
  // the expression computed it).
  Value evaluate_value(const Record& record) const;
  // evaluate() as a boolean: null is false; text true/false/yes/no/1/0.
  bool test(const Record& record) const;

  const std::string& text() const { return text_; }
  // The field names the expression reads, in order of appearance.
  std::vector<std::string> fields() const;

 private:
  Expression(std::string text, std::unique_ptr<internal::Frame> frame, std::unique_ptr<internal::ExpressionNode> root);
  std::string text_;
  std::unique_ptr<internal::Frame> frame_;  // the fields' positions and numbers; the nodes point to it
  std::unique_ptr<internal::ExpressionNode> root_;
};

}  // namespace cppbatch
