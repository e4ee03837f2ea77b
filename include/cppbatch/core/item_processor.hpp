// ItemProcessor<I, O>: transforms one item. An empty optional filters the
// item out (counted in filterCount, not written). May throw. Called on the
// step's thread(s): a processor shared by a multi-threaded step must be
// thread-safe.
#pragma once

#include <optional>

namespace cppbatch {

template <class I, class O>
class ItemProcessor {
 public:
  using input_type = I;
  using output_type = O;
  virtual ~ItemProcessor() = default;
  virtual std::optional<O> process(const I& item) = 0;
};

}  // namespace cppbatch
