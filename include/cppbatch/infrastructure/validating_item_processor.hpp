// ValidatingItemProcessor<T>: passes items through a Validator<T> (Spring's
// ValidatingItemProcessor). A valid item is returned unchanged. An invalid
// one either throws its ValidationError (default: the step fails unless a
// skip policy classifies ValidationError as skippable) or, with
// `filter = true`, is filtered (counted in filterCount, not written) —
// Spring's setFilter(true).
//
//   auto validate = std::make_unique<ValidatingItemProcessor<Record>>(
//       std::make_unique<RecordValidator>(RecordValidator().required("id").is_long("year")),
//       ValidatingProcessorOptions{.filter = true});
//
// filtered() counts the items filtered since construction. Thread safety:
// that of the validator (the counter is atomic).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <utility>

#include "cppbatch/infrastructure/pass_through_item_processor.hpp"
#include "cppbatch/infrastructure/validator.hpp"

namespace cppbatch {

struct ValidatingProcessorOptions {
  // false: an invalid item throws its ValidationError. true: it is filtered.
  bool filter = false;
};

template <class T>
class ValidatingItemProcessor final : public PassThroughItemProcessor<T> {
 public:
  // Throws std::invalid_argument on a null validator.
  explicit ValidatingItemProcessor(std::unique_ptr<Validator<T>> validator, ValidatingProcessorOptions options = {})
      : validator_(std::move(validator)), options_(options) {
    if (!validator_) throw std::invalid_argument("ValidatingItemProcessor: null validator");
  }

  bool accept(const T& item) override {
    if (!options_.filter) {
      validator_->validate(item);
      return true;
    }
    try {
      validator_->validate(item);
    } catch (const ValidationError&) {
      filtered_.fetch_add(1, std::memory_order_relaxed);
      return false;
    }
    return true;
  }

  int64_t filtered() const { return filtered_.load(std::memory_order_relaxed); }

 private:
  std::unique_ptr<Validator<T>> validator_;
  ValidatingProcessorOptions options_;
  std::atomic<int64_t> filtered_{0};
};

}  // namespace cppbatch
