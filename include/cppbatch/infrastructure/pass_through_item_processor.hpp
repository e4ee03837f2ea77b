// PassThroughItemProcessor<T>: a processor that keeps an item unchanged or
// filters it — the shape of filtering and validating processors. It says
// so through accept(), which lets a CompositeItemProcessor run it without
// copying the item (process() must return a copy through the
// ItemProcessor interface).
//
//   class NonNegative final : public PassThroughItemProcessor<Trade> {
//     bool accept(const Trade& t) override { return t.amount >= 0; }
//   };
#pragma once

#include <optional>

#include "cppbatch/core/item_processor.hpp"

namespace cppbatch {

template <class T>
class PassThroughItemProcessor : public ItemProcessor<T, T> {
 public:
  // true keeps `item` as it is; false filters it. May throw.
  virtual bool accept(const T& item) = 0;

  std::optional<T> process(const T& item) final {
    if (accept(item)) return item;
    return std::nullopt;
  }
};

}  // namespace cppbatch
