// FilteringItemProcessor<T>: keeps the items a predicate accepts and
// filters the others (counted in filterCount, not written).
//
//   auto regular_season = make_filtering_processor<Record>(
//       [](const Record& r) { return r.get_long("week") <= 17; });
//
// Thread safety: that of the predicate.
#pragma once

#include <concepts>
#include <memory>
#include <optional>
#include <utility>

#include "cppbatch/infrastructure/pass_through_item_processor.hpp"

namespace cppbatch {

// F(const T&) → bool: true keeps the item.
template <class F, class T>
concept ItemPredicate = std::invocable<F&, const T&> && std::convertible_to<std::invoke_result_t<F&, const T&>, bool>;

template <class T, class F = bool (*)(const T&)>
  requires ItemPredicate<F, T>
class FilteringItemProcessor final : public PassThroughItemProcessor<T> {
 public:
  explicit FilteringItemProcessor(F keep) : keep_(std::move(keep)) {}
  bool accept(const T& item) override { return static_cast<bool>(keep_(item)); }

 private:
  F keep_;
};

// The processor for `keep`, with the predicate's type deduced.
template <class T, ItemPredicate<T> F>
std::unique_ptr<FilteringItemProcessor<T, F>> make_filtering_processor(F keep) {
  return std::make_unique<FilteringItemProcessor<T, F>>(std::move(keep));
}

}  // namespace cppbatch
