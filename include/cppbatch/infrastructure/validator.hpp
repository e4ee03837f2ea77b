// Validator<T>: checks one item and throws ValidationError when it is not
// valid (Spring's Validator). Used by ValidatingItemProcessor. Validators
// hold no per-item state; one that is shared by a multi-threaded step must
// be thread-safe (a validator whose validate() only reads its own
// configuration is).
//
//   auto positive = make_validator<Trade>([](const Trade& t) {
//     if (t.amount < 0) throw ValidationError("amount", std::to_string(t.amount) + " is negative");
//   });
//
// For Records, RecordValidator (record_validator.hpp) checks declared rules
// on named fields.
#pragma once

#include <concepts>
#include <memory>
#include <utility>

#include "cppbatch/infrastructure/validation_error.hpp"

namespace cppbatch {

template <class T>
class Validator {
 public:
  using item_type = T;
  virtual ~Validator() = default;
  // Returns when `item` is valid; throws ValidationError otherwise. Any
  // other exception is a failure of the validator itself, not a verdict.
  virtual void validate(const T& item) const = 0;
};

// F(const T&) → void, throwing ValidationError when invalid.
template <class F, class T>
concept ValidatorFunction = std::invocable<const F&, const T&>;

template <class T, ValidatorFunction<T> F>
class FunctionValidator final : public Validator<T> {
 public:
  explicit FunctionValidator(F f) : f_(std::move(f)) {}
  void validate(const T& item) const override { f_(item); }

 private:
  F f_;
};

template <class T, ValidatorFunction<T> F>
std::unique_ptr<Validator<T>> make_validator(F function) {
  return std::make_unique<FunctionValidator<T, F>>(std::move(function));
}

}  // namespace cppbatch
